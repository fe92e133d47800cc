import Foundation
import ZIPFoundation

/// An `.xlsx` workbook opened for reading: its sheets by name, its shared strings, which
/// cell styles show dates, and the date system (1900 or 1904).
struct Workbook {
  struct Sheet {
    var name: String
    /// The part that holds the sheet's cells, e.g. `xl/worksheets/sheet1.xml`.
    var part: String
  }

  let path: String
  private let archive: Archive
  private(set) var sheets: [Sheet] = []
  private(set) var sharedStrings: [String] = []
  /// For each cell style (the `s` attribute), how its number format shows a number.
  private(set) var styleKinds: [NumberKind] = []
  private(set) var date1904 = false
  /// The bytes left before the memory limit; each part read counts against it.
  private var budget: Int

  /// Opens the workbook at `path` and reads its directory parts.
  init(path: String, byteLimit: Int) throws(SpreadsheetError) {
    self.path = path
    self.budget = byteLimit
    do {
      archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    } catch {
      throw .damaged("not a readable workbook (not a ZIP archive, or cut short)")
    }
    let root = try relationships("_rels/.rels", base: "")
    let main =
      root.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
    guard archive[main] != nil else {
      throw .damaged("a ZIP archive but not an Excel workbook (it has no \(main))")
    }
    let folder = main.contains("/") ? String(main[..<main.lastIndex(of: "/")!]) : ""
    let rels = try relationships(relsPath(of: main), base: folder)
    var ids: [(name: String, id: String)] = []
    let events = XMLEvents(textElements: [])
    var is1904 = false
    events.onStart = { name, attributes in
      if name == "sheet", let sheetName = attributes["name"] {
        let id = attributes.first { $0.key == "r:id" || $0.key.hasSuffix(":id") }?.value ?? ""
        ids.append((sheetName, id))
      } else if name == "workbookPr" {
        is1904 = ["1", "true"].contains(attributes["date1904"] ?? "")
      }
    }
    try events.run(try data(main), part: main)
    date1904 = is1904
    for (name, id) in ids {
      guard let target = rels.first(where: { $0.id == id })?.target else { continue }
      sheets.append(Sheet(name: name, part: target))
    }
    if let part = rels.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target,
      archive[part] != nil
    {
      sharedStrings = try Self.strings(try data(part), part: part)
    }
    if let part = rels.first(where: { $0.type.hasSuffix("/styles") })?.target,
      archive[part] != nil
    {
      styleKinds = try Self.styles(try data(part), part: part)
    }
  }

  /// The sheet asked for: by name (exactly, else ignoring case), by number from 1, or the
  /// first.
  func sheet(name: String?, number: Int?) throws(SpreadsheetError) -> Sheet {
    let names = sheets.map { "'\($0.name)'" }.joined(separator: ", ")
    if let name {
      if let s = sheets.first(where: { $0.name == name })
        ?? sheets.first(where: { $0.name.lowercased() == name.lowercased() })
      {
        return s
      }
      throw .noSheet("\(path) has no sheet '\(name)' (its sheets: \(names))")
    }
    if let number {
      guard number >= 1 && number <= sheets.count else {
        throw .noSheet("\(path) has \(sheets.count) sheet(s), no sheet \(number) (\(names))")
      }
      return sheets[number - 1]
    }
    guard let first = sheets.first else { throw .damaged("the workbook has no sheets") }
    return first
  }

  /// The uncompressed bytes of a part.
  mutating func data(_ part: String) throws(SpreadsheetError) -> Data {
    guard let entry = archive[part] else { throw .damaged("the workbook lacks its part \(part)") }
    let size = Int(clamping: entry.uncompressedSize)
    guard size <= budget else {
      throw .tooBig("\(path): the part \(part) unpacks to \(size) bytes, over the memory limit")
    }
    budget -= size
    var out = Data()
    out.reserveCapacity(size)
    do {
      _ = try archive.extract(entry, skipCRC32: false) { chunk in out.append(chunk) }
    } catch {
      throw .damaged("the part \(part) is damaged (\(error))")
    }
    return out
  }

  private func relsPath(of part: String) -> String {
    guard let slash = part.lastIndex(of: "/") else { return "_rels/\(part).rels" }
    return part[..<slash] + "/_rels/" + part[part.index(after: slash)...] + ".rels"
  }

  /// A relationships part: id, type and target (resolved against `base`).
  private mutating func relationships(_ part: String, base: String) throws(SpreadsheetError)
    -> [(id: String, type: String, target: String)]
  {
    guard archive[part] != nil else { return [] }
    var out: [(id: String, type: String, target: String)] = []
    let events = XMLEvents(textElements: [])
    events.onStart = { name, attributes in
      guard name == "Relationship", let target = attributes["Target"] else { return }
      out.append((attributes["Id"] ?? "", attributes["Type"] ?? "", Self.resolve(target, base)))
    }
    try events.run(try data(part), part: part)
    return out
  }

  /// A relationship's target as a path in the archive (`/xl/x.xml` is absolute, `x.xml`
  /// and `../x.xml` relative to the folder of the part that names it).
  static func resolve(_ target: String, _ base: String) -> String {
    if target.hasPrefix("/") { return String(target.dropFirst()) }
    var parts = base.split(separator: "/").map(String.init)
    for piece in target.split(separator: "/") {
      if piece == ".." {
        if !parts.isEmpty { parts.removeLast() }
      } else if piece != "." {
        parts.append(String(piece))
      }
    }
    return parts.joined(separator: "/")
  }

  /// The shared strings, each the text of all its runs (phonetic runs left out).
  static func strings(_ data: Data, part: String) throws(SpreadsheetError) -> [String] {
    var out: [String] = []
    var current = ""
    var phonetic = 0
    let events = XMLEvents(textElements: ["t"])
    events.onStart = { name, _ in
      if name == "si" { current = "" } else if name == "rPh" { phonetic += 1 }
    }
    events.onEnd = { name, text in
      switch name {
      case "t": if phonetic == 0 { current += text }
      case "rPh": phonetic -= 1
      case "si": out.append(unescapeExcel(current))
      default: break
      }
    }
    try events.run(data, part: part)
    return out
  }

  /// For each cell style, whether its number format shows a date, a time, both, or a
  /// number.
  static func styles(_ data: Data, part: String) throws(SpreadsheetError) -> [NumberKind] {
    var formats: [Int: String] = [:]
    var xfs: [Int] = []
    var inCellXfs = false
    let events = XMLEvents(textElements: [])
    events.onStart = { name, attributes in
      switch name {
      case "numFmt":
        if let id = attributes["numFmtId"].flatMap({ Int($0) }) {
          formats[id] = attributes["formatCode"] ?? ""
        }
      case "cellXfs": inCellXfs = true
      case "xf" where inCellXfs: xfs.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
      default: break
      }
    }
    events.onEnd = { name, _ in if name == "cellXfs" { inCellXfs = false } }
    try events.run(data, part: part)
    return xfs.map { NumberKind(formatID: $0, code: formats[$0]) }
  }
}

/// How a number format shows a number.
enum NumberKind: Equatable {
  case number, date, time, dateTime

  /// The kind of a built-in format id, or of a custom format code: letters d, m, y, h, s
  /// outside quotes, brackets and escapes make it a date or time (`[h]:mm` is a duration,
  /// shown as a time).
  init(formatID: Int, code: String?) {
    switch formatID {
    case 14...17, 27...31, 34...36, 50...58: self = .date
    case 18...21, 32, 33, 45...47: self = .time
    case 22: self = .dateTime
    default:
      guard let code, formatID >= 164 || !code.isEmpty else {
        self = .number
        return
      }
      var date = false
      var time = false
      var quoted = false
      var bracket = false
      var escaped = false
      // Only the first section (positive numbers) decides.
      loop: for ch in code.lowercased() {
        if escaped {
          escaped = false
          continue
        }
        if quoted {
          if ch == "\"" { quoted = false }
          continue
        }
        if bracket {
          if ch == "]" { bracket = false }
          continue
        }
        switch ch {
        case "\\": escaped = true
        case "\"": quoted = true
        case "[": bracket = true
        case ";": break loop
        case "d", "y", "m": date = true
        case "h", "s": time = true
        default: continue
        }
      }
      if code.lowercased().contains("[h") || code.lowercased().contains("[m") { time = true }
      // `m` next to `h` or `s` is minutes, not a month.
      if time && !code.lowercased().contains("d") && !code.lowercased().contains("y") {
        date = false
      }
      self = date && time ? .dateTime : date ? .date : time ? .time : .number
    }
  }
}
