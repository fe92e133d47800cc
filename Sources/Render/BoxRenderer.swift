import Columnar

/// A box table: numbers right-aligned, null shown as `null` (dim in colour), at most
/// `maxRows` rows with a "… N more rows" line, then a footer with the row count. Columns are
/// narrowed with `…` so that a row never exceeds the width.
struct BoxRenderer {
  let options: RenderOptions

  private struct Glyphs {
    let h, v, tl, tm, tr, ml, mm, mr, bl, bm, br: String
    let ellipsis: String
    static let unicode = Glyphs(
      h: "─", v: "│", tl: "┌", tm: "┬", tr: "┐", ml: "├", mm: "┼", mr: "┤", bl: "└", bm: "┴",
      br: "┘", ellipsis: "…")
    static let ascii = Glyphs(
      h: "-", v: "|", tl: "+", tm: "+", tr: "+", ml: "+", mm: "+", mr: "+", bl: "+", bm: "+",
      br: "+", ellipsis: "~")
  }

  func render(_ t: Table) -> String {
    let g = options.ascii ? Glyphs.ascii : Glyphs.unicode
    let shown = min(t.rowCount, max(0, options.maxRows))
    var cells: [[String?]] = []
    for c in t.columns {
      cells.append(
        (0..<shown).map { r in
          let v = c.value(at: r)
          return v.isNull ? nil : CellText.format(v).replacing("\n", with: "↵")
        })
    }
    var widths = t.columns.indices.map { i in
      max(t.names[i].count, cells[i].map { ($0 ?? "null").count }.max() ?? 0)
    }
    fit(&widths)
    let numeric = t.columns.map(\.type.isNumeric)
    func line(_ l: String, _ m: String, _ r: String) -> String {
      l + widths.map { String(repeating: g.h, count: $0 + 2) }.joined(separator: m) + r + "\n"
    }
    func row(_ values: [String?], header: Bool) -> String {
      var parts: [String] = []
      for (i, v) in values.enumerated() {
        let text = clip(v ?? "null", widths[i], g.ellipsis)
        let pad = String(repeating: " ", count: widths[i] - text.count)
        var shownText = text
        if v == nil && options.color { shownText = "\u{1B}[2m" + text + "\u{1B}[0m" }
        if header && options.color { shownText = "\u{1B}[1m" + text + "\u{1B}[0m" }
        parts.append(numeric[i] && !header ? pad + shownText : shownText + pad)
      }
      return g.v + " " + parts.joined(separator: " \(g.v) ") + " " + g.v + "\n"
    }
    guard !t.columns.isEmpty else { return "(no columns, \(counted(t.rowCount, "row")))\n" }
    var out = line(g.tl, g.tm, g.tr) + row(t.names, header: true) + line(g.ml, g.mm, g.mr)
    for r in 0..<shown { out += row(cells.map { $0[r] }, header: false) }
    out += line(g.bl, g.bm, g.br)
    if shown < t.rowCount { out += "\(g.ellipsis) \(counted(t.rowCount - shown, "more row"))\n" }
    out += counted(t.rowCount, "row") + "\n"
    return out
  }

  /// Narrows the widest columns until the table fits the width (never below 3).
  private func fit(_ widths: inout [Int]) {
    func total() -> Int { widths.reduce(0, +) + 3 * widths.count + 1 }
    while total() > options.width {
      guard let i = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[i] > 3 else {
        return
      }
      widths[i] -= 1
    }
  }

  private func clip(_ s: String, _ width: Int, _ ellipsis: String) -> String {
    s.count <= width ? s : String(s.prefix(max(0, width - 1))) + ellipsis
  }
}
