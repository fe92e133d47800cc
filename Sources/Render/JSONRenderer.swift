import Columnar

/// JSON: one array of objects per result, keys in column order; or JSON lines, one object
/// per line. Null, NaN and infinities are `null`.
struct JSONRenderer {
  let lines: Bool
  var cancellation: Cancellation? = nil

  func render(_ t: Table) -> String {
    let keys = t.names.map(JSONRenderer.quote)
    var objects: [String] = []
    objects.reserveCapacity(t.rowCount)
    for r in 0..<t.rowCount {
      if r & 0x3FFF == 0, cancellation?.isCancelled == true { break }
      var o = "{"
      for (k, c) in zip(keys, t.columns) {
        if o.count > 1 { o += "," }
        o += k + ":" + JSONRenderer.value(c.value(at: r))
      }
      objects.append(o + "}")
    }
    if lines { return objects.map { $0 + "\n" }.joined() }
    if objects.isEmpty { return "[]\n" }
    return "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n"
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
