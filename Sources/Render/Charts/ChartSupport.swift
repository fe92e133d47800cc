import Columnar

/// How a chart is drawn.
public struct ChartOptions: Sendable {
  /// Total width in columns; the chart never exceeds it.
  public var width: Int
  /// Rows of the plot area (trend) ; other charts ignore it.
  public var height: Int
  /// Unicode (braille, blocks) or ASCII only.
  public var unicode: Bool
  /// ANSI colour for series.
  public var color: Bool

  /// Makes options.
  public init(width: Int = 80, height: Int = 12, unicode: Bool = true, color: Bool = false) {
    self.width = width
    self.height = height
    self.unicode = unicode
    self.color = color
  }
}

/// A chart that cannot be drawn from the data it was given, with a hint.
public struct ChartError: Error, Sendable, Equatable {
  /// What is wrong.
  public var message: String
  /// How to fix it.
  public var hints: [String]
}

/// Nice axis ticks (steps of 1, 2 or 5 × 10^k) and their labels.
public enum Ticks {
  /// The nice step for a range divided into about `count` parts.
  public static func step(range: Double, count: Int) -> Double {
    guard range > 0, range.isFinite else { return 1 }
    let raw = range / Double(max(1, count))
    var magnitude = 1.0
    while magnitude * 10 <= raw { magnitude *= 10 }
    while magnitude > raw { magnitude /= 10 }
    for m in [1.0, 2.0, 5.0, 10.0] where m * magnitude >= raw { return m * magnitude }
    return 10 * magnitude
  }

  /// Nice bounds and ticks covering `lo...hi` with 4 to 6 labels where possible.
  public static func nice(_ lo: Double, _ hi: Double) -> (lo: Double, hi: Double, ticks: [Double]) {
    var lo = lo
    var hi = hi
    guard (hi - lo).isFinite, lo.isFinite, hi.isFinite else { return (lo, hi, [lo, hi]) }
    if lo == hi {
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      lo -= pad
      hi += pad
    }
    var best: (Double, Double, [Double])?
    for target in [4, 5, 3, 6, 2] {
      let s = step(range: hi - lo, count: target)
      let start = (lo / s).rounded(.down) * s
      let end = (hi / s).rounded(.up) * s
      let n = min(1000, saturatingInt(((end - start) / s).rounded()) + 1)
      let ticks = (0..<n).map { start + Double($0) * s }
      if (4...6).contains(ticks.count) { return (start, end, ticks) }
      if best == nil { best = (start, end, ticks) }
    }
    return best ?? (lo, hi, [lo, hi])
  }

  /// Decimal places that show a step exactly (0 for whole steps).
  public static func decimals(for step: Double) -> Int {
    var d = 0
    var s = abs(step)
    while d < 10 && abs(s - s.rounded()) > 1e-9 * max(1, s) {
      s *= 10
      d += 1
    }
    return d
  }

  /// A number with exactly `decimals` places, rounded half away from zero (no locale).
  public static func format(_ v: Double, decimals: Int) -> String {
    var p = 1.0
    for _ in 0..<decimals { p *= 10 }
    let scaled = (abs(v) * p).rounded(.toNearestOrAwayFromZero)
    guard scaled < 9e15 else { return String(v) }
    let n = Int(scaled)
    let pi = Int(p)
    let whole = String(n / max(1, pi))
    var text = decimals == 0 ? String(n) : whole
    if decimals > 0 {
      let frac = String(n % pi)
      text += "." + String(repeating: "0", count: decimals - frac.count) + frac
    }
    return (v < 0 && n != 0 ? "-" : "") + text
  }
}

/// Text helpers shared by the charts.
enum ChartText {
  /// `s` cut to `width` characters with `…` (or `~` in ASCII).
  static func clip(_ s: String, _ width: Int, unicode: Bool) -> String {
    guard width > 0 else { return "" }
    return s.count <= width ? s : String(s.prefix(width - 1)) + (unicode ? "…" : "~")
  }

  static func padLeft(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - s.count)) + s
  }

  static func padRight(_ s: String, _ width: Int) -> String {
    s + String(repeating: " ", count: max(0, width - s.count))
  }

  static let colors = [34, 31, 32, 35, 33, 36, 91, 94]

  static func paint(_ s: String, _ series: Int, _ on: Bool) -> String {
    on ? "\u{1B}[\(colors[series % colors.count])m" + s + "\u{1B}[0m" : s
  }
}
