import Columnar
import Language
import Render

extension Session {
  /// Draws a chart stage's table.
  func chart(_ request: ChartRequest, _ table: Table) throws(Diagnostic) -> String {
    var options = ChartOptions(
      width: request.width ?? settings.width, height: request.height ?? 12,
      unicode: !(settings.ascii || settings.asciiCharts), color: settings.color && output == nil)
    options.width = max(10, options.width)
    let columns = request.columns.map { table.columns[$0] }
    let names = request.columns.map { table.names[$0] }
    do throws(ChartError) {
      switch request.kind {
      case .trend:
        let kind: TrendChart.XKind =
          switch columns[0].type {
          case .date: .date
          case .int: .integer
          default: .number
          }
        let series = request.series.map { s in
          (0..<table.rowCount).map { r -> String? in
            let v = table.columns[s].value(at: r)
            return v.isNull ? nil : CellText.format(v)
          }
        }
        let chart = TrendChart(
          xs: Session.numbers(columns[0]), ys: Session.numbers(columns[1]), series: series,
          xKind: kind, xName: names[0], yName: names[1],
          seriesName: request.series.map { table.names[$0] })
        return try chart.render(options)
      case .bar:
        let labels = (0..<table.rowCount).map { r -> String in
          let v = columns[0].value(at: r)
          return v.isNull ? "null" : CellText.format(v)
        }
        let texts = (0..<table.rowCount).map { r -> String in
          let v = columns[1].value(at: r)
          return v.isNull ? "null" : CellText.format(v)
        }
        let chart = BarChart(
          labels: labels, values: Session.numbers(columns[1]), valueTexts: texts,
          title: "\(names[1]) by \(names[0])")
        return try chart.render(options)
      case .hist:
        let chart = Histogram(
          values: Session.numbers(columns[0]), bins: request.bins, column: names[0],
          integral: columns[0].type == .int)
        return try chart.render(options)
      }
    } catch {
      throw Diagnostic(error.message, at: request.span, hints: error.hints)
    }
  }

  static func numbers(_ c: Column) -> [Double?] {
    switch c {
    case .int(let t), .date(let t): (0..<t.values.count).map { t[$0].map(Double.init) }
    case .float(let t): (0..<t.values.count).map { t[$0] }
    default: Array(repeating: nil, count: c.count)
    }
  }
}
