import Columnar
import Foundation
import Testing

@testable import Render

/// Charts at widths 40, 80 and 120, Unicode and ASCII, with and without series, compared
/// with recorded pictures (`RECORD_GOLDENS=1` re-records), plus the rules every chart keeps.
struct ChartTests {
  static let goldens: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast()
    return parts.joined(separator: "/") + "/Goldens/"
  }()

  static let years: [Double?] = [
    2019, 2021, 2022, 2023, 2024, 2019, 2021, 2022, 2024, 2021, 2022, 2023, 2024,
  ]
  static let scores: [Double?] = [
    61.5, 75.08, 79.35, 88.81, 92.08, 40, 58.4, 63.67, nil, 91.77, 84.0, 86.5, 87.88,
  ]
  static let names: [String?] = [
    "Jawa Timur", "Jawa Timur", "Jawa Timur", "Jawa Timur", "Jawa Timur", "Kota Mojokerto",
    "Kota Mojokerto", "Kota Mojokerto", "Kota Mojokerto", "Kabupaten Ponorogo",
    "Kabupaten Ponorogo", "Kabupaten Ponorogo", "Kabupaten Ponorogo",
  ]

  static func charts(_ width: Int, _ unicode: Bool) throws -> [(String, String)] {
    let o = ChartOptions(width: width, height: 10, unicode: unicode, color: false)
    let series = TrendChart(
      xs: years, ys: scores, series: names, xKind: .integer, xName: "year", yName: "score",
      seriesName: "region")
    let single = TrendChart(
      xs: Array(years.prefix(5)), ys: Array(scores.prefix(5)), series: nil, xKind: .integer,
      xName: "year", yName: "score", seriesName: nil)
    let dates = TrendChart(
      xs: [19000, 19031, 19059, 19090, 19120, 19151, 19181].map { Double($0) },
      ys: [3, 5, 4, 8, 6, 9, 7], series: nil, xKind: .date, xName: "date", yName: "awards",
      seriesName: nil)
    let bar = BarChart(
      labels: ["Kota Surabaya", "Kabupaten Gresik", "Kota Mojokerto", "Jawa Timur", "Kota Batu"],
      values: [18.59, -22.35, 8.26, nil, 2.28],
      valueTexts: ["18.59", "-22.35", "8.26", "null", "2.28"], title: "change by region")
    let hist = Histogram(
      values: scores + [nil, 99.4, 22.04], bins: nil, column: "score", integral: false)
    return [
      ("trend-series", try series.render(o)), ("trend-single", try single.render(o)),
      ("trend-dates", try dates.render(o)), ("bar", try bar.render(o)),
      ("hist", try hist.render(o)),
    ]
  }

  @Test(arguments: [40, 80, 120], [true, false])
  func chartsMatchTheirRecordings(width: Int, unicode: Bool) throws {
    var picture = ""
    for (name, text) in try ChartTests.charts(width, unicode) { picture += "== \(name)\n" + text }
    let file = ChartTests.goldens + "charts-\(width)-\(unicode ? "unicode" : "ascii").txt"
    if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
      try picture.write(toFile: file, atomically: true, encoding: .utf8)
      Issue.record("re-recorded \(file)")
      return
    }
    let recorded = try String(contentsOfFile: file, encoding: .utf8)
    #expect(picture == recorded)
  }

  @Test(arguments: [20, 40, 60, 80, 120, 200], [true, false])
  func everyChartFitsTheWidthAndHasNoColourCodes(width: Int, unicode: Bool) throws {
    for (name, text) in try ChartTests.charts(width, unicode) {
      for line in text.split(separator: "\n") {
        #expect(line.count <= width, "\(name) at \(width): \(line)")
      }
      #expect(!text.contains("\u{1B}"), "\(name)")
      let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
      if !unicode { #expect(ascii, "\(name)") }
    }
  }

  @Test func trendHasNiceYTicksAndWholeYearLabels() throws {
    let text = try ChartTests.charts(80, true)[0].1
    let labels = text.split(separator: "\n").compactMap { line -> Double? in
      guard line.contains("┤") else { return nil }
      return Double(line.split(separator: "┤")[0].trimmingCharacters(in: .whitespaces))
    }
    #expect((4...6).contains(labels.count))
    let steps = Set(zip(labels, labels.dropFirst()).map { $0 - $1 })
    #expect(steps.count == 1)
    let step = try #require(steps.first)
    var magnitude = 1.0
    while magnitude * 10 <= step { magnitude *= 10 }
    #expect([1.0, 2.0, 5.0].contains(step / magnitude))
    let xLabels = text.split(separator: "\n").dropLast(1).last.map(String.init) ?? ""
    #expect(!xLabels.contains("."), "year labels are whole: \(xLabels)")
    #expect(xLabels.contains("2019") && xLabels.contains("2024"))
  }

  @Test func legendIsBelowThePlotAndNamesEverySeries() throws {
    let lines = try ChartTests.charts(80, true)[0].1.split(separator: "\n")
    let legend = lines.last ?? ""
    #expect(legend.contains("● Jawa Timur") && legend.contains("■ Kota Mojokerto"))
    #expect(lines.firstIndex { $0.contains("└") }! < lines.count - 1)
    #expect(lines[0] == "score by year, per region")
  }

  @Test func missingYearsAndNullsLeaveGaps() throws {
    let o = ChartOptions(width: 60, height: 6, unicode: false, color: false)
    func plotted(_ xs: [Double?], _ ys: [Double?]) throws -> Int {
      let t = TrendChart(
        xs: xs, ys: ys, series: nil, xKind: .integer, xName: "year", yName: "y", seriesName: nil)
      let rows = try t.render(o).split(separator: "\n").dropFirst().prefix(6)
      return rows.map { $0.dropFirst(6).filter { "-/\\|".contains($0) }.count }.reduce(0, +)
    }
    let joined = try plotted([2019, 2020, 2021, 2022], [10, 15, 20, 25])
    let skipped = try plotted([2019, 2020, 2022], [10, 15, 25])
    let nullY = try plotted([2019, 2020, 2021, 2022], [10, 15, nil, 25])
    #expect(skipped < joined)
    #expect(nullY < joined)
  }

  @Test func mistakesAreExplained() {
    let o = ChartOptions()
    let many = TrendChart(
      xs: (0..<9).map { _ in 2020 }, ys: (0..<9).map { Double($0) },
      series: (0..<9).map { "s\($0)" },
      xKind: .integer, xName: "year", yName: "y", seriesName: "s")
    #expect(throws: ChartError.self) { try many.render(o) }
    let twice = TrendChart(
      xs: [2020, 2020], ys: [1, 2], series: nil, xKind: .integer, xName: "year", yName: "y",
      seriesName: nil)
    do {
      _ = try twice.render(o)
      Issue.record("expected an error")
    } catch {
      #expect(error.message == "two y values for year = 2020")
      #expect(error.hints.first?.contains("group year (y = avg(y))") == true)
    }
    #expect(throws: ChartError.self) {
      try BarChart(labels: [], values: [], valueTexts: [], title: "").render(o)
    }
    #expect(throws: ChartError.self) {
      try Histogram(values: [nil], bins: nil, column: "x", integral: false).render(o)
    }
  }

  @Test func colourOnlyWhenAsked() throws {
    let o = ChartOptions(width: 80, height: 8, unicode: true, color: true)
    let t = TrendChart(
      xs: [1, 2], ys: [1, 2], series: ["a", "b"], xKind: .integer, xName: "x", yName: "y",
      seriesName: "s")
    #expect(try t.render(o).contains("\u{1B}["))
  }
}
