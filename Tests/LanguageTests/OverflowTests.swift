import Testing

@testable import Columnar
@testable import Language

/// The language has no infinities: a float result beyond the float range is null, and the
/// run says how many and where.
struct OverflowTests {
  let huge = Table([("v", .float(TypedColumn([1e160, 2e160, 3e160, 1e308])))])

  func run(_ text: String) throws -> (Table, [Diagnostic]) {
    var catalog = Catalog()
    catalog.set("big", huge)
    let source = SourceText(name: "test", text: text)
    guard case .pipeline(let p) = try Parser.parse(source)[0] else {
      throw Diagnostic("?", at: nil)
    }
    let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
    let executor = Executor(cancellation: nil)
    let table = try executor.run(checked.plan)
    return (table, executor.warnings)
  }

  @Test func arithmeticBeyondTheRangeIsNullWithACountedWarningAtTheExpression() throws {
    let (t, warnings) = try run("big | select w = v * 2., z = v + 1")
    #expect(lines(t) == ["2e+160,1e+160", "4e+160,2e+160", "6e+160,3e+160", "null,1e+308"])
    #expect(warnings.count == 1)
    #expect(warnings.first?.severity == .warning)
    #expect(warnings.first?.message.hasPrefix("1 float result beyond ±1.8e308") == true)
    // The caret is on `v * 2.`, bytes 17…23 of the statement.
    #expect(warnings.first?.span?.start == 17)
    #expect(warnings.first?.span?.end == 23)
  }

  @Test func aggregatesOfHugeValuesStayNumbers() throws {
    let (t, warnings) = try run(
      "big | filter v < 1e200 | group (s = stddev(v), m = avg(v), t = sum(v))")
    let row = try #require(lines(t).first).split(separator: ",").compactMap { Double($0) }
    #expect(row.count == 3)
    #expect(abs(row[0] / 1e160 - 1) < 1e-12)
    #expect(abs(row[1] / 2e160 - 1) < 1e-12)
    #expect(abs(row[2] / 6e160 - 1) < 1e-12)
    #expect(warnings.isEmpty)
  }

  @Test func aMeanOfValuesWhoseSumOverflowsIsStillTheMean() {
    #expect(abs(Aggregation.mean([1e308, 1e308, 1.5e308]) / 1.1666666666666667e308 - 1) < 1e-15)
    #expect(Aggregation.stddev([1e160, 2e160, 3e160]).map { abs($0 / 1e160 - 1) < 1e-12 } == true)
  }

  @Test func aSumThatOverflowsIsNullAndSaysSo() throws {
    let (t, warnings) = try run("big | append big | group (s = sum(v))")
    #expect(lines(t) == ["null"])
    #expect(warnings.count == 1)
    #expect(warnings.first?.message.hasPrefix("1 float result") == true)
  }

  @Test func aWarningIsNotLeftOverForTheNextRun() throws {
    var catalog = Catalog()
    catalog.set("big", huge)
    let executor = Executor(cancellation: nil)
    for (text, expected) in [("big | select w = v * 10", 1), ("big | select w = v / 10", 0)] {
      guard case .pipeline(let p) = try Parser.parse(SourceText(name: "t", text: text))[0] else {
        return
      }
      let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
      _ = try executor.run(checked.plan)
      #expect(executor.warnings.count == expected)
    }
  }
}
