import Columnar

/// CSV (RFC 4180 quoting) or TSV (tabs and newlines in values escaped as `\t`, `\n`). Null
/// is an empty field; an empty text is `""` in CSV so that it reads back as text.
struct DelimitedRenderer {
  let separator: Character
  var cancellation: Cancellation? = nil
  var decimalComma = false
  var bom = false

  func render(_ t: Table) -> String {
    var out =
      (bom ? "\u{FEFF}" : "") + t.names.map(escape).joined(separator: String(separator)) + "\n"
    for r in 0..<t.rowCount {
      if r & 0x3FFF == 0, cancellation?.isCancelled == true { break }
      var first = true
      for c in t.columns {
        if !first { out.append(separator) }
        first = false
        let v = c.value(at: r)
        if case .text(let s) = v, s.isEmpty, separator == "," {
          out += "\"\""
        } else if decimalComma, case .float = v {
          out += escape(CellText.format(v).replacing(".", with: ","))
        } else {
          out += escape(CellText.format(v))
        }
      }
      out += "\n"
    }
    return out
  }

  private func escape(_ s: String) -> String {
    if separator == "\t" {
      guard s.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return s }
      return s.replacing("\t", with: "\\t").replacing("\r\n", with: "\\n")
        .replacing("\n", with: "\\n").replacing("\r", with: "\\n")
    }
    guard s.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return s
    }
    return "\"" + s.replacing("\"", with: "\"\"") + "\""
  }
}
