import Columnar
import Testing

@testable import Render

/// Counts read as English: one row, two rows; a histogram with no nulls does not mention them.
struct CountedTests {
  @Test func singularForOne() {
    #expect(counted(1, "row") == "1 row")
    #expect(counted(0, "row") == "0 rows")
    #expect(counted(2, "more row") == "2 more rows")
    #expect(counted(1, "value") + " in " + counted(1, "bin") == "1 value in 1 bin")
  }

  @Test func histogramOfOneValue() throws {
    let o = ChartOptions(width: 40, height: 10, unicode: false, color: false)
    let one = try Histogram(values: [5], bins: nil, column: "v", integral: false).render(o)
    #expect(one.hasPrefix("v: 1 value in 1 bin"))
    #expect(!one.contains("null"))
    let withNull = try Histogram(values: [5, nil], bins: nil, column: "v", integral: false)
      .render(o)
    #expect(withNull.hasSuffix("1 null left out\n"))
  }

  @Test func boxFooterForOneRow() {
    let t = Table([("x", .int(TypedColumn([1])))])
    let out = TableRenderer(format: .box, options: RenderOptions()).render(t)
    #expect(out.hasSuffix("1 row\n"))
  }
}
