import Columnar

/// A histogram of a numeric column: nice bin edges (by default as many bins as Sturges'
/// rule gives), a count and a bar per bin, and a line for the nulls left out.
public struct Histogram: Sendable {
  /// The values (nil: null).
  public var values: [Double?]
  /// Bins asked for, if any.
  public var bins: Int?
  /// The column name.
  public var column: String
  /// Whether the column holds whole numbers (bin edges stay whole).
  public var integral: Bool

  /// Makes a histogram.
  public init(values: [Double?], bins: Int?, column: String, integral: Bool) {
    self.values = values
    self.bins = bins
    self.column = column
    self.integral = integral
  }

  /// The bin edges: nice steps covering the values.
  func edges(_ xs: [Double]) -> [Double] {
    guard let lo = xs.min(), let hi = xs.max() else { return [] }
    var log2 = 0
    while log2 < 62 && (1 << log2) < xs.count { log2 += 1 }
    let target = bins ?? log2 + 1
    var step = Ticks.step(range: hi - lo, count: max(1, target))
    if integral { step = max(1, step.rounded(.up)) }
    if hi == lo { step = integral ? 1 : max(abs(lo) * 0.1, 1) }
    let start = (lo / step).rounded(.down) * step
    var edges = [start]
    while edges.last! <= hi || edges.count < 2 {
      edges.append(start + Double(edges.count) * step)
      if edges.count > 10_000 { break }
    }
    return edges
  }

  /// The histogram as text.
  /// - Throws: `ChartError` when there are no values.
  public func render(_ o: ChartOptions) throws(ChartError) -> String {
    let xs = values.compactMap { $0 }.filter(\.isFinite)
    guard !xs.isEmpty else {
      throw ChartError(
        message: "hist has no values to draw",
        hints: ["every value of \(column) is null, or there are no rows"])
    }
    let e = edges(xs)
    var counts = [Int](repeating: 0, count: e.count - 1)
    let step = e[1] - e[0]
    for x in xs {
      var b = saturatingInt(((x - e[0]) / step).rounded(.down))
      b = min(max(0, b), counts.count - 1)
      counts[b] += 1
    }
    let decimals = Ticks.decimals(for: step)
    let labels = counts.indices.map { i -> String in
      "[" + Ticks.format(e[i], decimals: decimals) + ", "
        + Ticks.format(e[i + 1], decimals: decimals)
        + (i == counts.count - 1 ? "]" : ")")
    }
    let labelWidth = labels.map(\.count).max() ?? 0
    let countWidth = counts.map { String($0).count }.max() ?? 1
    let barWidth = max(4, o.width - labelWidth - countWidth - 2)
    let top = counts.max() ?? 1
    let bar = BarChart(labels: [], values: [], valueTexts: [], title: "")
    var out =
      ChartText.clip(
        "\(column): \(counted(xs.count, "value")) in \(counted(counts.count, "bin"))", o.width,
        unicode: o.unicode) + "\n"
    for (i, c) in counts.enumerated() {
      let cells = top > 0 ? Double(c) / Double(top) * Double(barWidth) : 0
      out +=
        ChartText.padRight(labels[i], labelWidth) + " " + ChartText.padLeft(String(c), countWidth)
      out += c > 0 ? " " + ChartText.paint(bar.blocks(cells, o.unicode), 0, o.color) : ""
      out += "\n"
    }
    let nulls = values.count - xs.count
    if nulls > 0 { out += counted(nulls, "null") + " left out\n" }
    return out
  }
}
