import Columnar

/// The y axis of a trend: nice ticks `hi, hi − step, …, lo`, one every `rowsPerTick` rows, so
/// that row `r` (0 at the top) stands for `hi − r · step / rowsPerTick` and every label sits
/// on the row of the value it names.
struct YScale {
  let lo, hi: Double
  let step: Double
  let rowsPerTick: Int
  let rows: Int
  /// Tick values from the top.
  var ticks: [Double] {
    var out = [hi]
    // Step by step, so that even a step near 1e308 never overflows.
    for _ in 0..<(rows - 1) / rowsPerTick { out.append(out[out.count - 1] - step) }
    return out
  }

  /// The scale nearest `height` rows whose ticks fall evenly on rows: among nice steps and
  /// tick counts (3–9 labels, 4–6 preferred, an interval or two of padding allowed), the one
  /// that needs the least change of height.
  static func fit(_ yMin: Double, _ yMax: Double, height: Int) -> YScale {
    var lo = yMin
    var hi = yMax
    let h = max(3, height)
    if lo == hi {
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      lo -= pad
      hi += pad
    }
    guard (hi - lo).isFinite, hi - lo > 0 else {
      // Beyond the float range (±1e308): the two ends and the middle are labelled.
      let m = max(1, (h - 1) / 2)
      return YScale(lo: lo, hi: hi, step: hi / 2 - lo / 2, rowsPerTick: m, rows: 2 * m + 1)
    }
    var best: (cost: Int, scale: YScale)?
    for count in 1...8 {
      let s = Ticks.step(range: hi - lo, count: count)
      let start = (lo / s).rounded(.down) * s
      let end = (hi / s).rounded(.up) * s
      let needed = max(1, saturatingInt(((end - start) / s).rounded()))
      guard needed <= 8 else { continue }
      for k in needed...max(needed, 8) {
        let extra = k - needed
        // Pad below only where that does not cross zero for values that are all positive.
        var below = extra / 2
        if lo >= 0 { below = min(below, saturatingInt((start / s).rounded())) }
        let top = end + Double(extra - below) * s
        let m = max(1, saturatingInt((Double(h - 1) / Double(k)).rounded()))
        let rows = m * k + 1
        let labels = k + 1
        // An empty interval wastes a fifth of the chart; a row more or less is barely seen.
        let crowd = labels < 4 ? (4 - labels) * 3 : labels > 6 ? (labels - 6) * 2 : 0
        // And the part of the axis the values leave empty.
        let bottom = top - Double(k) * s
        let empty = 1 - (yMax - yMin) / (top - bottom)
        let cost = abs(rows - h) * 2 + extra * 3 + crowd + saturatingInt((empty * 12).rounded())
        if best.map({ cost < $0.cost }) ?? true {
          best = (cost, YScale(lo: bottom, hi: top, step: s, rowsPerTick: m, rows: rows))
        }
      }
    }
    return best?.scale
      ?? YScale(lo: lo, hi: hi, step: hi - lo, rowsPerTick: h - 1, rows: h)
  }

  /// The row (from 0 at the top, fractional) where `y` lies.
  func row(_ y: Double) -> Double {
    // Halves keep the difference finite near ±1e308; scaling by 2 is exact.
    let span = hi / 2 - lo / 2
    guard span > 0 else { return Double(rows - 1) / 2 }
    return (hi / 2 - y / 2) / span * Double(rows - 1)
  }
}

/// Maps data to dot positions on the canvas: x linearly over the dots, y onto the dot within
/// the row nearest its value.
struct Mapping {
  let xMin, xMax: Double
  let y: YScale
  let dotsX, cellY: Int

  func dot(_ x: Double, _ v: Double) -> (x: Int, y: Int) {
    let xSpan = xMax / 2 - xMin / 2
    let dx =
      xSpan == 0
      ? dotsX / 2 : saturatingInt(((x / 2 - xMin / 2) / xSpan * Double(dotsX - 1)).rounded())
    let fr = y.row(v)
    let dy = fr.isFinite ? saturatingInt(((fr + 0.5) * Double(cellY)).rounded(.down)) : 0
    return (min(max(0, dx), dotsX - 1), min(max(0, dy), y.rows * cellY - 1))
  }
}

extension TrendChart {
  /// The x axis line with tick marks and, under it, the tick labels: the finest evenly spaced
  /// ticks whose labels all fit without overlapping, so that labels are fewer, never missing.
  func xAxis(_ map: Mapping, labelWidth: Int, plotWidth: Int, canvas: Canvas, _ o: ChartOptions)
    -> String
  {
    func place(_ ticks: [(Double, String)]) -> [(col: Int, start: Int, label: String)]? {
      var out: [(col: Int, start: Int, label: String)] = []
      var lastEnd = -2
      for (x, label) in ticks {
        let col = map.dot(x, map.y.lo).x / canvas.cellX
        let start = min(max(0, col - label.count / 2), max(0, plotWidth - label.count))
        guard start > lastEnd, start + label.count <= plotWidth else { return nil }
        out.append((col, start, label))
        lastEnd = start + label.count
      }
      return out.isEmpty ? nil : out
    }
    var candidates = xTicks(map, plotWidth: plotWidth)
    candidates.append([(map.xMin, xText(map.xMin)), (map.xMax, xText(map.xMax))])
    candidates.append([(map.xMin, xText(map.xMin))])
    let placed =
      candidates.lazy.compactMap(place).first
      ?? [(0, 0, ChartText.clip(xText(map.xMin), plotWidth, unicode: o.unicode))]
    var axis = Array(repeating: o.unicode ? "─" : "-", count: plotWidth)
    var labels = Array(repeating: Character(" "), count: plotWidth)
    for (col, start, label) in placed {
      axis[min(col, plotWidth - 1)] = o.unicode ? "┬" : "+"
      for (i, ch) in label.enumerated() where start + i < plotWidth { labels[start + i] = ch }
    }
    let pad = String(repeating: " ", count: labelWidth)
    let corner = o.unicode ? "└" : "+"
    var out = pad + " " + corner + axis.joined() + "\n"
    out += pad + "  " + String(labels).replacing(/\s+$/, with: "") + "\n"
    return out
  }

  /// Candidate tick sets, finest first: whole numbers for integer x (multiples of 1, 2, 5,
  /// 10, …, or counted from the first x when no multiple falls in the range), nice numbers,
  /// or dates.
  func xTicks(_ map: Mapping, plotWidth: Int) -> [[(Double, String)]] {
    let span = map.xMax - map.xMin
    if span == 0 || !span.isFinite { return [[(map.xMin, xText(map.xMin))]] }
    switch xKind {
    case .integer:
      var out: [[(Double, String)]] = []
      var step = 1.0
      while step <= span * 2 && out.count < 40 {
        var ticks: [(Double, String)] = []
        var t = (map.xMin / step).rounded(.up) * step
        while t <= map.xMax && ticks.count <= plotWidth {
          ticks.append((t, xText(t)))
          t += step
        }
        if ticks.count < 2 {
          ticks = []
          t = map.xMin
          while t <= map.xMax && ticks.count <= plotWidth {
            ticks.append((t, xText(t)))
            t += step
          }
        }
        if ticks.count <= plotWidth { out.append(ticks) }
        step = Ticks.step(range: step * 1.5, count: 1)
      }
      return out
    case .number:
      return [12, 8, 6, 5, 4, 3, 2].map { evenTicks(map, Ticks.step(range: span, count: $0)) }
    case .date:
      return [dateTicks(map, plotWidth: plotWidth)]
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
