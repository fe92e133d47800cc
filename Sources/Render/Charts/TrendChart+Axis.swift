import Columnar

/// Maps data to dot positions on the canvas.
struct Mapping {
  let xMin, xMax, yMin, yMax: Double
  let dotsX, dotsY: Int

  func dot(_ x: Double, _ y: Double) -> (x: Int, y: Int) {
    let dx =
      xMax == xMin
      ? dotsX / 2 : saturatingInt(((x - xMin) / (xMax - xMin) * Double(dotsX - 1)).rounded())
    let dy =
      yMax == yMin
      ? dotsY / 2 : saturatingInt(((yMax - y) / (yMax - yMin) * Double(dotsY - 1)).rounded())
    return (min(max(0, dx), dotsX - 1), min(max(0, dy), dotsY - 1))
  }
}

extension TrendChart {
  /// The x axis line with tick marks and, under it, the tick labels (never overlapping).
  func xAxis(_ map: Mapping, labelWidth: Int, plotWidth: Int, canvas: Canvas, _ o: ChartOptions)
    -> String
  {
    let ticks = xTicks(map, plotWidth: plotWidth)
    var axis = Array(repeating: o.unicode ? "─" : "-", count: plotWidth)
    var labels = Array(repeating: Character(" "), count: plotWidth)
    var lastEnd = -2
    for (x, label) in ticks {
      let col = map.dot(x, map.yMin).x / canvas.cellX
      let start = min(max(0, col - label.count / 2), max(0, plotWidth - label.count))
      guard start > lastEnd, start + label.count <= plotWidth else { continue }
      axis[col] = o.unicode ? "┬" : "+"
      for (i, ch) in label.enumerated() { labels[start + i] = ch }
      lastEnd = start + label.count
    }
    let pad = String(repeating: " ", count: labelWidth)
    let corner = o.unicode ? "└" : "+"
    var out = pad + " " + corner + axis.joined() + "\n"
    out += pad + "  " + String(labels).replacing(/\s+$/, with: "") + "\n"
    return out
  }

  /// Tick positions and labels: whole numbers for integer x, dates for date x.
  func xTicks(_ map: Mapping, plotWidth: Int) -> [(Double, String)] {
    let span = map.xMax - map.xMin
    if span == 0 { return [(map.xMin, xText(map.xMin))] }
    switch xKind {
    case .integer:
      let width = max(xText(map.xMin).count, xText(map.xMax).count) + 2
      var step = 1.0
      while step / span * Double(plotWidth - 1) < Double(width) {
        step = Ticks.step(range: step * 2.5, count: 1)
      }
      var t = (map.xMin / step).rounded(.up) * step
      var out: [(Double, String)] = []
      while t <= map.xMax {
        out.append((t, xText(t)))
        t += step
      }
      return out
    case .number:
      for count in [8, 6, 5, 4, 3, 2] {
        let ticks = evenTicks(map, Ticks.step(range: span, count: count))
        let width = (ticks.map { $0.1.count }.max() ?? 1) + 2
        if Double(ticks.count) * Double(width) <= Double(plotWidth) { return ticks }
      }
      return [(map.xMin, xText(map.xMin)), (map.xMax, xText(map.xMax))]
    case .date:
      return dateTicks(map, plotWidth: plotWidth)
    }
  }

  private func evenTicks(_ map: Mapping, _ step: Double) -> [(Double, String)] {
    let d = Ticks.decimals(for: step)
    var t = (map.xMin / step).rounded(.up) * step
    var out: [(Double, String)] = []
    while t <= map.xMax + step * 1e-9 {
      out.append((t, Ticks.format(t, decimals: d)))
      t += step
    }
    return out
  }

  /// Years, months or days, whichever spacing fits.
  private func dateTicks(_ map: Mapping, plotWidth: Int) -> [(Double, String)] {
    let lo = CivilDate.civil(Int(map.xMin))
    let hi = CivilDate.civil(Int(map.xMax))
    func fits(_ n: Int, _ width: Int) -> Bool { n * (width + 2) <= plotWidth }
    for years in [1, 2, 5, 10, 20, 50, 100] where hi.year - lo.year >= 2 {
      var out: [(Double, String)] = []
      var y = (lo.year / years) * years
      while y <= hi.year {
        if let d = CivilDate.days(year: y, month: 1, day: 1), Double(d) >= map.xMin {
          out.append((Double(d), String(y)))
        }
        y += years
      }
      if fits(out.count, 4) && !out.isEmpty { return out }
    }
    for months in [1, 2, 3, 6] {
      var out: [(Double, String)] = []
      var (y, m) = (lo.year, lo.month)
      while (y, m) <= (hi.year, hi.month) {
        if (m - 1) % months == 0, let d = CivilDate.days(year: y, month: m, day: 1),
          Double(d) >= map.xMin
        {
          out.append((Double(d), CivilDate.format(d).prefix(7).description))
        }
        m += 1
        if m > 12 {
          m = 1
          y += 1
        }
      }
      if fits(out.count, 7) && out.count >= 2 { return out }
    }
    for days in [1, 2, 7, 14, 28] {
      var out: [(Double, String)] = []
      var d = map.xMin
      while d <= map.xMax {
        out.append((d, CivilDate.format(saturatingInt(d))))
        d += Double(days)
      }
      if fits(out.count, 10) { return out }
    }
    return [(map.xMin, xText(map.xMin)), (map.xMax, xText(map.xMax))]
  }
}
