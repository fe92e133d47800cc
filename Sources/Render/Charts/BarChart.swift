import Columnar

/// A horizontal bar chart: one bar per row in row order, scaled to the largest absolute
/// value; negative values drawn leftward from a zero axis; each value printed after its bar.
public struct BarChart: Sendable {
  /// Row labels.
  public var labels: [String]
  /// Values (nil: null, drawn as no bar).
  public var values: [Double?]
  /// How each value is printed.
  public var valueTexts: [String]
  /// The label and value column names, for the title.
  public var title: String

  /// Makes a bar chart.
  public init(labels: [String], values: [Double?], valueTexts: [String], title: String) {
    self.labels = labels
    self.values = values
    self.valueTexts = valueTexts
    self.title = title
  }

  /// The chart as text.
  /// - Throws: `ChartError` when there are no rows.
  public func render(_ o: ChartOptions) throws(ChartError) -> String {
    guard !labels.isEmpty else {
      throw ChartError(message: "bar has no rows to draw", hints: ["check the filters before bar"])
    }
    let valueWidth = valueTexts.map(\.count).max() ?? 1
    let longest = labels.map(\.count).max() ?? 1
    let finite = values.map { v in v.flatMap { $0.isFinite ? $0 : nil } }
    let maxPos = finite.compactMap { $0 }.filter { $0 > 0 }.max() ?? 0
    let maxNeg = -(finite.compactMap { $0 }.filter { $0 < 0 }.min() ?? 0)
    let hasNeg = maxNeg > 0
    let fixed = valueWidth + 2 + (hasNeg ? 1 : 0)
    let labelWidth = max(1, min(longest, max(8, o.width / 3), o.width - fixed - 4))
    let barArea = max(4, o.width - labelWidth - fixed)
    let scale = max(maxPos, maxNeg)
    let negCells =
      hasNeg ? saturatingInt((Double(barArea) * maxNeg / (maxPos + maxNeg)).rounded()) : 0
    let posCells = barArea - negCells
    let unit = scale > 0 ? Double(hasNeg ? barArea : posCells) / (maxPos + maxNeg) : 0
    var out = ChartText.clip(title, o.width, unicode: o.unicode) + "\n"
    for (i, label) in labels.enumerated() {
      var line =
        ChartText.padRight(ChartText.clip(label, labelWidth, unicode: o.unicode), labelWidth) + " "
      let v = finite[i] ?? 0
      if hasNeg {
        let n = v < 0 ? saturatingInt((-v * unit).rounded()) : 0
        line += String(repeating: " ", count: max(0, negCells - n))
        line += ChartText.paint(
          String(repeating: o.unicode ? "█" : "#", count: min(n, negCells)), 1, o.color)
        line += o.unicode ? "│" : "|"
      }
      let cells = v > 0 ? v * unit : 0
      let bar = v > 0 ? blocks(cells, o.unicode) : ""
      line += ChartText.paint(bar, 0, o.color)
      line += String(repeating: " ", count: max(0, posCells - bar.count)) + " "
      line += valueTexts[i]
      out += line + "\n"
    }
    return out
  }

  /// A bar `cells` long, with an eighth-block end in Unicode.
  func blocks(_ cells: Double, _ unicode: Bool) -> String {
    guard unicode else {
      return String(repeating: "#", count: max(1, min(10_000, saturatingInt(cells.rounded()))))
    }
    let whole = min(10_000, max(0, saturatingInt(cells)))
    let eighths = min(8, max(0, saturatingInt(((cells - Double(whole)) * 8).rounded())))
    let parts: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    var s = String(repeating: "█", count: whole)
    if eighths == 8 {
      s += "█"
    } else if eighths > 0 {
      s.append(parts[eighths - 1])
    }
    return s.isEmpty ? "▏" : s
  }
}
