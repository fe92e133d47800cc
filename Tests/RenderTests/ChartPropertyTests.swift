import Columnar
import TestSupport
import Testing

@testable import Render

/// Charts read back: random points are drawn, then the picture is parsed as a person reads
/// it (labels, rows, markers, ticks) and compared with the data.
struct ChartPropertyTests {
  struct Picture {
    var labelRows: [(row: Int, value: Double)] = []
    var markerRows: [Int: [Int]] = [:]
    var rows = 0
    var ticks: [(col: Int, value: Double)] = []
  }

  /// Parses a single-series trend: title, plot rows, the x axis, the x labels.
  static func read(_ text: String, unicode: Bool) -> Picture {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
      Array($0)
    }
    var p = Picture()
    let axis = lines[lines.count - 2]
    let corner = axis.firstIndex(where: { $0 != " " }) ?? 0
    let plot = lines[1..<(lines.count - 2)]
    p.rows = plot.count
    let marker: Character = unicode ? "●" : "*"
    for (r, line) in plot.enumerated() {
      let label = String(line[0..<min(corner, line.count)]).trimmingCharacters(in: .whitespaces)
      if let v = Double(label) { p.labelRows.append((r, v)) }
      for (c, ch) in line.enumerated() where c > corner && ch == marker {
        p.markerRows[r, default: []].append(c - corner - 1)
      }
    }
    let tickGlyph: Character = unicode ? "┬" : "+"
    let labels = lines[lines.count - 1]
    for (c, ch) in axis.enumerated() where c > corner && ch == tickGlyph {
      // The label under a tick is the run of digits around its column.
      let col = c - corner - 1
      let at = col + corner + 1
      var s = min(at, labels.count - 1)
      while s > 0 && labels[s - 1] != " " { s -= 1 }
      var e = s
      while e < labels.count && labels[e] != " " { e += 1 }
      if let v = Double(String(labels[s..<e])) { p.ticks.append((col, v)) }
    }
    return p
  }

  @Test func labelsSitOnTheRowsOfTheirValuesAndPointsOnTheNearestRow() throws {
    var g = SplitMix(seed: 20_261_203)
    for trial in 0..<300 {
      let n = Int.random(in: 1...14, using: &g)
      let unicode = Bool.random(using: &g)
      let height = Int.random(in: 3...24, using: &g)
      let width = Int.random(in: 24...140, using: &g)
      let scale = [1e-3, 0.5, 1, 7, 100, 1e4, 3e9][Int.random(in: 0...6, using: &g)]
      let offset =
        Double.random(in: -2...2, using: &g) * scale * Double(Int.random(in: 0...3, using: &g))
      let equal = trial % 17 == 0
      let start = Int.random(in: 1990...2020, using: &g)
      var xs: [Double?] = []
      var ys: [Double?] = []
      var year = start
      for _ in 0..<n {
        xs.append(Double(year))
        ys.append(equal ? offset + scale : offset + Double.random(in: -1...1, using: &g) * scale)
        year += Int.random(in: 1...3, using: &g)
      }
      let chart = TrendChart(
        xs: xs, ys: ys, series: nil, xKind: .integer, xName: "year", yName: "v", seriesName: nil)
      let o = ChartOptions(width: width, height: height, unicode: unicode, color: false)
      let text = try chart.render(o)
      let p = ChartPropertyTests.read(text, unicode: unicode)
      let context = "trial \(trial)\n\(text)"
      // Labels: at the top and bottom rows, evenly spaced in rows and in value.
      try #require(p.labelRows.count >= 2, "\(context)")
      #expect(p.labelRows.first?.row == 0 && p.labelRows.last?.row == p.rows - 1, "\(context)")
      let dr = p.labelRows[1].row - p.labelRows[0].row
      let dv = p.labelRows[0].value - p.labelRows[1].value
      for (a, b) in zip(p.labelRows, p.labelRows.dropFirst()) {
        #expect(b.row - a.row == dr, "\(context)")
        #expect(abs((a.value - b.value) - dv) <= 1e-9 * max(1, abs(dv)), "\(context)")
      }
      // Every point on the row nearest its value, and no marker elsewhere.
      func fractionalRow(_ y: Double) -> Double {
        Double(p.labelRows[0].row) + (p.labelRows[0].value - y) / dv * Double(dr)
      }
      let top = p.labelRows[0].value
      let bottom = p.labelRows[p.labelRows.count - 1].value
      for y in ys.compactMap({ $0 }) {
        #expect(y <= top + abs(dv) * 1e-9 && y >= bottom - abs(dv) * 1e-9, "\(y) \(context)")
        let fr = fractionalRow(y)
        let near = p.markerRows.keys.contains { abs(Double($0) - fr) <= 0.5 + 1e-6 }
        #expect(near, "\(y) at row \(fr): \(context)")
      }
      for r in p.markerRows.keys {
        let explained = ys.compactMap { $0 }.contains {
          abs(Double(r) - fractionalRow($0)) <= 0.5 + 1e-6
        }
        #expect(explained, "marker row \(r): \(context)")
      }
      // x labels: at least one, whole years in the range, evenly spaced; a tick at a year
      // with a point is in the column of that point's marker.
      try #require(!p.ticks.isEmpty, "\(context)")
      let steps = zip(p.ticks, p.ticks.dropFirst()).map { $1.value - $0.value }
      #expect(Set(steps).count <= 1, "\(context)")
      for t in p.ticks {
        #expect(t.value >= Double(start) && t.value <= Double(year), "\(context)")
        if let i = xs.firstIndex(of: t.value), let y = ys[i] {
          let r = Int(fractionalRow(y).rounded())
          let cols =
            (p.markerRows[r] ?? []) + (p.markerRows[r - 1] ?? []) + (p.markerRows[r + 1] ?? [])
          #expect(cols.contains(t.col), "tick \(t.value) at \(t.col): \(context)")
        }
      }
    }
  }

  @Test(arguments: [[1e308, -1e308], [-1e308, 5, 1e308], [7], [0, 0, 0], [-3, -2.5, -1]])
  func edgeCasesDrawLabelledCharts(_ values: [Double]) throws {
    for unicode in [true, false] {
      let xs = values.indices.map { Double(2000 + $0) }
      let chart = TrendChart(
        xs: xs, ys: values, series: nil, xKind: .integer, xName: "year", yName: "v",
        seriesName: nil)
      let text = try chart.render(ChartOptions(width: 60, height: 8, unicode: unicode))
      let p = ChartPropertyTests.read(text, unicode: unicode)
      #expect(p.labelRows.count >= 2, "\(text)")
      #expect(p.markerRows.values.reduce(0) { $0 + $1.count } >= 1, "\(text)")
      #expect(!p.ticks.isEmpty, "\(text)")
      for line in text.split(separator: "\n") { #expect(line.count <= 60) }
    }
  }

  @Test func asciiMarkersAreNotAxisGlyphsAndTheLegendShowsThem() throws {
    let markers = Set(TrendChart.asciiMarkers)
    #expect(markers.count == 8)
    #expect(markers.isDisjoint(with: ["+", "-", "|", "/", "\\", ".", " "]))
    #expect(Set(TrendChart.markers).count == 8)
    let chart = TrendChart(
      xs: [1, 2, 1, 2, 1, 2], ys: [1, 2, 2, 3, 3, 1], series: ["a", "a", "b", "b", "c", "c"],
      xKind: .integer, xName: "x", yName: "y", seriesName: "s")
    let text = try chart.render(ChartOptions(width: 40, height: 6, unicode: false))
    #expect(text.hasSuffix("* a   o b   x c\n"))
    for m in ["*", "o", "x"] { #expect(text.components(separatedBy: m).count - 1 >= 3, "\(text)") }
  }
}
