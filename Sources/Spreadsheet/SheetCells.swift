import Foundation

/// One cell of a sheet as the file stores it.
enum Cell: Equatable {
  /// A number and its cell style (which may show it as a date).
  case number(Double, style: Int)
  case text(String)
  case bool(Bool)
  /// An error value such as `#N/A` or `#DIV/0!`.
  case error(String)
}

/// The non-empty rows of a sheet, each with its row number (from 1) and its cells by column
/// (from 0).
struct SheetCells {
  var rows: [(number: Int, cells: [(column: Int, value: Cell)])] = []

  /// Reads a sheet part: numbers, shared and inline strings, formula results (the cached
  /// value), booleans, errors and ISO dates (`t="d"`); an empty cell is left out.
  init(_ data: Data, part: String, strings: [String]) throws(SpreadsheetError) {
    var rowNumber = 0
    var cells: [(column: Int, value: Cell)] = []
    var column = -1
    var type = ""
    var style = 0
    var value: String?
    var inline = ""
    var badIndex: String?
    var out: [(number: Int, cells: [(column: Int, value: Cell)])] = []
    let events = XMLEvents(textElements: ["v", "t"])
    events.onStart = { name, attributes in
      switch name {
      case "row":
        rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
        cells = []
        column = -1
      case "c":
        column = attributes["r"].flatMap(Self.column) ?? column + 1
        type = attributes["t"] ?? "n"
        style = attributes["s"].flatMap { Int($0) } ?? 0
        value = nil
        inline = ""
      default: break
      }
    }
    events.onEnd = { name, text in
      switch name {
      case "v": value = text
      case "t": inline += text
      case "c":
        let cell: Cell?
        switch type {
        case "s":
          if let i = value.flatMap({ Int($0) }), i >= 0, i < strings.count {
            cell = .text(strings[i])
          } else {
            if value != nil && badIndex == nil { badIndex = "row \(rowNumber)" }
            cell = nil
          }
        case "inlineStr": cell = .text(unescapeExcel(inline))
        case "str": cell = value.map { .text(unescapeExcel($0)) }
        case "b": cell = value.map { .bool($0 == "1" || $0 == "true") }
        case "e": cell = value.map { .error($0) }
        case "d": cell = value.map { .text($0) }
        default:
          if let v = value, let d = Double(v) ?? Double(v.trimmingCharacters(in: .whitespaces)) {
            cell = .number(d, style: style)
          } else {
            cell = nil
          }
        }
        if let cell { cells.append((column, cell)) }
      case "row":
        if !cells.isEmpty { out.append((rowNumber, cells)) }
        cells = []
      default: break
      }
    }
    try events.run(data, part: part)
    if let badIndex {
      throw .damaged("\(part): a shared-string index at \(badIndex) is out of range")
    }
    rows = out
  }

  /// The column of a cell reference: `A1` is 0, `AB12` is 27.
  static func column(_ reference: String) -> Int? {
    var n = 0
    var letters = 0
    for u in reference.utf8 {
      if u >= 65 && u <= 90 {
        n = n * 26 + Int(u - 64)
      } else if u >= 97 && u <= 122 {
        n = n * 26 + Int(u - 96)
      } else {
        break
      }
      letters += 1
      if letters > 3 { return nil }
    }
    return letters == 0 ? nil : n - 1
  }
}

/// Excel's escapes in cell text: `_xHHHH_` is the character HHHH (how control characters
/// such as `_x000D_` are stored, and `_x005F_` a literal `_`).
func unescapeExcel(_ s: String) -> String {
  guard s.contains("_x") else { return s }
  let u = Array(s.unicodeScalars)
  var out = String.UnicodeScalarView()
  var i = 0
  while i < u.count {
    if u[i] == "_", i + 6 < u.count, u[i + 1] == "x", u[i + 6] == "_",
      let v = UInt32(String(String.UnicodeScalarView(u[(i + 2)...(i + 5)])), radix: 16),
      let scalar = Unicode.Scalar(v)
    {
      out.append(scalar)
      i += 7
    } else {
      out.append(u[i])
      i += 1
    }
  }
  return String(out)
}
