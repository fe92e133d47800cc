import Columnar

/// A line chart of y over x, one line per series (at most 8), told apart by marker glyphs
/// and, on a terminal, colour. The y axis has 4–6 nice ticks; x ticks are whole numbers
/// for integer x (years) and dates for date x. A null y, or a whole-number x step that a
/// series skips, leaves a gap instead of a line.
public struct TrendChart: Sendable {
  /// What the x values are.
  public enum XKind: Sendable { case integer, number, date }

  /// x values (days since the epoch for dates).
  public var xs: [Double?]
  /// y values.
  public var ys: [Double?]
  /// Series names, one per row, or nil for a single series.
  public var series: [String?]?
  /// The kind of x.
  public var xKind: XKind
  /// Column names for the title.
  public var xName: String
  public var yName: String
  public var seriesName: String?

  /// Makes a trend chart.
  public init(
    xs: [Double?], ys: [Double?], series: [String?]?, xKind: XKind, xName: String, yName: String,
    seriesName: String?
  ) {
    self.xs = xs
    self.ys = ys
    self.series = series
    self.xKind = xKind
    self.xName = xName
    self.yName = yName
    self.seriesName = seriesName
  }

  static let markers: [Character] = ["●", "■", "▲", "◆", "✚", "★", "○", "□"]
  /// None is an axis or line glyph (`+ - | / \\ .`), so a marker is never read as the axis.
  static let asciiMarkers: [Character] = ["*", "o", "x", "#", "@", "%", "&", "="]

  struct Line {
    var name: String
    var points: [(x: Double, y: Double?)]
  }

  /// Rows grouped into series in order of first appearance, each sorted by x.
  func lines() throws(ChartError) -> [Line] {
    var names: [String] = []
    var index: [String: Int] = [:]
    var out: [Line] = []
    for i in xs.indices {
      guard let x = xs[i], x.isFinite else { continue }
      let name = series.map { $0[i] ?? "null" } ?? yName
      let at: Int
      if let known = index[name] {
        at = known
      } else {
        at = names.count
        index[name] = at
        names.append(name)
        out.append(Line(name: name, points: []))
      }
      out[at].points.append((x, ys[i].flatMap { $0.isFinite ? $0 : nil }))
    }
    guard out.count <= 8 else {
      throw ChartError(
        message:
          "trend draws at most 8 series; \(seriesName ?? "the series column") has \(out.count)",
        hints: [
          "keep at most 8 before trend, e.g. | filter \(seriesName ?? "series") in (\"A\", \"B\"), or chart them in groups"
        ])
    }
    for k in out.indices {
      out[k].points.sort { $0.x < $1.x }
      for j in out[k].points.indices.dropFirst() where out[k].points[j].x == out[k].points[j - 1].x
      {
        let at = xText(out[k].points[j].x)
        throw ChartError(
          message:
            "two \(yName) values for \(xName) = \(at)\(series == nil ? "" : " in series \(out[k].name)")",
          hints: [
            "make one row per \(xName)\(seriesName.map { " and \($0)" } ?? ""), e.g. | group \(xName)\(seriesName.map { ", \($0)" } ?? "") (\(yName) = avg(\(yName)))"
          ])
      }
    }
    return out
  }

  func xText(_ x: Double) -> String {
    switch xKind {
    case .integer: String(saturatingInt(x))
    case .date: CivilDate.format(saturatingInt(x))
    case .number: CellText.format(x)
    }
  }

  /// The chart as text.
  /// - Throws: `ChartError` for no rows, more than 8 series, or two y values for one x.
  public func render(_ o: ChartOptions) throws(ChartError) -> String {
    let lines = try lines()
    let allY = lines.flatMap { $0.points.compactMap(\.y) }
    let allX = lines.flatMap { $0.points.map(\.x) }
    guard let yMin = allY.min(), let yMax = allY.max(), let xMin = allX.min(), let xMax = allX.max()
    else {
      throw ChartError(
        message: "trend has no rows with both \(xName) and \(yName) to draw",
        hints: ["check the filters before trend"])
    }
    let scale = YScale.fit(yMin, yMax, height: o.height)
    let yTicks = scale.ticks
    let decimals = Ticks.decimals(for: scale.step)
    let yLabels = yTicks.map { Ticks.format($0, decimals: decimals) }
    let labelWidth = yLabels.map(\.count).max() ?? 1
    let plotWidth = max(8, o.width - labelWidth - 2)
    let plotHeight = scale.rows
    var canvas = Canvas(width: plotWidth, height: plotHeight, unicode: o.unicode)
    let step = xKind == .integer ? minimalStep(lines) : nil
    let map = Mapping(xMin: xMin, xMax: xMax, y: scale, dotsX: canvas.dotsX, cellY: canvas.cellY)
    for (k, line) in lines.enumerated() {
      for (p, q) in zip(line.points, line.points.dropFirst()) {
        guard let py = p.y, let qy = q.y else { continue }
        if let step, q.x - p.x > step { continue }
        canvas.line(map.dot(p.x, py), map.dot(q.x, qy), series: k)
      }
    }
    for (k, line) in lines.enumerated() {
      for p in line.points {
        guard let y = p.y else { continue }
        let marker = o.unicode ? TrendChart.markers[k] : TrendChart.asciiMarkers[k]
        canvas.mark(map.dot(p.x, y), marker, series: k)
      }
    }
    let title = "\(yName) by \(xName)" + (seriesName.map { ", per \($0)" } ?? "")
    var out = ChartText.clip(title, o.width, unicode: o.unicode) + "\n"
    let rows = canvas.rows(color: o.color)
    for r in 0..<plotHeight {
      let label = r % scale.rowsPerTick == 0 ? yLabels[r / scale.rowsPerTick] : ""
      let axis = o.unicode ? (label.isEmpty ? "│" : "┤") : (label.isEmpty ? "|" : "+")
      out += ChartText.padLeft(label, labelWidth) + " " + axis + rows[r] + "\n"
    }
    out += xAxis(map, labelWidth: labelWidth, plotWidth: plotWidth, canvas: canvas, o)
    if seriesName != nil { out += legend(lines, o) }
    return out
  }

  /// The smallest gap between neighbouring x values of any series (whole-number axes).
  func minimalStep(_ lines: [Line]) -> Double? {
    var best: Double?
    for line in lines {
      for (p, q) in zip(line.points, line.points.dropFirst()) where q.x > p.x {
        best = min(best ?? q.x - p.x, q.x - p.x)
      }
    }
    return best
  }

  func legend(_ lines: [Line], _ o: ChartOptions) -> String {
    var out = ""
    var current = ""
    var visible = 0
    for (k, line) in lines.enumerated() {
      let marker = String(o.unicode ? TrendChart.markers[k] : TrendChart.asciiMarkers[k])
      let name = ChartText.clip(line.name, max(4, o.width - 4), unicode: o.unicode)
      let item = marker + " " + name
      if visible > 0 && visible + 3 + item.count > o.width {
        out += current + "\n"
        current = ""
        visible = 0
      }
      if visible > 0 {
        current += "   "
        visible += 3
      }
      current += ChartText.paint(marker, k, o.color) + " " + name
      visible += item.count
    }
    return out + current + "\n"
  }
}
