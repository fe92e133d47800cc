import Columnar

/// JSON: one array of objects per result, keys in column order; or JSON lines, one object
/// per line. Null, NaN and infinities are `null`.
struct JSONRenderer {
  let lines: Bool
  var cancellation: Cancellation? = nil

  /// The table as UTF-8 bytes: each key quoted once, each text column's dictionary entries
  /// quoted once, ints written digit by digit, no value boxed per cell but a float's or a
  /// date's.
  func bytes(_ t: Table) -> [UInt8] {
    let keys = t.names.map { Array((JSONRenderer.quote($0) + ":").utf8) }
    let cells = Shared(t.columns.map { JSONCell($0, rows: t.rowCount) })
    let renderer = Shared(self)
    var out: [UInt8] = lines ? [] : Array((t.rowCount == 0 ? "[]" : "[").utf8)
    RenderBytes.byShares(rows: t.rowCount, into: &out) { range in
      renderer.value.rows(range, keys, cells.value)
    }
    if !lines { out += t.rowCount == 0 ? [10] : [10, 93, 10] }
    return out
  }

  /// The objects of the rows `range`, each after its separator.
  private func rows(_ range: Range<Int>, _ keys: [[UInt8]], _ cells: [JSONCell]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(range.count * (cells.count * 12 + 4))
    cells.withUnsafeBufferPointer { cells in
      for r in range {
        if r & 0x3FFF == 0, cancellation?.isCancelled == true { break }
        if !lines { out += r == 0 ? [10, 32, 32] : [44, 10, 32, 32] }
        out.append(123)
        for i in cells.indices {
          if i > 0 { out.append(44) }
          out += keys[i]
          cells[i].write(r, into: &out)
        }
        out.append(125)
        if lines { out.append(10) }
      }
    }
    return out
  }

  static func value(_ v: Value) -> String {
    switch v {
    case .null: "null"
    case .int(let i): String(i)
    case .float(let d): d.isFinite ? CellText.format(d) : "null"
    case .bool(let b): b ? "true" : "false"
    case .text(let s): quote(s)
    case .date: quote(CellText.format(v))
    }
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}

/// How one column's values are written in JSON: a text column's entries quoted once, an
/// int column's digits, anything else a value at a time.
private final class JSONCell {
  let column: Column
  let validity: Validity
  let codes: [UInt32]
  let entries: EntryBytes
  let ints: [Int]
  let isText: Bool
  let isInt: Bool

  /// (A dictionary larger than the rows, a few rows taken from many, is quoted a row at a
  /// time instead.)
  init(_ column: Column, rows: Int) {
    self.column = column
    validity = column.validity
    var (codes, entries, ints) = ([UInt32](), EntryBytes(), [Int]())
    var (text, int) = (false, false)
    switch column {
    case .text(let t) where t.dictionary.count <= rows:
      codes = t.codes
      entries = EntryBytes(t.dictionary) { Array(JSONRenderer.quote($0).utf8) }
      text = true
    case .int(let c):
      ints = c.values
      int = true
    default: break
    }
    (self.codes, self.entries, self.ints) = (codes, entries, ints)
    (isText, isInt) = (text, int)
  }

  func write(_ r: Int, into out: inout [UInt8]) {
    guard validity.isValid(r) else { return out += [110, 117, 108, 108] }
    if isText {
      entries.append(Int(codes[r]), to: &out)
    } else if isInt {
      RenderBytes.digits(ints[r], into: &out)
    } else {
      out.append(contentsOf: JSONRenderer.value(column.value(at: r)).utf8)
    }
  }
}
