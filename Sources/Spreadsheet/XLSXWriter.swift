import Columnar
import Foundation
import ZIPFoundation

/// Writes tables as an `.xlsx` workbook that Excel and LibreOffice open without an import
/// dialog: one sheet per table, typed cells (numbers, booleans, dates in `yyyy-mm-dd`,
/// text as inline strings), a bold header row that stays in view, and column widths that
/// fit the content. Nulls are empty cells.
public enum XLSXWriter {
  /// The workbook's bytes.
  public static func workbook(_ sheets: [(name: String, table: Table)]) throws(SpreadsheetError)
    -> [UInt8]
  {
    let names = sheetNames(sheets.map(\.name))
    var parts: [(String, String)] = [
      ("[Content_Types].xml", contentTypes(sheets.count)),
      ("_rels/.rels", rootRelationships),
      ("xl/workbook.xml", workbookPart(names)),
      ("xl/_rels/workbook.xml.rels", workbookRelationships(sheets.count)),
      ("xl/styles.xml", styles),
    ]
    for (i, sheet) in sheets.enumerated() {
      parts.append(("xl/worksheets/sheet\(i + 1).xml", sheetPart(sheet.table)))
    }
    return try package(parts)
  }

  /// A ZIP archive of the parts (path, XML text), deflated, in the order given.
  public static func package(_ parts: [(String, String)]) throws(SpreadsheetError) -> [UInt8] {
    do {
      let archive = try Archive(data: Data(), accessMode: .create)
      for (path, text) in parts {
        let data = Data(text.utf8)
        try archive.addEntry(
          with: path, type: .file, uncompressedSize: Int64(data.count),
          compressionMethod: .deflate
        ) { position, size in
          data.subdata(in: Int(position)..<Int(position) + size)
        }
      }
      guard let data = archive.data else { throw SpreadsheetError.damaged("no archive was made") }
      return [UInt8](data)
    } catch let error as SpreadsheetError {
      throw error
    } catch {
      throw .damaged("the workbook could not be packed: \(error)")
    }
  }

  /// Sheet names as Excel allows them: at most 31 characters, none of `[]:*?/\`, unique.
  static func sheetNames(_ raw: [String]) -> [String] {
    var seen = Set<String>()
    return raw.enumerated().map { i, name in
      var base = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
      if base.isEmpty { base = "Sheet\(i + 1)" }
      var out = base
      var k = 2
      while seen.contains(out.lowercased()) {
        out = String(base.prefix(28)) + "_\(k)"
        k += 1
      }
      seen.insert(out.lowercased())
      return out
    }
  }

  static func contentTypes(_ count: Int) -> String {
    let sheets = (1...max(count, 1)).prefix(count).map {
      "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/"
        + "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    }.joined()
    return header
      + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
      + "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-"
      + "officedocument.spreadsheetml.sheet.main+xml\"/>"
      + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-"
      + "officedocument.spreadsheetml.styles+xml\"/>" + sheets + "</Types>"
  }

  static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

  static let rootRelationships =
    header
    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    + "<Relationship Id=\"rId1\" Type=\"\(relNS)/officeDocument\" Target=\"xl/workbook.xml\"/>"
    + "</Relationships>"

  static func workbookPart(_ names: [String]) -> String {
    let sheets = names.enumerated().map { i, name in
      "<sheet name=\"\(escape(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
    }.joined()
    return header + "<workbook xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\"><sheets>" + sheets
      + "</sheets></workbook>"
  }

  static func workbookRelationships(_ count: Int) -> String {
    var rels = (0..<count).map { i in
      "<Relationship Id=\"rId\(i + 1)\" Type=\"\(relNS)/worksheet\" "
        + "Target=\"worksheets/sheet\(i + 1).xml\"/>"
    }
    rels.append(
      "<Relationship Id=\"rId\(count + 1)\" Type=\"\(relNS)/styles\" Target=\"styles.xml\"/>")
    return header
      + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      + rels.joined() + "</Relationships>"
  }

  /// Style 0 plain, 1 the bold header, 2 dates as `yyyy-mm-dd`.
  static let styles =
    header + "<styleSheet xmlns=\"\(mainNS)\">"
    + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>"
    + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
    + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
    + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
    + "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
    + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    + "</cellStyleXfs><cellXfs count=\"3\">"
    + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    + "applyNumberFormat=\"1\"/></cellXfs>"
    + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    + "</styleSheet>"

  /// The column letters of a 0-based index: 0 is `A`, 27 is `AB`.
  static func letters(_ index: Int) -> String {
    var n = index + 1
    var out: [Character] = []
    while n > 0 {
      let r = (n - 1) % 26
      out.append(Character(UnicodeScalar(UInt8(65 + r))))
      n = (n - 1) / 26
    }
    return String(out.reversed())
  }

  static func sheetPart(_ table: Table) -> String {
    let letters = (0..<table.columns.count).map(letters)
    var widths = table.names.map { width($0) + 2 }
    var rows = "<row r=\"1\">"
    for (c, name) in table.names.enumerated() {
      rows += "<c r=\"\(letters[c])1\" t=\"inlineStr\" s=\"1\"><is>\(textElement(name))</is></c>"
    }
    rows += "</row>"
    for r in 0..<table.rowCount {
      let ref = String(r + 2)
      rows += "<row r=\"\(ref)\">"
      for (c, column) in table.columns.enumerated() {
        let at = letters[c] + ref
        let value = column.value(at: r)
        if r < 200 { widths[c] = max(widths[c], width(CellText.format(value)) + 2) }
        switch value {
        case .null: continue
        case .int(let i) where abs(i) < 1 << 53: rows += "<c r=\"\(at)\"><v>\(i)</v></c>"
        case .float(let d) where d.isFinite: rows += "<c r=\"\(at)\"><v>\(d)</v></c>"
        case .bool(let b): rows += "<c r=\"\(at)\" t=\"b\"><v>\(b ? 1 : 0)</v></c>"
        case .date(let days) where days >= -25_508:
          // From 1900-03-01 on, past the 1900 system's 29 February 1900 that never was;
          // earlier dates are written as text.
          rows += "<c r=\"\(at)\" s=\"2\"><v>\(days + 25_569)</v></c>"
        default:
          rows +=
            "<c r=\"\(at)\" t=\"inlineStr\"><is>\(textElement(CellText.format(value)))</is></c>"
        }
      }
      rows += "</row>"
    }
    let cols = widths.enumerated().map { c, w in
      "<col min=\"\(c + 1)\" max=\"\(c + 1)\" width=\"\(min(max(w, 6), 60))\" customWidth=\"1\"/>"
    }.joined()
    let last = table.columns.isEmpty ? "A1" : "\(letters.last ?? "A")\(table.rowCount + 1)"
    return header + "<worksheet xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\">"
      + "<dimension ref=\"A1:\(last)\"/><sheetViews><sheetView workbookViewId=\"0\">"
      + "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
      + "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
      + (cols.isEmpty ? "" : "<cols>\(cols)</cols>")
      + "<sheetData>\(rows)</sheetData></worksheet>"
  }

  /// Roughly how many character cells a text takes, for column widths.
  static func width(_ s: String) -> Int { s.count }

  /// A `<t>` element, keeping leading and trailing spaces.
  static func textElement(_ s: String) -> String {
    let padded = s.first == " " || s.last == " " || s.contains("\n")
    return (padded ? "<t xml:space=\"preserve\">" : "<t>") + escape(s) + "</t>"
  }

  /// Text for XML: markup characters as entities; control characters XML cannot hold as
  /// Excel's `_xHHHH_` escapes (and a literal `_x` that would read as one escaped itself).
  static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    let scalars = Array(s.unicodeScalars)
    for (i, u) in scalars.enumerated() {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\t", "\n", "\r": out.unicodeScalars.append(u)
      case "_" where isEscapeAhead(scalars, i): out += "_x005F_"
      default:
        if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF {
          let hex = String(u.value, radix: 16, uppercase: true)
          out += "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out
  }

  private static func isEscapeAhead(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
    guard i + 6 < s.count, s[i + 1] == "x", s[i + 6] == "_" else { return false }
    return s[(i + 2)...(i + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
  }
}
