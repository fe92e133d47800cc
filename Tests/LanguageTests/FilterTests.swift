import Columnar
import Testing

@testable import Language

/// A filter on a column compared with constants is and-ed straight into the row mask; it must
/// keep exactly the rows the full evaluation keeps (`coalesce(c)` is the same column, but not
/// in the simple form, so it takes the full path).
struct FilterTests {
  let table = Table([
    (
      "i",
      .int(
        TypedColumn(
          [3, -1, 7, 3, 0, 12], validity: Validity([true, true, true, false, true, true])))
    ),
    (
      "f",
      .float(
        TypedColumn(
          [1.5, -0.0, .nan, 2.5, 80, 80.5],
          validity: Validity([true, true, true, true, false, true])))
    ),
    ("s", .text(TextColumn(["ikm", "ipp", nil, "kepatuhan", "ikm", "Ikm"]))),
    ("d", .date(TypedColumn([19_000, 19_001, 19_365, 18_999, 19_000, 20_000]))),
  ])

  func keep(_ condition: String) throws -> [String] {
    var catalog = Catalog()
    catalog.set("t", table)
    let statements = try Parser.parse(SourceText(name: "test", text: "t | filter \(condition)"))
    guard case .pipeline(let p) = statements[0] else { return [] }
    let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
    return lines(try Executor(cancellation: nil).run(checked.plan))
  }

  @Test(arguments: [
    "i > 2", "i == 3", "i != 3", "2 < i", "i <= 0", "i >= null", "i in (3, 12, null)",
    "i in (3, 4, 2)", "i in (7)", "i in (-1, 0, 0, 1)",
    "i in -1..3", "i in 5..null", "f > 1", "f == -0.0", "f != 80.5", "f < 100", "1.5 >= f",
    "f in 1..81", "s == \"ikm\"", "s != \"ikm\"", "s < \"j\"", "\"ipp\" <= s",
    "s in (\"ikm\", \"ipp\")",
    "d == date(\"2022-01-08\")", "d > date(\"2022-01-01\")",
    "d in date(\"2022-01-01\")..date(\"2023-01-01\")",
    "i > 0 and s == \"ikm\" and f < 100",
    // `or` and `not` of simple conditions, with nulls, NaN, empty ranges, a null in a list.
    "not (i in 1..5)", "i in 5..1", "not (i in 5..1)", "not (i in (3, null))",
    "not (i in (3, 12))", "i > 2 or s == \"ipp\"", "not (i > 2 or f < 2)",
    "not (s == \"ikm\" and f > 1)", "not (not (i >= 3))", "not (f > 1)", "not (f in 1..81)",
    "not (d > date(\"2022-01-01\")) or i == 0", "(i < 0 or i > 5) and not (s in (\"ikm\"))",
    "not (i >= null) or s == \"ipp\"", "not (f == -0.0 or d == date(\"2022-01-08\"))",
  ])
  func simpleConditionsKeepTheRowsTheFullEvaluationKeeps(condition: String) throws {
    // Each bare column name (outside quotes) becomes coalesce(name).
    var full = ""
    var word = ""
    var quoted = false
    for ch in condition + " " {
      if !quoted && (ch.isLetter || ch == "_") {
        word.append(ch)
        continue
      }
      if !word.isEmpty {
        full += ["i", "f", "s", "d"].contains(word) ? "coalesce(\(word))" : word
        word = ""
      }
      if ch == "\"" { quoted.toggle() }
      full.append(ch)
    }
    #expect(full != condition)
    #expect(try keep(condition) == keep(full))
  }

  /// Over a million rows the mask is made, and the rows collected, by blocks on both cores:
  /// the rows kept must be the full evaluation's, in order.
  @Test func largeTablesKeepTheSameRows() throws {
    let n = 1_100_003
    var state: UInt64 = 3
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let words = ["ikm", "ipp", "skm", nil]
    let big = Table([
      (
        "i",
        .int(
          TypedColumn(
            (0..<n).map { _ in next(100) }, validity: Validity((0..<n).map { _ in next(9) > 0 })))
      ),
      ("s", .text(TextColumn((0..<n).map { _ in words[next(4)] }))),
    ])
    var catalog = Catalog()
    catalog.set("t", big)
    func rows(_ condition: String) throws -> Table {
      let statements = try Parser.parse(SourceText(name: "test", text: "t | filter \(condition)"))
      guard case .pipeline(let p) = statements[0] else { return Table(names: [], columns: []) }
      let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
      return try Executor(cancellation: nil).run(checked.plan)
    }
    let fast = try rows("i in (3, 4, 5) and s == \"ipp\" and i != 4")
    let full = try rows("coalesce(i) in (3, 4, 5) and coalesce(s) == \"ipp\" and coalesce(i) != 4")
    #expect(fast.rowCount > 1_000)
    #expect(fast.rowCount == full.rowCount)
    #expect(lines(fast) == lines(full))
    // `or` and `not`, each block's scratch masks on both cores.
    let either = try rows("not (i in 10..95) or (s == \"skm\" and not (i < 50))")
    let eitherFull = try rows(
      "not (coalesce(i) in 10..95) or (coalesce(s) == \"skm\" and not (coalesce(i) < 50))")
    #expect(either.rowCount > 100_000)
    #expect(lines(either) == lines(eitherFull))
  }

  /// A filter that keeps few rows of a loaded table, then a group by an int key: the key's
  /// slots span the range the column keeps from its load when that is narrow (or the kept
  /// rows' own range when it is wide); either way the groups, nulls last, are the general
  /// plan's and the hand-worked ones.
  @Test func fewRowsOfALoadedTableGroupAsTheGeneralPlanGroups() throws {
    var csv = "k,wide,v,f\n"
    var expected: [Int?: (Int, Int)] = [:]
    var wideExpected: [Int?: Int] = [:]
    for r in 0..<4000 {
      let k: Int? = r % 13 == 5 ? nil : (r * 7) % 50 - 10
      let wide = r % 2 == 0 ? r * 1_000_003 : -r
      let f = r % 10
      csv += "\(k.map(String.init) ?? ""),\(wide),\(r % 17),\(f)\n"
      if f == 3 {
        let (n, s) = expected[k] ?? (0, 0)
        expected[k] = (n + 1, s + r % 17)
        wideExpected[wide, default: 0] += 1
      }
    }
    let t = try TableReader.parse(Array(csv.utf8), path: "t.csv")
    let out = try runBothWays(
      "t | filter f == 3 | group k (n = count(), s = sum(v))\nt | filter f == 3 | group wide",
      over: [("t", t)])
    let keys = expected.keys.compactMap { $0 }.sorted().map { Optional($0) } + [nil]
    #expect(out[0].rowCount == keys.count)
    for (i, k) in keys.enumerated() {
      #expect(out[0].columns[0].value(at: i) == (k.map { .int($0) } ?? .null))
      #expect(
        out[0].columns[1].value(at: i) == .int(expected[k]?.0 ?? -1),
        "count of \(String(describing: k))")
      #expect(
        out[0].columns[2].value(at: i) == .int(expected[k]?.1 ?? -1),
        "sum of \(String(describing: k))")
    }
    #expect(out[1].rowCount == wideExpected.count)
  }

  /// The fast paths after a filter never evaluate an expression on rows the filter dropped
  /// (an overflow there is no error), and never skip one on rows the plain plan evaluates
  /// (an overflow there is an error).
  @Test func expressionsSeeTheRowsThePlanGivesThem() throws {
    let n = 40
    var catalog = Catalog()
    catalog.set(
      "t",
      Table([
        ("k", .text(TextColumn((0..<n).map { "g\($0 % 3)" }))),
        ("x", .int(TypedColumn((0..<n).map { $0 == 7 ? Int.max / 2 : $0 }))),
      ]))
    func run(_ text: String) throws -> Table {
      let statements = try Parser.parse(SourceText(name: "test", text: text))
      guard case .pipeline(let p) = statements[0] else { return Table(names: [], columns: []) }
      let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
      return try Executor(cancellation: nil).run(checked.plan)
    }
    let grouped = try run("t | filter x < 100 | group k (s = sum(x * 1000000), m = max(x + 1))")
    #expect(grouped.rowCount == 3)
    #expect(throws: Diagnostic.self) {
      try run("t | filter x >= 0 | sort x, x * 1000000 | take 2")
    }
    #expect(throws: Diagnostic.self) {
      try run("t | filter x >= 0 | group k (s = sum(x * 1000000))")
    }
  }

  @Test func comparisonsSkipNullsAndNaN() throws {
    #expect(try keep("i >= 3").count == 3)
    #expect(try keep("f > 0").map { $0.split(separator: ",")[0] } == ["3", "null", "12"])
    #expect(try keep("s == \"ikm\"").count == 2)
  }
}
