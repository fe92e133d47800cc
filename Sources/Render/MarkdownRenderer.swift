import Columnar

/// A GitHub table; numbers right-aligned, `|` in cells escaped, null empty.
struct MarkdownRenderer {
  func render(_ t: Table) -> String {
    func cell(_ s: String) -> String {
      s.replacing("|", with: "\\|").replacing("\r\n", with: " ").replacing("\n", with: " ")
    }
    var out = "| " + t.names.map(cell).joined(separator: " | ") + " |\n"
    out += "|" + t.columns.map { $0.type.isNumeric ? " --: |" : " --- |" }.joined() + "\n"
    for r in 0..<t.rowCount {
      out +=
        "| " + t.columns.map { cell(CellText.format($0.value(at: r))) }.joined(separator: " | ")
        + " |\n"
    }
    return out
  }
}

/// One `column = value` line per cell, names right-aligned, a blank line between rows.
struct LineRenderer {
  func render(_ t: Table) -> String {
    let width = t.names.map(\.count).max() ?? 0
    var rows: [String] = []
    for r in 0..<t.rowCount {
      var out = ""
      for (name, c) in zip(t.names, t.columns) {
        let v = c.value(at: r)
        let text = v.isNull ? "null" : CellText.format(v)
        out += String(repeating: " ", count: width - name.count) + name + " = " + text + "\n"
      }
      rows.append(out)
    }
    return rows.joined(separator: "\n")
  }
}
