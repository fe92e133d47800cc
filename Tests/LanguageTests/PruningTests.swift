import Columnar
import Testing

@testable import Language

/// Operators that copy every column they give (append, sort, top-k, join, filter) are
/// given only the columns the stages above them read; the answers are those of the
/// general plan, which copies everything (`runBothWays` compares them bit for bit), and
/// an expression a `derive` computes is still computed (its errors raised) when nothing
/// reads it.
struct PruningTests {
  static let n = 2000
  static let ks: [String?] = (0..<n).map { ["a", "b", "c", nil][$0 % 4] }
  static let vs: [Int?] = (0..<n).map { $0 % 9 == 0 ? nil : ($0 * 37) % 101 }
  static let fs: [Double] = (0..<n).map { Double(($0 * 13) % 17) / 4 }
  static let t = Table([
    ("k", .text(TextColumn(ks))),
    ("v", .int(TypedColumn(optionals: vs, placeholder: 0))),
    ("f", .float(TypedColumn(fs))),
    ("big", .int(TypedColumn((0..<n).map { $0 == 1500 ? Int.max : $0 }))),
    ("d", .date(TypedColumn((0..<n).map { 19_000 + $0 % 30 }))),
  ])
  static let u = Table([
    ("k", .text(TextColumn(["a", "b", "z"]))),
    ("w", .int(TypedColumn([10, 20, 30]))),
    ("f", .float(TypedColumn([0.5, 1.5, 2.5]))),
  ])

  func run(_ text: String) throws -> Table {
    try runBothWays(text, over: [("t", Self.t), ("u", Self.u)])[0]
  }

  /// The fast plan's operators, each with the number of columns it gives.
  func plan(_ text: String) throws -> [String] {
    var catalog = Catalog()
    catalog.set("t", Self.t)
    catalog.set("u", Self.u)
    let statements = try Parser.parse(SourceText(name: "test", text: text))
    guard case .pipeline(let p) = statements[0] else { throw Diagnostic("not a pipeline", at: nil) }
    let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
    return Planner(mode: .fast).plan(checked.plan).explainLines(ascii: true).map {
      "\($0.label.drop { " |`-".contains($0) }) \($0.schema.fields.count)"
    }
  }

  @Test func anAppendUnderAGroupJoinsOnlyTheColumnsTheGroupReads() throws {
    let text = "t | append u | group k (n = count(), s = sum(f))"
    #expect(
      try plan(text) == [
        "streaming group 3", "append 2", "project 2", "scan t 5", "project 2", "scan u 3",
      ])
    let out = try run(text)
    // By hand: t's rows and u's, by key ascending, nulls last.
    var count: [String: Int] = [:]
    var sum: [String: Double] = [:]
    let extra: [(String?, Double)] = [("a", 0.5), ("b", 1.5), ("z", 2.5)]
    for (k, f) in Array(zip(Self.ks, Self.fs)) + extra {
      count[k ?? "null", default: 0] += 1
      sum[k ?? "null", default: 0] += f
    }
    let keys = ["a", "b", "c", "z", "null"]
    #expect(out.rowCount == keys.count)
    for (i, k) in keys.enumerated() {
      #expect(out.columns[1].value(at: i) == .int(count[k] ?? -1), "count of \(k)")
      #expect(out.columns[2].value(at: i).asDouble == sum[k], "sum of \(k)")
    }
  }

  /// A take under a group copies the first rows of the columns the group reads only; the
  /// answer, worked out by hand, is the general plan's.
  @Test func aTakeUnderAGroupCopiesOnlyTheColumnsTheGroupReads() throws {
    let text = "t | take 1234 | group k (n = count(), s = sum(v))"
    #expect(try plan(text) == ["streaming group 3", "take 1234 2", "project 2", "scan t 5"])
    let out = try run(text)
    var count: [String: Int] = [:]
    var sum: [String: Int] = [:]
    for (k, v) in zip(Self.ks, Self.vs).prefix(1234) {
      count[k ?? "null", default: 0] += 1
      if let v { sum[k ?? "null", default: 0] += v }
    }
    for (i, k) in ["a", "b", "c", "null"].enumerated() {
      #expect(out.columns[1].value(at: i) == .int(count[k] ?? -1), "count of \(k)")
      #expect(out.columns[2].value(at: i) == .int(sum[k] ?? -1), "sum of \(k)")
    }
  }

  @Test func aSortUnderASelectSortsOnlyTheColumnsReadAndItsKeys() throws {
    let text = "t | sort f, v desc | select k"
    #expect(try plan(text) == ["project 1", "sort 3", "project 3", "scan t 5"])
    let out = try run(text)
    // By hand: a stable sort by f ascending, then v descending with nulls last.
    let order = (0..<Self.n).sorted { a, b in
      if Self.fs[a] != Self.fs[b] { return Self.fs[a] < Self.fs[b] }
      switch (Self.vs[a], Self.vs[b]) {
      case (let x?, let y?) where x != y: return x > y
      case (nil, _?): return false
      case (_?, nil): return true
      default: return a < b
      }
    }
    let expected = order.map { Self.ks[$0].map(Value.text) ?? .null }
    let got = (0..<out.rowCount).map { out.columns[0].value(at: $0) }
    let same = got == expected
    #expect(same)

    let top = try run("t | sort f, v desc | take 7 | select k, v")
    #expect(
      try plan("t | sort f, v desc | take 7 | select k, v")
        == ["project 2", "top-k sort (k = 7) 3", "project 3", "scan t 5"])
    #expect(
      (0..<top.rowCount).map { top.columns[1].value(at: $0) }
        == order.prefix(7).map { Self.vs[$0].map(Value.int) ?? .null })
  }

  @Test func aJoinUnderASelectBuildsOnlyTheColumnsRead() throws {
    let text = "t | join u on k | select v, w"
    #expect(
      try plan(text) == ["project 2", "hash join (builds 2 columns) 2", "scan t 5", "scan u 3"])
    let out = try run(text)
    let w = ["a": 10, "b": 20]
    let rows = (0..<Self.n).filter { Self.ks[$0].flatMap { w[$0] } != nil }
    #expect(out.rowCount == rows.count)
    #expect(
      (0..<out.rowCount).map { out.columns[1].value(at: $0) }
        == rows.map { .int(w[Self.ks[$0] ?? ""] ?? -1) })
  }

  @Test func aDistinctOfSomeColumnsAppendsOnlyThose() throws {
    let text = "t | append u | distinct k"
    #expect(
      try plan(text) == [
        "distinct 1", "append 1", "project 1", "scan t 5", "project 1", "scan u 3",
      ])
    #expect(lines(try run(text)) == ["a", "b", "c", "null", "z"])
  }

  @Test func aDeriveNothingReadsIsStillComputedAndFailsAsItWould() throws {
    // `big * 2` overflows on row 1500: both plans fail, at the derive.
    for text in [
      "t | derive o = big * 2 | sort v | select k",
      "t | derive o = big * 2 | append u | group k (n = count())",
    ] {
      #expect(throws: Diagnostic.self) { try run(text) }
    }
    #expect(try run("t | derive o = big - 1 | sort v | select k").rowCount == Self.n)
  }
}
