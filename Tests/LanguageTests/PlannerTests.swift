import Columnar
import TestSupport
import Testing

@testable import Language

/// The planner's choices: which operators a pipeline gets, that the fast and general
/// plans agree where they once did not, and that planning runs nothing.
struct PlannerTests {
  func plan(_ text: String, _ catalog: Catalog, mode: Planner.Mode = .fast) throws
    -> (Plan, PhysicalPlan)
  {
    let statements = try Parser.parse(SourceText(name: "test", text: text))
    guard case .pipeline(let p) = statements[0] else { throw Diagnostic("not a pipeline", at: nil) }
    let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
    return (checked.plan, Planner(mode: mode).plan(checked.plan))
  }

  func names(_ p: PhysicalPlan) -> [String] {
    p.explainLines(ascii: true).map(\.label)
  }

  var catalog: Catalog {
    var c = Catalog()
    c.set("t", sample)
    c.set("regions", regions)
    return c
  }

  @Test func fusesWhatTheShapeAllowsAndNothingInGeneralMode() throws {
    let text = "t | filter year > 2021 | sort score desc | take 2"
    let (_, fast) = try plan(text, catalog)
    #expect(names(fast) == ["filtered top-k (k = 2)", "`- scan t"])
    #expect(fast.stages.count == 3)
    let (_, general) = try plan(text, catalog, mode: .general)
    #expect(names(general) == ["take 2", "`- sort", "   `- filter", "      `- scan t"])

    let (_, group) = try plan("t | filter ok | group region (n = count(), s = sum(score))", catalog)
    #expect(names(group) == ["filtered streaming group", "`- scan t"])
    let (_, median) = try plan("t | filter ok | group region (m = median(score))", catalog)
    #expect(names(median) == ["hash group", "`- filter (keeps 2 columns)", "   `- scan t"])
    let (_, joined) = try plan(
      "t | join regions on region == name | group type (s = sum(score))", catalog)
    #expect(names(joined) == ["join-group (no joined table)", "|- scan t", "`- scan regions"])
    let (_, ranked) = try plan("t | rank score by region as r | filter r <= 1", catalog)
    #expect(names(ranked) == ["filter", "`- rank (ranks ≤ 1)", "   `- scan t"])
    let (_, top) = try plan("t | top 1 score by region no ties", catalog)
    #expect(names(top).first == "streamed top 1 per partition")
  }

  @Test func estimatesComeFromTheTablesNotFromRunning() throws {
    let (_, p) = try plan("t | filter year > 2021 | take 2", catalog)
    let lines = p.explainLines()
    #expect(lines.map(\.estimate) == [.atMost(2), .atMost(6), .exactly(6)])
    #expect(lines.map(\.estimate.text) == ["≤ 2", "≤ 6", "6"])
    let (_, g) = try plan("t | group (n = count())", catalog)
    #expect(g.estimate == .exactly(1))
  }

  /// A sum that overflows only on left rows that match nothing: the joined table has no
  /// such rows, so join-then-group succeeds, and so must the fused join-group.
  @Test func joinGroupIgnoresOverflowInUnmatchedRows() throws {
    var c = Catalog()
    c.set(
      "f",
      Table([
        ("k", .int(TypedColumn([1, 2, 2, 1]))),
        ("v", .int(TypedColumn([5, Int.max, Int.max, 7]))),
      ]))
    c.set("d", Table([("k", .int(TypedColumn([1]))), ("name", .text(TextColumn(["a"])))]))
    let (logical, physical) = try plan("f | join d on k | group name (s = sum(v))", c)
    #expect(names(physical).first == "join-group (no joined table)")
    let out = try bothWays(logical)
    #expect(lines(out) == ["a,12"])
    // A real overflow among matched rows is still an error, at the group.
    c.set("d", Table([("k", .int(TypedColumn([2]))), ("name", .text(TextColumn(["b"])))]))
    let text = "f | join d on k | group name (s = sum(v))"
    let (again, _) = try plan(text, c)
    #expect(throws: Diagnostic.self) { try bothWays(again) }
  }

  /// An error in a stage the planner fused into the next is reported at that stage.
  @Test func errorsInFusedStagesPointAtTheirOwnStage() throws {
    var c = Catalog()
    c.set(
      "f",
      Table([
        ("k", .int(TypedColumn([1, 2, 3]))), ("v", .int(TypedColumn([1, Int.max, 3]))),
      ]))
    c.set("d", Table([("k", .int(TypedColumn([1]))), ("name", .text(TextColumn(["a"])))]))
    for text in [
      "f | filter v * 2 > 0 | group k (n = count())",
      "f | filter v * 2 > 0 | group k (m = median(v))",
      "f | filter v * 2 > 0 | sort k | take 1",
    ] {
      let (logical, _) = try plan(text, c)
      do {
        _ = try bothWays(logical)
        Issue.record("no error: \(text)")
      } catch let d as Diagnostic {
        let start = text.utf8.count - text.drop { $0 != "|" }.dropFirst().utf8.count
        #expect(
          d.span?.start == start + 1, "\(text): \(d.message) at \(String(describing: d.span))")
      }
    }
  }

  /// 0.0 and -0.0 are one group key; every route shows the group's first value the same way.
  @Test func negativeZeroKeysAgreeOnEveryRoute() throws {
    var c = Catalog()
    c.set(
      "f",
      Table([
        ("x", .float(TypedColumn([-0.0, 0.0, 1.5, -0.0]))), ("v", .int(TypedColumn([1, 2, 3, 4]))),
        ("k", .int(TypedColumn([1, 1, 1, 1]))),
      ]))
    c.set("d", Table([("k", .int(TypedColumn([1]))), ("b", .int(TypedColumn([7])))]))
    for text in [
      "f | group x (n = count(), s = sum(v))",
      "f | filter v > 0 | group x (n = count())",
      "f | filter v > 0 | group x (m = median(v))",
      "f | group x, k (n = count())",
      "f | distinct x",
      "f | rank v by x as r",
      "f | join d on k | group x (n = count())",
    ] {
      let (logical, _) = try plan(text, c)
      let out = try bothWays(logical)
      #expect(out.rowCount == (text.contains("rank") ? 4 : 2), "\(text)")
    }
    // Keys from the right side of a join-group: the value the first left row matched.
    c.set(
      "d", Table([("k", .int(TypedColumn([1, 2]))), ("x", .float(TypedColumn([-0.0, 0.0])))]))
    c.set("f", Table([("k", .int(TypedColumn([2, 1, 1]))), ("v", .int(TypedColumn([1, 2, 3])))]))
    let (logical, physical) = try plan("f | join d on k | group x (n = count())", c)
    #expect(names(physical).first == "join-group (no joined table)")
    let out = try bothWays(logical)
    #expect(out.columns[0].value(at: 0) == .float(0.0))
    if case .float(let z) = out.columns[0].value(at: 0) { #expect(z.sign == .plus) }
  }

  /// The checker runs nothing: without a session to run it, a pivot keeps its plan (its
  /// columns come from its data) and a stage after it is refused with a hint.
  @Test func checkingRunsNoPivot() throws {
    let (_, alone) = try plan("t | select region, year, score | pivot year score", catalog)
    #expect(names(alone) == ["pivot", "`- project", "   `- scan t"])
    #expect(throws: Diagnostic.self) {
      _ = try plan("t | select region, year, score | pivot year score | filter true", catalog)
    }
    // With a runner (as the session gives) the stages after it check against its columns.
    var c = context()
    c.catalog = catalog
    let statements = try Parser.parse(
      SourceText(
        name: "test", text: "t | select region, year, score | pivot year score | select `2021`"))
    guard case .pipeline(let p) = statements[0] else { return }
    let checked = try Checker(c).check(p)
    #expect(checked.plan.schema.names == ["2021"])
  }

  /// A group's `avg` of ints (summed as ints while no partial sum can reach 2^53, else as
  /// floats) gives the bits of the window's `avg` over the same partition, which reads each
  /// partition's rows in turn: small values, values near 2^53, and nulls.
  @Test(arguments: [1, 1 << 40, 1 << 52, Int.max / 2])
  func intMeansAgreeWithTheMemberPath(scale: Int) throws {
    var rng = SplitMix(seed: UInt64(scale.trailingZeroBitCount + 5))
    let n = 5000
    let keys = (0..<n).map { _ in Int(rng.next() % 37) }
    // With the largest scale, the values turn large only in the second chunk of rows: the
    // int sums so far go over to the float path there.
    let values = (0..<n).map { r in
      Int(truncatingIfNeeded: rng.next()) % (scale == Int.max / 2 && r < 4500 ? 1000 : scale)
    }
    let valid = (0..<n).map { _ in rng.next() % 7 != 0 }
    var c = Catalog()
    c.set(
      "f",
      Table([
        ("k", .int(TypedColumn(keys))),
        ("v", .int(TypedColumn(values, validity: Validity(valid)))),
      ]))
    let (grouped, _) = try plan("f | group k (a = avg(v))", c)
    let (windowed, _) = try plan("f | derive a = avg(v) by k | distinct k, a | sort k", c)
    let g = try bothWays(grouped)
    let w = try bothWays(windowed)
    #expect(sameBits(g, w))
  }

  /// Past `Tuning.spreadAggregatesFrom` rows a streaming group feeds its aggregates on both
  /// cores, while the next chunk is numbered on a thread of its own; each must keep the
  /// bits of the general path (float sums included), also filtered, through a join, and
  /// with new groups arriving in every chunk (a key of a million slots, about 650,000
  /// groups: past `Prefetch.fromGroups`, where the updates ask for their groups ahead,
  /// `Tuning.fusedSlotsFrom`, where they share one table, and
  /// `Tuning.finishAggregatesApartFrom`, where they finish on both cores).
  @Test func aggregatesFedOnBothCoresKeepTheirBits() throws {
    let n = Tuning.spreadAggregatesFrom + 12345
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 17
    }
    var keys: [Int] = []
    var many: [Int] = []
    var ints: [Int?] = []
    var floats: [Double?] = []
    for _ in 0..<n {
      keys.append(Int(next() % 3000))
      many.append(Int(next() % 1_000_000))
      let r = next()
      ints.append(r % 13 == 0 ? nil : Int(r % 1000) - 500)
      floats.append(r % 17 == 0 ? nil : Double(Int64(r % 2_000_000)) / 7.0 - 1e5)
    }
    let big = Table([
      ("k", .int(TypedColumn(keys))), ("u", .int(TypedColumn(many))),
      ("i", .int(TypedColumn(optionals: ints, placeholder: 0))),
      ("x", .float(TypedColumn(optionals: floats, placeholder: 0))),
    ])
    let dim = Table([
      ("k", .int(TypedColumn(Array(0..<3000)))),
      ("band", .int(TypedColumn((0..<3000).map { $0 % 7 }))),
    ])
    var c = Catalog()
    c.set("big", big)
    c.set("dim", dim)
    let aggregates = "n = count(), s = sum(i), a = avg(x), m = max(x), t = sum(x), r = corr(x, i)"
    for text in [
      "big | group k (\(aggregates))",
      "big | filter i > 0 | group k (\(aggregates))",
      "big | group u (\(aggregates))",
      "big | filter i > 0 | group u (n = count(), t = sum(x), s = sum(i))",
      // (join-group takes no paired aggregate: corr would send it to join, then group)
      "big | join dim on k == k | group band (n = count(), s = sum(i), a = avg(x), t = sum(x))",
    ] {
      let (logical, fast) = try plan(text, c)
      #expect(!names(fast)[0].hasPrefix("hash group"), "\(text) took \(names(fast))")
      let out = try bothWays(logical)
      #expect(out.rowCount > 0)
    }
  }

  /// A group with no keys streams (one group, its state held in registers), filtered or
  /// not, over rows fed on both cores; it gives one row even of no rows, and the general
  /// plan's bits.
  @Test func keylessGroupsStreamAndGiveOneRow() throws {
    let n = Tuning.spreadAggregatesFrom + 777
    var random = SplitMix(seed: 5)
    let x = (0..<n).map { i in i % 11 == 0 ? nil : Double(random.next() % 100_000) / 7 * 1e9 }
    let i = (0..<n).map { _ in Int(random.next() % 1000) - 500 }
    var c = Catalog()
    c.set(
      "big",
      Table([
        ("x", .float(TypedColumn(optionals: x, placeholder: 0))), ("i", .int(TypedColumn(i))),
      ]))
    let aggregates = "n = count(), s = sum(x), a = avg(i), lo = min(x), hi = max(i), f = first(x)"
    for (text, route, rows) in [
      ("big | group (\(aggregates))", "streaming group", n),
      ("big | filter i > 0 | group (\(aggregates))", "filtered streaming group", 0),
      ("big | filter i > 1000 | group (\(aggregates))", "filtered streaming group", 0),
      ("big | take 0 | group (\(aggregates))", "streaming group", 0),
    ] {
      let (logical, fast) = try plan(text, c)
      #expect(names(fast)[0] == route, "\(text) took \(names(fast))")
      let out = try bothWays(logical)
      #expect(out.rowCount == 1, "\(text)")
      if rows > 0 { #expect(out.columns[0] == .int(TypedColumn([rows]))) }
    }
    let none = try bothWays(try plan("big | take 0 | group (\(aggregates))", c).0)
    #expect(none.columns[0] == .int(TypedColumn([0])))
    #expect(none.columns[1].validity.isValid(0) == false)
  }

  /// Aggregates over whole partitions (no order) fold each row by its partition, with no
  /// sort; the rows and bits are the window's: NaN, -0.0 beside 0.0, nulls, text, two keys,
  /// no key, no rows, and an int sum that overflows in one partition is the same error.
  @Test func partitionAggregatesFoldByPartition() throws {
    let n = 20_000
    var random = SplitMix(seed: 9)
    func next(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
    let x = (0..<n).map { i -> Double? in
      switch next(50) {
      case 0: nil
      case 1: .nan
      case 2: -0.0
      case 3: 0.0
      default: Double(next(100_000)) / 7 * (next(3) == 0 ? 1e12 : 1)
      }
    }
    let words = ["kab", "kota", "prov"]
    var c = Catalog()
    c.set(
      "t",
      Table([
        ("k", .int(TypedColumn((0..<n).map { _ in next(300) }))),
        ("w", .text(TextColumn((0..<n).map { _ in next(9) == 0 ? nil : words[next(3)] }))),
        ("x", .float(TypedColumn(optionals: x, placeholder: 0))),
        ("i", .int(TypedColumn((0..<n).map { _ in next(2001) - 1000 }))),
      ]))
    let calls =
      "n = count(), s = sum(x), a = avg(i), lo = min(x), hi = max(x), m = max(w), f = first(x), l = last(w), r = corr(x, i)"
    for text in [
      "t | derive \(calls) by k", "t | derive \(calls) by w, k", "t | derive \(calls)",
      "t | filter i > 2000 | derive \(calls) by k",
      "t | derive d = x - avg(x) by w | filter d > 0",
    ] {
      let (logical, fast) = try plan(text, c)
      #expect(names(fast).contains { $0.hasSuffix("partition aggregates (no sort)") }, "\(text)")
      _ = try bothWays(logical)
    }
    // A median still sorts; an order makes it a window.
    #expect(!names(try plan("t | derive m = median(x) by k", c).1).joined().contains("partition"))
    #expect(
      !names(try plan("t | derive s = sum(x) by k order i", c).1).joined().contains("partition"))
    var big = Catalog()
    big.set(
      "b",
      Table([
        ("k", .int(TypedColumn([1, 2, 1, 2]))), ("v", .int(TypedColumn([Int.max, 1, 1, 1]))),
      ]))
    #expect(throws: Diagnostic.self) { try bothWays(try plan("b | derive s = sum(v) by k", big).0) }
  }

  /// `derive r = row_number() by … order k | filter r <= N` numbers only each partition's
  /// first rows exactly (the window is told the limit); the rows and bits are the general
  /// plan's: ties in the key (by input order), nulls in it, ascending and descending,
  /// `r < N`, N = 0, partitions few (one pass) and many (each ranked), an N past the
  /// one-pass limit, no partition; and
  /// shapes it does not fit (an expression of the number, rank, two order keys, r >= N)
  /// keep the whole window.
  @Test func aFilterOnARowNumberLimitsTheWindow() throws {
    var rng = SplitMix(seed: 77)
    let n = 20_000
    var c = Catalog()
    c.set(
      "w",
      Table([
        ("few", .int(TypedColumn((0..<n).map { _ in Int(rng.next() % 40) }))),
        ("many", .int(TypedColumn((0..<n).map { _ in Int(rng.next() % 9000) }))),
        ("k", .int(TypedColumn((0..<n).map { _ in Int(rng.next() % 50) }))),
        (
          "x",
          .float(
            TypedColumn(
              optionals: (0..<n).map { _ in rng.next() % 9 == 0 ? nil : Double(rng.next() % 30) },
              placeholder: 0))
        ),
      ]))
    let limited = [
      "w | derive r = row_number() by few order k desc | filter r <= 3",
      "w | derive r = row_number() by few order k | filter r < 4 | select few, k, r",
      "w | derive r = row_number() by many order x desc | filter r <= 2",
      "w | derive r = row_number() by few order x | filter r <= 5",
      "w | derive r = row_number() by many order k | filter r <= 5",
      "w | derive r = row_number() by few order k desc | filter r <= 40",
      "w | derive r = row_number() by few, many order k desc | filter r <= 1",
      "w | derive r = row_number() by few order k | filter r <= 0",
      "w | derive r = row_number() order x desc | filter r <= 7",
      // Bounded the other ways: equal to a number, a range, the number first.
      "w | derive r = row_number() by few order k desc | filter r == 1",
      "w | derive r = row_number() by many order x | filter r == 2",
      "w | derive r = row_number() by few order k | filter r in 2..4",
      "w | derive r = row_number() by few order k | filter 3 >= r",
      "w | derive r = row_number() by few order k | filter 3 > r",
    ]
    for text in limited {
      let (logical, fast) = try plan(text, c)
      #expect(names(fast).contains { $0.contains("window (first") }, "\(text): \(names(fast))")
      _ = try bothWays(logical)
    }
    // A rank bounded so ranks only the rows that can pass (ties kept: ranks repeat).
    for (text, bound) in [
      ("w | rank x by few | filter rank == 1", 1), ("w | rank k asc by many | filter rank == 2", 2),
      ("w | rank x by few as q | filter 3 >= q", 3), ("w | rank k by few | filter rank in 1..4", 4),
      ("w | rank x by few | filter rank < 3", 2),
      ("w | rank x by few | filter k > 10 and rank <= 3 and rank <= 2", 2),
    ] {
      let (logical, fast) = try plan(text, c)
      #expect(names(fast).contains { $0.contains("rank (ranks ≤ \(bound))") }, "\(text)")
      _ = try bothWays(logical)
    }
    let (_, unbounded) = try plan("w | rank x by few | filter rank > 1", c)
    #expect(!names(unbounded).contains { $0.contains("ranks ≤") })
    for text in [
      "w | derive r = row_number() + 0 by few order k | filter r <= 3",
      "w | derive r = rank() by few order k | filter r <= 3",
      "w | derive r = row_number() by few order k, x | filter r <= 3",
      "w | derive r = row_number() by few order k | filter r >= 3",
      "w | derive r = row_number() by few order k | filter r != 3",
      "w | derive r = row_number() by few order k | filter 3 < r",
      "w | derive r = row_number() by few order k | filter r == few",
      "w | derive r = row_number() by few order k | filter not (r in 1..3)",
      "w | derive r = row_number() by few order k | filter r <= 3 or k > 10",
    ] {
      let (logical, fast) = try plan(text, c)
      #expect(!names(fast).contains { $0.contains("window (first") }, "\(text): \(names(fast))")
      _ = try bothWays(logical)
    }
  }

  /// A select after a rank or top gives the rank only the columns it and the select read,
  /// down through the filters under it; the rows and bits are the general plan's, and a
  /// rank named like an input column is left whole.
  @Test func aSelectAfterARankPrunesTheColumnsUnderIt() throws {
    let (_, top) = try plan(
      "t | filter year > 2021 | top 2 score desc by region no ties | select region, score",
      catalog)
    #expect(
      names(top) == [
        "project", "`- streamed top 2 per partition", "   `- filter (keeps 2 columns)",
        "      `- filter (keeps 2 columns)", "         `- scan t",
      ])
    for text in [
      "t | filter year > 2021 | top 2 score desc by region no ties | select region, score",
      "t | rank score desc by region as r | select region, r, s = score * 2",
      "t | filter ok | filter score > 1 | top 1 score by region | select score, year",
      "t | rank score as score | select score",
      "t | top 1 year desc by region | select region",
      "t | rank year desc as r | filter r <= 2 | select r",
    ] {
      let (logical, _) = try plan(text, catalog)
      _ = try bothWays(logical)
    }
    let (_, clash) = try plan("t | rank score as score | select score", catalog)
    #expect(names(clash).count >= 2 && !names(clash).contains { $0.contains("keeps") })
  }
}
