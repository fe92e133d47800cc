import Columnar

/// A histogram of a numeric column: exactly N equal bins over [min, max] with `bins N`,
/// nice bin edges otherwise (about as many bins as Sturges' rule gives), a count and a bar
/// per bin, and a line for the nulls left out.
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

  /// The bins: with `bins N`, exactly N of equal width from the least value to the greatest
  /// (the last closed); otherwise nice edges (steps of 1, 2 or 5 × 10^k, whole for integral
  /// columns) for about as many bins as Sturges' rule gives. `labels` name each bin.
  struct Bins {
    var edges: [Double]
    var labels: [String]
    /// The bin of `x`.
    let index: (Double) -> Int
  }

  func bins(_ xs: [Double]) -> Bins {
    guard var lo = xs.min(), var hi = xs.max() else {
      return Bins(edges: [], labels: [], index: { _ in 0 })
    }
    var log2 = 0
    while log2 < 62 && (1 << log2) < xs.count { log2 += 1 }
    let sturges = log2 + 1
    if bins == nil, let nice = niceEdges(lo, hi, target: sturges) {
      let step = nice[1] - nice[0]
      let decimals = Ticks.decimals(for: step)
      let text = nice.map { Ticks.format($0, decimals: decimals) }
      let last = nice.count - 2
      return Bins(
        edges: nice, labels: Histogram.labels(text),
        index: { x in min(max(0, saturatingInt(((x - nice[0]) / step).rounded(.down))), last) })
    }
    let n = max(1, min(bins ?? sturges, 10_000))
    if lo == hi {
      let pad = integral ? 0.5 : max(abs(lo) * 0.05, 0.5)
      lo -= pad
      hi += pad
    }
    // Edges as lo·(1 − t) + hi·t, so that they stay finite even across ±1e308.
    let edges = (0...n).map { i -> Double in
      let t = Double(i) / Double(n)
      return i == n ? hi : lo * (1 - t) + hi * t
    }
    let (a, b) = (lo / 2, hi / 2)
    let index = { (x: Double) -> Int in
      min(max(0, saturatingInt(((x / 2 - a) / (b - a) * Double(n)).rounded(.down))), n - 1)
    }
    // As few significant digits as tell every edge apart.
    func shown(_ e: Double, _ digits: Int) -> String {
      let t = DisplayText.rounded(e, digits: digits)
      return t.hasSuffix(".0") ? String(t.dropLast(2)) : t
    }
    var digits = 3
    var text = edges.map { shown($0, digits) }
    while Set(text).count < text.count && digits < 17 {
      digits += 1
      text = edges.map { shown($0, digits) }
    }
    return Bins(edges: edges, labels: Histogram.labels(text), index: index)
  }

  /// Nice edges covering `lo…hi`, or nil when the range is beyond nice steps (±1e308) or
  /// would need far more bins than asked for.
  private func niceEdges(_ lo: Double, _ hi: Double, target: Int) -> [Double]? {
    guard (hi - lo).isFinite else { return nil }
    var step = Ticks.step(range: hi - lo, count: max(1, target))
    if integral { step = max(1, step.rounded(.up)) }
    if hi == lo { step = integral ? 1 : max(abs(lo) * 0.1, 1) }
    let start = (lo / step).rounded(.down) * step
    var edges = [start]
    while edges[edges.count - 1] <= hi || edges.count < 2 {
      edges.append(start + Double(edges.count) * step)
      if edges.count > 4 * target + 4 { return nil }
    }
    return edges
  }

  private static func labels(_ edges: [String]) -> [String] {
    (0..<(edges.count - 1)).map { i in
      "[" + edges[i] + ", " + edges[i + 1] + (i == edges.count - 2 ? "]" : ")")
    }
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
    let b = bins(xs)
    var counts = [Int](repeating: 0, count: b.labels.count)
    for x in xs { counts[b.index(x)] += 1 }
    let labels = b.labels
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
