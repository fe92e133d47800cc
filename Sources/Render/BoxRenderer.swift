import Columnar

/// A box table in the manner of DuckDB's duckbox: numbers right-aligned and never cut, null
/// shown as `null` (dim in colour), at most `maxRows` rows with a "… N more rows" line, then
/// a footer with the row count. When the columns do not fit the width, text cells are cut
/// with `…` first (never below their header), then middle columns are hidden behind one `…`
/// column and the footer says how many are shown. With `wide`, nothing is cut or hidden.
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

  /// One column as drawn: its header, its cells (nil is null), and how it aligns.
  private struct Drawn {
    var header: String
    var cells: [String?]
    var numeric: Bool
    var natural: Int
    /// The narrowest it may become: numbers, dates and bools whole, text down to its header.
    var least: Int
  }

  func render(_ t: Table) -> String {
    let g = options.ascii ? Glyphs.ascii : Glyphs.unicode
    guard !t.columns.isEmpty else { return "(no columns, \(counted(t.rowCount, "row")))\n" }
    let shown = min(t.rowCount, max(0, options.maxRows))
    let columns = t.columns.indices.map { i in drawn(t, i, rows: shown) }
    let (picked, widths, gap) = layout(columns)
    let hidden = columns.count - picked.count

    func line(_ l: String, _ m: String, _ r: String) -> String {
      var ws = widths
      if let gap { ws.insert(1, at: gap) }
      return l + ws.map { String(repeating: g.h, count: $0 + 2) }.joined(separator: m) + r + "\n"
    }
    func row(_ at: (Drawn) -> String?, header: Bool) -> String {
      var parts: [String] = []
      for (k, i) in picked.enumerated() {
        if k == gap { parts.append(g.ellipsis) }
        let c = columns[i]
        let value = at(c)
        let text = DisplayText.clip(value ?? "null", widths[k], ellipsis: g.ellipsis)
        let pad = String(repeating: " ", count: max(0, widths[k] - DisplayText.width(text)))
        var styled = text
        if value == nil && options.color { styled = "\u{1B}[2m" + text + "\u{1B}[0m" }
        if header && options.color { styled = "\u{1B}[1m" + text + "\u{1B}[0m" }
        parts.append(c.numeric && !header ? pad + styled : styled + pad)
      }
      return g.v + " " + parts.joined(separator: " \(g.v) ") + " " + g.v + "\n"
    }
    var out = line(g.tl, g.tm, g.tr) + row({ $0.header }, header: true) + line(g.ml, g.mm, g.mr)
    for r in 0..<shown { out += row({ $0.cells[r] }, header: false) }
    out += line(g.bl, g.bm, g.br)
    if shown < t.rowCount { out += "\(g.ellipsis) \(counted(t.rowCount - shown, "more row"))\n" }
    var footer = counted(t.rowCount, "row")
    if hidden > 0 { footer += ", \(columns.count) columns (\(picked.count) shown)" }
    return out + footer + "\n"
  }

  private func drawn(_ t: Table, _ i: Int, rows: Int) -> Drawn {
    let c = t.columns[i]
    let cells = (0..<rows).map { DisplayText.cell(c.value(at: $0), options) }
    let header = DisplayText.escaped(t.names[i])
    let headerWidth = DisplayText.width(header)
    let widest = cells.map { DisplayText.width($0 ?? "null") }.max() ?? 0
    let natural = max(headerWidth, widest)
    let cuttable = c.type == .text
    let least = cuttable ? min(natural, max(headerWidth, 3)) : natural
    return Drawn(
      header: header, cells: cells, numeric: c.type.isNumeric, natural: natural, least: least)
  }

  /// Which columns are drawn (in order) and at what widths. Every column at its natural width
  /// when that fits; else text columns give up room, widest first, down to their least; else
  /// columns are taken alternately from the left and the right while they fit next to a `…`
  /// column (a side stops at its first column that does not fit; the other goes on). A lone column wider than the output is cut (its header too) as a last resort.
  private func layout(_ columns: [Drawn]) -> (picked: [Int], widths: [Int], gap: Int?) {
    let all = Array(columns.indices)
    if options.wide { return (all, columns.map(\.natural), nil) }
    func frame(_ n: Int, elided: Bool) -> Int { 3 * (n + (elided ? 1 : 0)) + 1 + (elided ? 1 : 0) }
    let leastTotal = columns.reduce(0) { $0 + $1.least }
    // A text column is only worth showing with room for a dozen cells (or all it needs).
    func comfortable(_ c: Drawn) -> Int {
      c.least == c.natural ? c.natural : min(c.natural, max(c.least, 12))
    }
    var picked = all
    var gap: Int?
    if leastTotal + frame(columns.count, elided: false) > options.width {
      var left: [Int] = []
      var right: [Int] = []
      var used = frame(0, elided: true)
      var lo = 0
      var hi = columns.count - 1
      var fromLeft = true
      // A side stops at its first column that does not fit; the other side may go on.
      var leftOpen = true
      var rightOpen = true
      while lo <= hi && (leftOpen || rightOpen) {
        if fromLeft ? !leftOpen : !rightOpen { fromLeft.toggle() }
        let i = fromLeft ? lo : hi
        let cost = comfortable(columns[i]) + 3
        if used + cost > options.width {
          if fromLeft { leftOpen = false } else { rightOpen = false }
        } else if fromLeft {
          used += cost
          left.append(i)
          lo += 1
        } else {
          used += cost
          right.insert(i, at: 0)
          hi -= 1
        }
        fromLeft.toggle()
      }
      picked = left.isEmpty ? [0] : left + right
      gap = max(1, left.count)
    }
    let elided = picked.count < columns.count
    var widths = picked.map { columns[$0].natural }
    let room = options.width - frame(picked.count, elided: elided)
    var excess = widths.reduce(0, +) - room
    // Shrink the widest cuttable column one cell at a time until the table fits.
    while excess > 0 {
      var best: Int?
      for k in widths.indices where widths[k] > columns[picked[k]].least {
        if best.map({ widths[k] > widths[$0] }) ?? true { best = k }
      }
      guard let k = best else { break }
      widths[k] -= 1
      excess -= 1
    }
    if excess > 0, picked.count == 1 { widths[0] = max(1, widths[0] - excess) }
    return (picked, widths, gap)
  }
}
