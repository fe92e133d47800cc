import Columnar

/// A GitHub table; numbers right-aligned, `|` in cells escaped, null empty.
struct MarkdownRenderer {
  let options: RenderOptions

  func render(_ t: Table) -> String {
    func cell(_ s: String) -> String {
      DisplayText.escaped(s.replacing("\r\n", with: " ").replacing("\n", with: " "))
        .replacing("|", with: "\\|")
    }
    var out = "| " + t.names.map(cell).joined(separator: " | ") + " |\n"
    out += "|" + t.columns.map { $0.type.isNumeric ? " --: |" : " --- |" }.joined() + "\n"
    for r in 0..<t.rowCount {
      if r & 0x3FFF == 0, options.cancellation?.isCancelled == true { break }
      out +=
        "| "
        + t.columns.map { cell(DisplayText.cell($0.value(at: r), options) ?? "") }
        .joined(separator: " | ")
        + " |\n"
    }
    return out
  }
}

/// One `column = value` line per cell, names right-aligned, a blank line between rows.
struct LineRenderer {
  let options: RenderOptions

  func render(_ t: Table) -> String {
    let width = t.names.map { DisplayText.width(DisplayText.escaped($0)) }.max() ?? 0
    var rows: [String] = []
    for r in 0..<t.rowCount {
      if r & 0x3FFF == 0, options.cancellation?.isCancelled == true { break }
      var out = ""
      for (name, c) in zip(t.names, t.columns) {
        let v = c.value(at: r)
        let text = DisplayText.cell(v, options) ?? "null"
        let label = DisplayText.escaped(name)
        out +=
          String(repeating: " ", count: width - DisplayText.width(label)) + label + " = " + text
          + "\n"
      }
      rows.append(out)
    }
    return rows.joined(separator: "\n")
  }
}
