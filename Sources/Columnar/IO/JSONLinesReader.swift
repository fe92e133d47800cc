/// Reads JSON lines: one object per line, keys becoming columns in order of first
/// appearance. Numbers become int or float, strings text (or date when every string of the
/// column is `YYYY-MM-DD`), nested arrays and objects their JSON text; a missing key is null.
public struct JSONLinesReader {
  private let bytes: [UInt8]
  private let path: String

  /// A reader over file content.
  public init(bytes: [UInt8], path: String) {
    self.bytes = bytes
    self.path = path
  }

  /// Reads the whole table.
  /// - Throws: `EngineError.malformed` with the line of the first bad object.
  public func read() throws(EngineError) -> Table {
    var names: [String] = []
    var index: [String: Int] = [:]
    var cells: [[Value]] = []
    var rows = 0
    var parser = JSONParser(bytes: bytes)
    parser.skipBOM()
    parser.skipBlankLines()
    // A JSON array of objects (what `--format json` and `save "x.json"` write), or lines.
    let array = parser.accept(UInt8(ascii: "["))
    parser.multiline = array
    var closed = !array
    if array && parser.accept(UInt8(ascii: "]")) { closed = true }
    while !(array && closed) {
      parser.skipBlankLines()
      if parser.atEnd {
        if !closed {
          throw .malformed(path: path, line: parser.line, reason: "the array is not closed with ]")
        }
        break
      }
      let line = parser.line
      let object: [(String, Value)]
      do throws(JSONParser.Failure) {
        object = try parser.object()
        if array {
          if parser.accept(UInt8(ascii: "]")) {
            closed = true
          } else if !parser.accept(UInt8(ascii: ",")) {
            throw JSONParser.Failure(reason: "expected , or ] after an object of the array")
          }
        } else {
          try parser.endOfLine()
        }
      } catch {
        throw .malformed(path: path, line: line, reason: error.reason)
      }
      for (key, _) in object {
        if index[key] == nil {
          index[key] = names.count
          names.append(key)
          cells.append([Value](repeating: .null, count: rows))
        }
      }
      for c in cells.indices { cells[c].append(.null) }
      for (key, value) in object { cells[index[key] ?? 0][rows] = value }
      rows += 1
    }
    let columns = cells.map(JSONLinesReader.column)
    return Table(names: names, columns: columns, rowCount: rows)
  }

  static func column(_ values: [Value]) -> Column {
    var types = Set<DataType>()
    for v in values { if let t = v.type { types.insert(t) } }
    if types.isEmpty { return .nulls(.text, count: values.count) }
    if types == [.int] { return .from(values, type: .int) }
    if types.isSubset(of: [.int, .float]) { return .from(values, type: .float) }
    if types == [.bool] { return .from(values, type: .bool) }
    if types == [.text] {
      let dates = values.map { v -> Value in
        if case .text(let s) = v, let d = CivilDate.parse(s) { return .date(d) }
        return v
      }
      if dates.allSatisfy({ $0.type != .text }) { return .from(dates, type: .date) }
      return .from(values, type: .text)
    }
    return .from(values.map(JSONLinesReader.asText), type: .text)
  }

  private static func asText(_ v: Value) -> Value {
    switch v {
    case .null, .text: v
    case .int(let i): .text(String(i))
    case .float(let d): .text(String(d))
    case .bool(let b): .text(b ? "true" : "false")
    case .date(let d): .text(CivilDate.format(d))
    }
  }
}
