import Testing

@testable import Columnar
@testable import Language

/// Sparklines: nulls and missing x leave gaps, long ones are resampled to a bounded width.
struct SparkTests {
  @Test func aNullLeavesAGapAndAllEqualDrawsTheMiddle() throws {
    let t = try run("t | group region (s = spark(score))")
    #expect(lines(t) == ["Kab B, ▄", "Kab C,▄", "Kota A,▁▂█"])
  }

  @Test func sparkByXLeavesGapsForMissingSteps() throws {
    var catalog = Catalog()
    catalog.set(
      "s",
      Table([
        ("x", .int(TypedColumn([2015, 2016, 2019, 2020, 2018]))),
        (
          "y",
          .float(
            TypedColumn([1, 2, 4, 3, 5], validity: Validity([true, true, true, true, false])))
        ),
      ]))
    let text = "s | group (a = spark(y), b = spark(y, x))"
    guard case .pipeline(let p) = try Parser.parse(SourceText(name: "t", text: text))[0] else {
      return
    }
    let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
    let out = try Executor(cancellation: nil).run(checked.plan)
    // Row order for a; by x for b: 2015 2016 (2017 missing) (2018 null) 2019 2020.
    #expect(lines(out) == ["▁▃█▆ ,▁▃  █▆"])
  }

  @Test func aLongSparklineIsResampledByMeanToSixtyCells() throws {
    let cells: [Double?] = (0..<600).map { Double($0 / 10) }
    let r = Aggregation.resampled(cells, 60)
    #expect(r.count == 60)
    #expect(r.map { $0 ?? -1 } == (0..<60).map(Double.init))
    let gaps = Aggregation.resampled((0..<120).map { $0 < 60 ? nil : Double($0) }, 60)
    #expect(gaps.prefix(30).allSatisfy { $0 == nil } && gaps[30] == 60.5)
    let many = try run(
      "t | append t | append t | append t | append t | append t | append t | append t | append t"
        + " | append t | append t | group (s = spark(year))")
    #expect(try #require(lines(many).first).count == 60)
    var wide = Catalog()
    wide.set("w", Table([("v", .int(TypedColumn(Array(0..<100_000))))]))
    let text = "w | group (s = spark(v))"
    guard case .pipeline(let p) = try Parser.parse(SourceText(name: "t", text: text))[0] else {
      return
    }
    let checked = try Checker(CheckContext(catalog: wide, directory: ".")).check(p)
    let out = try Executor(cancellation: nil).run(checked.plan)
    #expect(CellText.format(out.columns[0].value(at: 0)).count == 60)
  }

  @Test func sparkByXIsRefusedInDerive() {
    let d = diagnostic("t | derive s = 1️⃣spark(score, year) by region")
    #expect(d?.message == "spark(y, x) places values by x only inside group")
  }
}
