/// The one place where a value becomes text: floats in the shortest form that reads back to
/// the same number, dates as `YYYY-MM-DD`, bools as `true`/`false`. Locale never matters.
public enum CellText {
  /// The text of a value; null is the empty string.
  public static func format(_ v: Value) -> String {
    switch v {
    case .null: ""
    case .int(let i): String(i)
    case .float(let d): format(d)
    case .text(let s): s
    case .bool(let b): b ? "true" : "false"
    case .date(let d): CivilDate.format(d)
    }
  }

  /// A double in its shortest round-trip form (`88.26`, `3.0`, `1e+16`).
  public static func format(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    return d == 0 ? (d.sign == .minus ? "-0.0" : "0.0") : String(d)
  }
}

/// A double as an Int without trapping: NaN is 0, and values beyond ±2^62 are clamped.
/// For drawing and bucketing, where a position only needs to be in range.
public func saturatingInt(_ d: Double) -> Int {
  if d.isNaN { return 0 }
  if d >= 4.6e18 { return 1 << 62 }
  if d <= -4.6e18 { return -(1 << 62) }
  return Int(d)
}
