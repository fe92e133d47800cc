import Columnar
import Testing

@testable import Language

struct StageTests {
  @Test func filterKeepsOnlyTrueRows() throws {
    #expect(
      lines(try run("t | filter score > 60 | select region, year")) == [
        "Kota A,2022", "Kab B,2022", "Kab C,2022", "Kota A,2023",
      ])
    #expect(try run("t | filter score == null").rowCount == 1)
    #expect(try run("t | filter score != null").rowCount == 5)
    #expect(try run("t | filter not (score > 60)").rowCount == 1)
  }

  @Test func threeValuedLogic() throws {
    #expect(try run("t | filter score > 60 or ok").rowCount == 5)
    #expect(try run("t | filter score > 60 and ok").rowCount == 3)
    #expect(
      lines(try run("t | select x = score > 70 or ok, y = score > 70 and ok")) == [
        "false,false", "false,false", "true,null", "true,true", "true,true", "true,true",
      ])
  }

  @Test func selectDropDerive() throws {
    let t = try run("t | select year, s = score * 2 | drop year | derive s = s + 1, u = s / 2")
    #expect(t.names == ["s", "u"])
    #expect(lines(t).first == "117.8,58.9")
  }

  @Test func sortIsStableWithNullsLast() throws {
    #expect(
      lines(try run("t | sort score desc | select region, score")) == [
        "Kota A,88.26", "Kab B,80.0", "Kab C,80.0", "Kota A,63.67", "Kota A,58.4", "Kab B,null",
      ])
    #expect(lines(try run("t | sort score | select score")).last == "null")
  }

  @Test func takeAndTop() throws {
    #expect(try run("t | take 2").rowCount == 2)
    #expect(try run("t | take 100").rowCount == 6)
    #expect(try run("t | take 0").rowCount == 0)
    #expect(
      lines(try run("t | top 1 score by year | select year, region, rank")) == [
        "2021,Kota A,1", "2022,Kab B,1", "2022,Kab C,1", "2023,Kota A,1",
      ])
  }

  @Test func groupOrdersByKeysWithEveryAggregate() throws {
    let t = try run(
      """
      t | group region (n = count(), c = count(score), d = count_distinct(year), s = sum(score),
        a = avg(score), lo = min(score), hi = max(score), m = median(score),
        q = quantile(score, 0.5), sd = stddev(score), f = first(year), l = last(year))
      """)
    #expect(
      lines(t) == [
        "Kab B,2,1,2,80.0,80.0,80.0,80.0,80.0,80.0,null,2021,2022",
        "Kab C,1,1,1,80.0,80.0,80.0,80.0,80.0,80.0,null,2022,2022",
        "Kota A,3,3,3,210.33,70.11,58.4,88.26,63.67,63.67,15.937694312540948,2021,2023",
      ])
  }

  @Test func groupAloneCountsAndGroupWithoutKeysGivesOneRow() throws {
    #expect(lines(try run("t | group year")) == ["2021,2", "2022,3", "2023,1"])
    #expect(lines(try run("t | group (n = count(), s = sum(score))")) == ["6,370.33"])
    #expect(
      lines(try run("t | filter year > 3000 | group (n = count(), s = sum(score))")) == ["0,null"])
  }

  @Test func groupOutputsCombineAggregates() throws {
    #expect(
      lines(try run("t | group ok (r = max(year) - min(year), k = upper(first(region)))")) == [
        "false,1,KOTA A", "true,2,KAB B",
      ])
  }

  @Test func nullKeysGroupLast() throws {
    #expect(lines(try run("t | group score (n = count()) | take 1")) == ["58.4,1"])
    #expect(lines(try run("t | group score (n = count())")).last == "null,1")
  }

  @Test func windowFunctions() throws {
    let t = try run(
      """
      t | derive prev = lag(score), nxt = lead(year, 1), rn = row_number(), cs = cumsum(score),
        total = sum(score), fy = first(year), ly = last(score) by region order year
      """)
    #expect(t.names.suffix(7) == ["prev", "nxt", "rn", "cs", "total", "fy", "ly"])
    #expect(
      lines(t).first == "Kota A,2021,58.4,false,null,2022,1,58.4,210.33,2021,88.26")
    #expect(
      lines(try run("t | derive prev = lag(score) by region order year | select prev")) == [
        "null", "58.4", "null", "null", "null", "63.67",
      ])
    let cs = try run("t | derive cs = cumsum(score) by region order year | select region, cs")
    #expect(
      lines(cs) == [
        "Kota A,58.4", "Kota A,122.07", "Kab B,null", "Kab B,80.0", "Kab C,80.0",
        "Kota A,210.32999999999998",
      ])
    let ranks = try run(
      "t | derive r = rank(), d = dense_rank() by year order score desc | select year, r, d")
    #expect(
      lines(ranks) == ["2021,1,1", "2022,3,2", "2021,2,2", "2022,1,1", "2022,1,1", "2023,1,1"])
  }

  @Test func rankStageOrdersRowsAndRanksNullsLast() throws {
    let t = try run("t | rank score | select region, score, rank")
    #expect(
      lines(t) == [
        "Kota A,88.26,1", "Kab B,80.0,2", "Kab C,80.0,2", "Kota A,63.67,4", "Kota A,58.4,5",
        "Kab B,null,6",
      ])
    #expect(try run("t | rank score asc as r").names.last == "r")
  }

  @Test func joins() throws {
    let inner = try run("t | join regions on region == name | select region, type")
    #expect(
      lines(inner) == [
        "Kota A,kota", "Kota A,kota", "Kab B,kabupaten", "Kab B,kabupaten", "Kota A,kota",
      ])
    let left = try run("t | join left regions on region == name")
    #expect(left.rowCount == 6)
    #expect(left.names == ["region", "year", "score", "ok", "name", "type"])
    #expect(lines(left)[4] == "Kab C,2022,80.0,true,null,null")
    let clash = try run("t | join (t | group region (year = max(year))) on region")
    #expect(clash.names == ["region", "year", "score", "ok", "year_right"])
  }

  @Test func distinctAppendPivot() throws {
    #expect(lines(try run("t | distinct region")) == ["Kota A", "Kab B", "Kab C"])
    #expect(try run("t | select region | distinct").rowCount == 3)
    let a = try run("t | select region, year | append (regions | select region = name, type)")
    #expect(a.names == ["region", "year", "type"])
    #expect(a.rowCount == 9)
    #expect(lines(a).last == "Kab D,null,kabupaten")
    let p = try run("t | select region, year, score | pivot year score")
    #expect(p.names == ["region", "2021", "2022", "2023"])
    #expect(
      lines(p) == ["Kab B,null,80.0,null", "Kab C,null,80.0,null", "Kota A,58.4,63.67,88.26"])
    let c = try run("t | select region, year | pivot year region count")
    #expect(lines(c) == ["2,3,1"])
  }

  @Test func describeProfilesEachColumn() throws {
    let d = try run("t | describe")
    #expect(lines(d)[2] == "score,float,5,1,4,58.4,88.26,74.066")
  }

  @Test func parametersAreLiterals() throws {
    #expect(try run("t | filter year == $y").rowCount == 3)
  }

  @Test func scalarFunctions() throws {
    let t = try run(
      """
      t | take 1 | select a = round(2.675, 2), b = round(-2.5), c = substr("Mojokerto", 1, 4),
        d = replace("a-b", "-", "+"), e = coalesce(null, 3), f = if(score > 100, "x", "y"),
        g = length("Daérah"), h = year(@2024-11-13), i = int("42"), j = text(1.5) + "!",
        k = date("2024-02-29"), l = "Kota" ~ "OT", m = 7 % 3, n = 7 / 2, o = 1 / 0, p = abs(-3),
        q = sqrt(-1), r = floor(2.7), s = pow(2, 10), t2 = starts_with("abc", "ab"),
        u = trim("  x "), v = lower("ÀB"), w = year in 2020..2021, x = @2024-01-01 + 31
      """)
    #expect(
      lines(t) == [
        "2.68,-3.0,Mojo,a+b,3,y,6,2024,42,1.5!,2024-02-29,true,1,3.5,null,3,null,2.0,1024.0,true,x,àb,true,2024-02-01"
      ])
  }

  @Test func integerOverflowIsAnErrorNotACrash() {
    #expect(throws: Diagnostic.self) { try run("t | derive x = 9223372036854775807 + year") }
    #expect(throws: Diagnostic.self) { try run("t | derive x = year * 9223372036854775807") }
    #expect(throws: Diagnostic.self) { try run("t | derive x = -(-9223372036854775807 - 1)") }
    #expect(throws: Diagnostic.self) { try run("t | group (s = sum(9223372036854775807))") }
  }
}

/// `top` keeps the best rows; a null value is not among them, though `rank` ranks it last.
struct TopSkipsNullsTests {
  @Test func aGroupOfNullsHasNoTopRows() throws {
    let onlyNull = "t | filter region == \"Kab B\" and year == 2021"
    #expect(try run(onlyNull + " | top 1 score").rowCount == 0)
    #expect(lines(try run(onlyNull + " | rank score | select rank")) == ["1"])
    #expect(
      lines(try run("t | top 1 score asc by region | select region, score, rank"))
        == ["Kab B,80.0,1", "Kab C,80.0,1", "Kota A,58.4,1"])
  }
}

/// A group of many groups is found by sorting its packed keys (`Grouping.byKeyOrder`); its
/// `count()` is folded by the accumulators, or read off where each group begins when the
/// member lists are built (`Aggregation.compute`). Each group's count must be its rows,
/// `count(x)` its rows where x is not null, and both ways of planning must agree; with a
/// median beside them, the member lists are built; by a float key (gathered from each
/// group's first row, not read back from the sorted words), the same groups.
struct SortedGroupCountTests {
  @Test func countsOfASortedGroupAreItsRows() throws {
    let n = 150_000
    let k = (0..<n).map { ($0 * 7_919) % 90_001 }
    let j = (0..<n).map { $0 % 3 }
    let x = (0..<n).map { $0 % 5 == 0 ? nil : $0 % 11 }
    var catalog = Catalog()
    catalog.set(
      "big",
      Table([
        ("k", .int(TypedColumn(k))), ("j", .int(TypedColumn(j))),
        ("x", .int(TypedColumn(optionals: x, placeholder: 0))),
        ("f", .float(TypedColumn(k.map { Double($0) / 4 }))),
      ]))
    let source = SourceText(
      name: "test",
      text: """
        big | group k, j (n = count(), c = count(x), s = sum(x))
        big | group k, j (n = count(), c = count(x), s = sum(x), m = median(x))
        big | group f, j (n = count(), c = count(x), s = sum(x)) | derive f = int(f * 4)
        """)
    for statement in try Parser.parse(source) {
      guard case .pipeline(let p) = statement else { return }
      let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
      check(try bothWays(checked.plan))
    }
    func check(_ t: Table) {
      var expected: [[Int]: (n: Int, c: Int, s: Int)] = [:]
      for r in 0..<n {
        var e = expected[[k[r], j[r]], default: (0, 0, 0)]
        e.n += 1
        if let v = x[r] {
          e.c += 1
          e.s += v
        }
        expected[[k[r], j[r]]] = e
      }
      #expect(t.rowCount == expected.count)
      var wrong = 0
      for r in 0..<t.rowCount {
        guard case .int(let kr) = t.columns[0].value(at: r),
          case .int(let jr) = t.columns[1].value(at: r),
          let e = expected[[kr, jr]], t.columns[2].value(at: r) == .int(e.n),
          t.columns[3].value(at: r) == .int(e.c),
          e.c == 0 ? t.columns[4].value(at: r) == .null : t.columns[4].value(at: r) == .int(e.s)
        else {
          wrong += 1
          continue
        }
      }
      #expect(wrong == 0)
    }
  }
}

/// A key too spread for slots (floats; ints over a range wider than slots allow) is
/// numbered by the rank of its values among them (hashed on every core), then grouped
/// through slots, when a sample of the rows shows few groups; otherwise by sorting. Every way must give each group its rows: floats whose low
/// bits are all zero (whole numbers, halves), -0.0 beside 0.0, a null key's group last,
/// with and without a filter before the group, above and below the sample's size.
struct HashedKeyGroupTests {
  @Test(arguments: [5_000, 200_000])
  func spreadKeysGroupAsTheirValues(n: Int) throws {
    // Halves, and whole numbers (with -0.0 beside 0.0).
    let halves: [Double?] = (0..<n).map { r -> Double? in
      if r % 13 == 5 { return nil }
      if r % 17 == 0 { return -0.0 }
      return Double((r * 7) % 101) / 2 - 25
    }
    let wholes: [Double?] = (0..<n).map { r -> Double? in
      if r % 13 == 5 { return nil }
      if r % 17 == 0 { return -0.0 }
      return Double((r * 7) % 101) - 50
    }
    let ints: [Int?] = (0..<n).map { r in r % 11 == 4 ? nil : ((r * 31) % 257) << 40 }
    let v = (0..<n).map { $0 % 7 }
    let table = Table([
      ("f", .float(TypedColumn(optionals: halves, placeholder: 0))),
      ("w", .int(TypedColumn(optionals: ints, placeholder: 0))), ("v", .int(TypedColumn(v))),
      ("g", .float(TypedColumn(optionals: wholes, placeholder: 0.5))),
    ])
    let tables = try runBothWays(
      """
      t | group f (n = count(), s = sum(v))
      t | group w (n = count(), s = sum(v))
      t | filter v != 3 | group f (n = count(), s = sum(v))
      t | group g (n = count(), s = sum(v))
      t | filter v != 3 | group g (n = count(), s = sum(v))
      """, over: [("t", table)])
    let keys: [[Double?]] = [halves, ints.map { $0.map(Double.init) }, halves, wholes, wholes]
    let filtered = [false, false, true, false, true]
    for (index, t) in tables.enumerated() {
      // Expected: counts and sums by key value (-0.0 and 0.0 one key), nulls last.
      var expected: [Double?: (n: Int, s: Int)] = [:]
      for r in 0..<n where !filtered[index] || v[r] != 3 {
        let key = keys[index][r].map { $0 + 0 }
        let e = expected[key, default: (0, 0)]
        expected[key] = (e.n + 1, e.s + v[r])
      }
      #expect(t.rowCount == expected.count)
      var previous = -Double.infinity
      var ok = true
      for r in 0..<t.rowCount {
        let key: Double?
        switch t.columns[0].value(at: r) {
        case .float(let x): key = x
        case .int(let i): key = Double(i)
        default: key = nil
        }
        if let key {
          ok = ok && key > previous
          previous = key
        } else {
          ok = ok && r == t.rowCount - 1
        }
        let e = expected[key]
        ok =
          ok && e != nil && t.columns[1].value(at: r) == .int(e?.n ?? -1)
          && t.columns[2].value(at: r) == .int(e?.s ?? -1)
      }
      #expect(ok, "statement \(index + 1) at \(n) rows")
    }
  }
}

extension HashedKeyGroupTests {
  /// A spread key beside a small one: the pair is grouped through slots once the spread
  /// key's values are ranked, each pair of values its own group, in key order.
  @Test func aSpreadKeyBesideASmallOneGroupsByThePair() throws {
    let n = 150_000
    let f: [Double?] = (0..<n).map { r -> Double? in
      if r % 19 == 4 { return nil }
      let step = (r * 13) % 47
      return Double(step) * 0.1
    }
    let names = ["b", "a", "c"]
    let k: [String] = (0..<n).map { names[$0 % 3] }
    let table = Table([
      ("f", .float(TypedColumn(optionals: f, placeholder: 0))),
      ("k", .text(TextColumn(k.map { Optional($0) }))),
    ])
    let t = try runBothWays(
      "t | filter k != \"c\" | group f, k (n = count())", over: [("t", table)])[0]
    var expected: [String: Int] = [:]
    for r in 0..<n where k[r] != "c" {
      expected["\(f[r].map { "\($0)" } ?? "null") \(k[r])", default: 0] += 1
    }
    let keys = expected.keys.sorted { a, b in
      let (x, y) = (a.split(separator: " "), b.split(separator: " "))
      if x[0] != y[0] {
        if x[0] == "null" { return false }
        if y[0] == "null" { return true }
        return Double(x[0])! < Double(y[0])!
      }
      return x[1] < y[1]
    }
    let got = (0..<t.rowCount).map { r -> String in
      let key = t.columns[0].value(at: r)
      let text = key.isNull ? "null" : "\(key.asDouble ?? .nan)"
      guard case .text(let k) = t.columns[1].value(at: r) else { return "\(text) ?" }
      return "\(text) \(k)"
    }
    #expect(got == keys)
    let counts = (0..<t.rowCount).map { t.columns[2].value(at: $0) }
    #expect(counts == keys.map { .int(expected[$0] ?? -1) })
  }
}

/// `count_distinct` and `mode` read off the (group, value) pairs: through an array when
/// groups × values is small, by sorting the packed pairs when not, and with the value's
/// 64-bit key beside the group for floats. Each way must give each group's distinct count
/// and its most frequent value (the least among ties), skipping nulls, in a group stage
/// and in a window.
struct GroupValuesTests {
  @Test(arguments: [(groups: 10, values: 40), (groups: 1_000, values: 1_000)])
  func distinctCountsAndModesAreEachGroups(groups: Int, values: Int) throws {
    let n = 60_000
    var rng = SplitMix(seed: UInt64(groups))
    let g = (0..<n).map { _ in Int.random(in: 0..<groups, using: &rng) }
    // Skewed values, so that modes are not all ties; some nulls.
    let ints: [Int?] = (0..<n).map { _ in
      let v = Int.random(in: 0..<values, using: &rng)
      return v % 17 == 3 ? nil : min(v, Int.random(in: 0..<values, using: &rng))
    }
    let floats = ints.map { $0.map { Double($0) / 4 - 30 } }
    let texts = ints.map { $0.map { "v\(($0 * 7) % values)" } }
    let table = Table([
      ("g", .int(TypedColumn(g))), ("i", .int(TypedColumn(optionals: ints, placeholder: 0))),
      ("f", .float(TypedColumn(optionals: floats, placeholder: 0))),
      ("s", .text(TextColumn(texts))),
    ])
    let pipelines = """
        t | group g (ci = count_distinct(i), mi = mode(i), cf = count_distinct(f), mf = mode(f), cs = count_distinct(s), ms = mode(s))
        t | derive ci = count_distinct(i), mi = mode(i), cf = count_distinct(f), mf = mode(f), cs = count_distinct(s), ms = mode(s) by g | group g (ci = first(ci), mi = first(mi), cf = first(cf), mf = first(mf), cs = first(cs), ms = first(ms))
      """
    // The expected answers, value by value.
    func expected<V: Hashable & Comparable>(_ xs: [V?]) -> (counts: [Int], modes: [V?]) {
      var tallies = [[V: Int]](repeating: [:], count: groups)
      for r in 0..<n { if let v = xs[r] { tallies[g[r]][v, default: 0] += 1 } }
      let modes = tallies.map { t in
        t.max { a, b in a.value < b.value || (a.value == b.value && a.key > b.key) }?.key
      }
      return (tallies.map(\.count), modes)
    }
    let (ci, mi) = expected(ints)
    let (cf, mf) = expected(floats)
    let (cs, ms) = expected(texts)
    for t in try runBothWays(pipelines, over: [("t", table)]) {
      #expect(t.rowCount == Set(g).count)
      var wrong = 0
      for r in 0..<t.rowCount {
        guard case .int(let k) = t.columns[0].value(at: r) else { continue }
        let row = (1...6).map { t.columns[$0].value(at: r) }
        let want: [Value] = [
          .int(ci[k]), mi[k].map(Value.int) ?? .null, .int(cf[k]),
          mf[k].map(Value.float) ?? .null, .int(cs[k]), ms[k].map(Value.text) ?? .null,
        ]
        if row != want { wrong += 1 }
      }
      #expect(wrong == 0, "\(wrong) groups wrong")
    }
  }
}

/// `sort … | take k` finds the rows whose leading key can be among the first k in one pass
/// over that key, then sorts only those; `top` ranks the whole table in place. Both must
/// keep the first k rows a full sort keeps: ties in table order, nulls last, every type
/// of leading key, and leading keys so tied that pruning gives up.
struct TopRowsTests {
  @Test func limitedSortsAndTopsKeepTheFullSortsRows() throws {
    let n = 40_000
    var rng = SplitMix(seed: 99)
    let a: [Int?] = (0..<n).map { _ in
      let v = Int.random(in: 0..<5_000, using: &rng)
      return v % 50 == 7 ? nil : v
    }
    let f: [Double?] = a.map { $0.map { Double($0 % 977) / 3 } }
    let s: [String?] = a.map { $0.map { "k\($0 % 1_500)" } }
    let few = (0..<n).map { _ in Int.random(in: 0..<3, using: &rng) }
    let table = Table([
      ("a", .int(TypedColumn(optionals: a, placeholder: 0))),
      ("f", .float(TypedColumn(optionals: f, placeholder: 0))),
      ("s", .text(TextColumn(s))), ("few", .int(TypedColumn(few))),
      ("row", .int(TypedColumn(Array(0..<n)))),
    ])
    let pipelines = [
      ("t | sort a desc | take 9", "a desc"), ("t | sort f, row desc | take 40", "f, row desc"),
      ("t | sort s desc, a | take 25", "s desc, a"),
      ("t | sort few, f desc | take 11", "few, f desc"),
      ("t | top 12 f", "f desc"), ("t | top 12 f no ties", "f desc"),
      ("t | sort few | take 10", "few"), ("t | sort few desc | take 30", "few desc"),
    ]
    for (text, _) in pipelines {
      let t = try runBothWays(text, over: [("t", table)])[0]
      // The expected rows: a full stable sort of the row numbers, nulls last.
      func key(_ r: Int, _ column: String) -> (Double?, String?) {
        switch column {
        case "a": (a[r].map(Double.init), nil)
        case "f": (f[r], nil)
        case "s": (nil, s[r])
        case "few": (Double(few[r]), nil)
        default: (Double(r), nil)
        }
      }
      func before(_ x: Int, _ y: Int, _ terms: [(String, Bool)]) -> Bool {
        for (column, descending) in terms {
          let (p, q) = (key(x, column), key(y, column))
          let (u, v): (String?, String?) = (p.1, q.1)
          if let pu = p.0, let qv = q.0, pu != qv { return descending ? pu > qv : pu < qv }
          if let u, let v, u != v { return descending ? u > v : u < v }
          let (xNull, yNull) = (p.0 == nil && p.1 == nil, q.0 == nil && q.1 == nil)
          if xNull != yNull { return yNull }
        }
        return x < y
      }
      let spec = pipelines.first { $0.0 == text }!.1
      let terms = spec.split(separator: ",").map { part -> (String, Bool) in
        let words = part.split(separator: " ")
        return (String(words[0]), words.count > 1 && words[1] == "desc")
      }
      let rowColumn = t.names.firstIndex(of: "row")!
      let got = (0..<t.rowCount).map { r -> Int in
        if case .int(let v) = t.columns[rowColumn].value(at: r) { return v }
        return -1
      }
      let sorted = (0..<n).filter { text.contains("top") ? f[$0] != nil : true }
        .sorted { before($0, $1, terms) }
      if text.hasSuffix("no ties") || text.contains("take") {
        let k = got.count
        #expect(k == Int(text.split(separator: " ").first { Int($0) != nil }!)!)
        #expect(got == Array(sorted.prefix(k)), "\(text)")
      } else {
        // With ties: every row whose value is no worse than the 12th best value.
        let twelfth = f[sorted[11]]!
        #expect(got == sorted.filter { f[$0]! >= twelfth }, "\(text)")
      }
    }
  }
}

/// With one sort key, a row that ties with the k-th best so far is not kept as a candidate
/// (the k rows before it come first in the stable order), so a key of few values keeps the
/// first k rows of the best value in table order, on both cores (a table past the size at
/// which the rows are split between them) and after a filter; with a second key, the tied
/// rows are kept and the second key orders them, the two packed into one rank when the
/// leading key takes few values (ints, text; a float second key with nulls, descending).
struct TiedTopRowsTests {
  /// Nulls last, else the values in order; nil when they tie.
  func order<T: Comparable>(_ a: T?, _ b: T?, descending: Bool) -> Bool? {
    switch (a, b) {
    case (nil, nil): return nil
    case (nil, _): return false
    case (_, nil): return true
    case (let a?, let b?): return a == b ? nil : (descending ? a > b : a < b)
    }
  }

  /// Runs each pipeline both ways over `t` and compares its `row` column with the rows
  /// expected.
  func check(_ table: Table, _ cases: [(String, [Int])]) throws {
    for (text, expected) in cases {
      let t = try runBothWays(text, over: [("t", table)])[0]
      let rowColumn = try #require(t.names.firstIndex(of: "row"))
      let got = (0..<t.rowCount).map { r -> Int in
        if case .int(let v) = t.columns[rowColumn].value(at: r) { return v }
        return -1
      }
      #expect(got == expected, "\(text)")
    }
  }

  @Test func aKeyOfFewValuesKeepsTheFirstRowsOfItsBestValue() throws {
    let n = 1_100_000
    let few = (0..<n).map { ($0 * 7) % 5 }
    let second = (0..<n).map { ($0 * 13) % 1_000 }
    let table = Table([
      ("few", .int(TypedColumn(few))), ("second", .int(TypedColumn(second))),
      ("row", .int(TypedColumn(Array(0..<n)))),
    ])
    // (Each case on its own: one literal of them all is too much for the type checker.)
    var cases: [(String, [Int])] = []
    let zeros = (0..<n).filter { few[$0] == 0 }
    cases.append(("t | sort few | take 10", Array(zeros.prefix(10))))
    cases.append(("t | sort few desc | take 7", Array((0..<n).filter { few[$0] == 4 }.prefix(7))))
    let kept = zeros.filter { $0 % 3 != 0 }
    cases.append(("t | filter row % 3 != 0 | sort few | take 6", Array(kept.prefix(6))))
    // The best leading value's rows, by the second key (descending), ties in table order.
    let bySecond = zeros.sorted { (x: Int, y: Int) -> Bool in
      order(second[x], second[y], descending: true) ?? (x < y)
    }
    cases.append(("t | sort few, second desc | take 5", Array(bySecond.prefix(5))))
    try check(table, cases)
  }

  @Test func twoKeysPackedIntoOneRankKeepTheFullSortsRows() throws {
    let n = 60_000
    // Three values: each ties on a third of the rows, more than the leading key alone keeps.
    let few = (0..<n).map { ($0 * 7) % 3 }
    let f: [Double?] = (0..<n).map { (i: Int) -> Double? in
      i % 11 == 0 ? nil : Double((i * 31) % 997) / 8
    }
    let words = ["pear", "apple", "fig"]
    let s = (0..<n).map { words[($0 * 5) % 3] }
    let table = Table([
      ("few", .int(TypedColumn(few))),
      ("f", .float(TypedColumn(optionals: f, placeholder: 0))), ("s", .text(TextColumn(s))),
      ("row", .int(TypedColumn(Array(0..<n)))),
    ])
    /// The first `k` rows of the stable sort by `before` (which says when x comes first).
    func first(_ k: Int, _ before: (Int, Int) -> Bool?) -> [Int] {
      Array((0..<n).sorted { before($0, $1) ?? ($0 < $1) }.prefix(k))
    }
    var cases: [(String, [Int])] = []
    let byFloat = first(9) { (x: Int, y: Int) -> Bool? in
      order(few[x], few[y], descending: true) ?? order(f[x], f[y], descending: false)
    }
    cases.append(("t | sort few desc, f | take 9", byFloat))
    let byText = first(8) { (x: Int, y: Int) -> Bool? in
      order(s[x], s[y], descending: false) ?? order(few[x], few[y], descending: true)
    }
    cases.append(("t | sort s, few desc | take 8", byText))
    let byThree = first(6) { (x: Int, y: Int) -> Bool? in
      if let o = order(few[x], few[y], descending: false) { return o }
      if let o = order(s[x], s[y], descending: true) { return o }
      return order(f[x], f[y], descending: false)
    }
    cases.append(("t | sort few, s desc, f | take 6", byThree))
    try check(table, cases)
  }
}

/// `distinct` keeps each distinct row once, in order of first appearance, whichever way it
/// finds them: small keys through slots, many distinct rows by sorting (their first rows
/// put back in table order), few by hashing.
struct DistinctRowsTests {
  @Test(arguments: [7, 900, 90_000])
  func distinctRowsComeInFirstAppearanceOrder(spread: Int) throws {
    let n = 120_000
    var rng = SplitMix(seed: UInt64(spread))
    // Spread over a wide range, except the smallest: slots then number them.
    let scale = spread == 7 ? 1 : 1_000_003
    let a = (0..<n).map { _ in Int.random(in: 0..<spread, using: &rng) * scale }
    let b: [String?] = (0..<n).map { _ in
      let v = Int.random(in: 0..<3, using: &rng)
      return v == 0 ? nil : "t\(v)"
    }
    let f: [Double?] = (0..<n).map { r in r % 9 == 0 ? nil : Double(a[r] % 5) / 2 }
    let table = Table([
      ("a", .int(TypedColumn(a))), ("b", .text(TextColumn(b))),
      ("f", .float(TypedColumn(optionals: f, placeholder: 0))),
    ])
    for (text, width) in [("t | distinct", 3), ("t | select a, b | distinct", 2)] {
      let t = try runBothWays(text, over: [("t", table)])[0]
      var seen = Set<String>()
      var expected: [String] = []
      for r in 0..<n {
        let cells = ["\(a[r])", b[r] ?? "null", f[r].map { "\($0)" } ?? "null"]
        let line = cells.prefix(width).joined(separator: ",")
        if seen.insert(line).inserted { expected.append(line) }
      }
      let got = (0..<t.rowCount).map { r -> String in
        let cells = t.columns.map { c -> String in
          switch c.value(at: r) {
          case .int(let v): "\(v)"
          case .text(let s): s
          case .float(let x): "\(x)"
          default: "null"
          }
        }
        return cells.joined(separator: ",")
      }
      let same = got == expected
      #expect(same, "\(text): \(got.count) rows against \(expected.count)")
    }
  }
}

/// A bool key groups through three slots (false, true, null), alone or beside others, in
/// key order: false, true, then null.
struct BoolKeyGroupTests {
  @Test func boolKeysGroupInOrder() throws {
    let n = 10_000
    let b: [Bool?] = (0..<n).map { r in r % 7 == 3 ? nil : r % 3 == 0 }
    let k = (0..<n).map { "k\($0 % 4)" }
    let table = Table([
      ("b", .bool(TypedColumn(optionals: b, placeholder: false))), ("k", .text(TextColumn(k))),
      ("v", .int(TypedColumn(Array(0..<n)))),
    ])
    // Placed (medians), then streamed (counts and sums only).
    let tables = try runBothWays(
      """
      t | group b, k (n = count(), s = sum(v), m = median(v))
      t | group b, k (n = count(), s = sum(v))
      """, over: [("t", table)])
    let (t, u) = (tables[0], tables[1])
    var expected: [[Value]] = []
    for key in [false, true, nil] as [Bool?] {
      for j in 0..<4 {
        let rows = (0..<n).filter { b[$0] == key && $0 % 4 == j }
        let mid = rows.count / 2
        let median =
          rows.count % 2 == 1 ? Double(rows[mid]) : Double(rows[mid - 1] + rows[mid]) / 2
        expected.append([
          key.map(Value.bool) ?? .null, .text("k\(j)"), .int(rows.count), .int(rows.reduce(0, +)),
          .float(median),
        ])
      }
    }
    let got = (0..<t.rowCount).map { r in t.columns.map { $0.value(at: r) } }
    #expect(got == expected)
    let rows = (0..<u.rowCount).map { r in u.columns.map { $0.value(at: r) } }
    #expect(rows == expected.map { Array($0.prefix(4)) })
  }
}

/// A pivot's cell holds what `group` gives for its row key and column key, whichever
/// route the aggregate takes (folded by cell id, placed by cell, or over member lists).
struct PivotCellTests {
  @Test(arguments: ["sum", "avg", "median", "min", "max", "count", "count_distinct", "stddev"])
  func cellsAreTheGroupsAggregates(aggregate: String) throws {
    let n = 20_000
    var rng = SplitMix(seed: 5)
    let r = (0..<n).map { _ in "r\(Int.random(in: 0..<40, using: &rng))" }
    let k = (0..<n).map { _ in Int.random(in: 0..<6, using: &rng) }
    let v: [Double?] = (0..<n).map { i in
      i % 11 == 0 ? nil : Double(Int.random(in: 0..<50, using: &rng)) / 4
    }
    let table = Table([
      ("r", .text(TextColumn(r))), ("k", .int(TypedColumn(k))),
      ("v", .float(TypedColumn(optionals: v, placeholder: 0))),
    ])
    let tables = try runBothWays(
      "t | pivot k v \(aggregate)\nt | group r, k (x = \(aggregate)(v))", over: [("t", table)])
    let (pivot, group) = (tables[0], tables[1])
    var cells: [String: Value] = [:]
    for i in 0..<group.rowCount {
      cells["\(group.columns[0].value(at: i))|\(group.columns[1].value(at: i))"] =
        group.columns[2].value(at: i)
    }
    var wrong = 0
    for i in 0..<pivot.rowCount {
      for (c, name) in pivot.names.enumerated().dropFirst() {
        let want = cells["\(pivot.columns[0].value(at: i))|int(\(name))"]
        let got = pivot.columns[c].value(at: i)
        if want != got && !(want == nil && (got == .null || got == .int(0))) { wrong += 1 }
      }
    }
    #expect(pivot.rowCount == 40 && pivot.names.count == 7)
    #expect(wrong == 0)
  }
}

/// A window with partitions and no order sees each partition's rows in table order: its
/// first and last values are the partition's first and last rows', its sums and counts
/// the partition's.
struct UnorderedWindowTests {
  @Test func partitionsWithoutOrderKeepTableOrder() throws {
    let n = 30_000
    var rng = SplitMix(seed: 11)
    let g = (0..<n).map { _ in Int.random(in: 0..<300, using: &rng) }
    let table = Table([("g", .int(TypedColumn(g))), ("v", .int(TypedColumn(Array(0..<n))))])
    let t = try runBothWays(
      "t | derive f = first(v), l = last(v), s = sum(v), c = count() by g", over: [("t", table)])[0]
    var first: [Int: Int] = [:]
    var last: [Int: Int] = [:]
    var sum: [Int: Int] = [:]
    var count: [Int: Int] = [:]
    for r in 0..<n {
      if first[g[r]] == nil { first[g[r]] = r }
      last[g[r]] = r
      sum[g[r], default: 0] += r
      count[g[r], default: 0] += 1
    }
    let wrong = (0..<n).filter { r in
      let k = g[r]
      return t.columns[2].value(at: r) != .int(first[k]!)
        || t.columns[3].value(at: r) != .int(last[k]!)
        || t.columns[4].value(at: r) != .int(sum[k]!)
        || t.columns[5].value(at: r) != .int(count[k]!)
    }
    #expect(wrong.isEmpty)
  }
}

/// Counts and int means over few groups keep several running totals per group (row i in
/// total i mod lanes) and add them up after each chunk (`LanedTotals`). Each group's
/// `count()`, `count(x)` and `avg(x)` must be those of its rows, with nulls in the values
/// and in the key, with a filter before the group, on either side of the number of groups
/// from which lanes are not used, and both ways of planning must agree.
struct LanedTotalsTests {
  @Test(arguments: [3, 63, 64])
  func fewGroupsCountAndAverageTheirRows(groups: Int) throws {
    let n = 200_000
    let k = (0..<n).map { $0 % 97 == 0 ? nil : ($0 * 7_919) % groups }
    let x = (0..<n).map { $0 % 5 == 0 ? nil : ($0 * 31) % 1_001 - 500 }
    var catalog = Catalog()
    catalog.set(
      "t",
      Table([
        ("k", .int(TypedColumn(optionals: k, placeholder: 0))),
        ("x", .int(TypedColumn(optionals: x, placeholder: 0))),
        ("r", .int(TypedColumn(Array(0..<n)))),
      ]))
    let source = SourceText(
      name: "test",
      text: """
        t | group k (n = count(), c = count(x), a = avg(x))
        t | filter r % 3 != 1 | group k (n = count(), c = count(x), a = avg(x))
        """)
    for (number, statement) in try Parser.parse(source).enumerated() {
      guard case .pipeline(let p) = statement else { return }
      let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
      let t = try bothWays(checked.plan)
      var expected: [Int?: (n: Int, c: Int, s: Int)] = [:]
      for r in 0..<n where number == 0 || r % 3 != 1 {
        var e = expected[k[r], default: (0, 0, 0)]
        e.n += 1
        if let v = x[r] {
          e.c += 1
          e.s += v
        }
        expected[k[r]] = e
      }
      #expect(t.rowCount == expected.count)
      var wrong = 0
      for r in 0..<t.rowCount {
        let key: Int? =
          switch t.columns[0].value(at: r) {
          case .int(let v): v
          default: nil
          }
        guard let e = expected[key], t.columns[1].value(at: r) == .int(e.n),
          t.columns[2].value(at: r) == .int(e.c),
          t.columns[3].value(at: r) == .float(Double(e.s) / Double(e.c))
        else {
          wrong += 1
          continue
        }
      }
      #expect(wrong == 0, "\(wrong) groups of \(t.rowCount) wrong")
    }
  }

  /// min and max of text per group are the values first in code-point order (upper case
  /// before lower, "é" after "z", "" first), nulls skipped, null for a group of nulls only:
  /// the same as the first value after sorting, by slots and by hashed float keys, and over
  /// enough rows that the aggregates are spread over both cores.
  @Test func textMinAndMaxPerGroupAreFirstInCodePointOrder() throws {
    let words = ["kota", "", "Z", "a", "é", "z", "Kab. Ñ", "Ä", "kab", nil]
    var rng = SplitMix(seed: 5)
    let n = (1 << 20) + 4_999
    var keys: [Int] = []
    var texts: [String?] = []
    for _ in 0..<n {
      let k = Int(rng.next() % 9)
      keys.append(k)
      // Group 8 holds nulls only; group 7 only a few values.
      texts.append(k == 8 || (k == 7 && rng.next() % 1000 != 0) ? nil : words[Int(rng.next() % 10)])
    }
    let t = Table([
      ("k", .int(TypedColumn(keys))),
      ("f", .float(TypedColumn(keys.map { Double($0) / 3 }))),
      ("s", .text(TextColumn(texts))),
    ])
    let out = try runBothWays(
      """
      t | group k (lo = min(s), hi = max(s))
      t | sort s | group k (lo = first(s))
      t | sort s desc | group k (hi = first(s))
      t | group f (lo = min(s), hi = max(s))
      """, over: [("t", t)])
    let (extremes, lows, highs, byFloat) = (out[0], out[1], out[2], out[3])
    #expect(extremes.rowCount == 9)
    for g in 0..<9 {
      #expect(extremes.columns[1].value(at: g) == lows.columns[1].value(at: g), "group \(g)")
      #expect(extremes.columns[2].value(at: g) == highs.columns[1].value(at: g), "group \(g)")
      #expect(byFloat.columns[1].value(at: g) == extremes.columns[1].value(at: g), "group \(g)")
      #expect(byFloat.columns[2].value(at: g) == extremes.columns[2].value(at: g), "group \(g)")
    }
    #expect(extremes.columns[1].value(at: 0) == .text(""))
    #expect(extremes.columns[2].value(at: 0) == .text("é"))
    #expect(extremes.columns[1].value(at: 8) == .null)
  }

  /// first and last per group are the group's first and last values that are not null in
  /// table order (null for a group with none), worked out by hand: over every row, over
  /// the rows a filter keeps, and over enough rows that the aggregates are spread over
  /// both cores; for text and floats.
  @Test func firstAndLastPerGroupAreTheEdgeValuesInTableOrder() throws {
    var rng = SplitMix(seed: 9)
    let n = (1 << 20) + 3_001
    var keys: [Int] = []
    var texts: [String?] = []
    var floats: [Double?] = []
    for r in 0..<n {
      let k = Int(rng.next() % 6)
      keys.append(k)
      texts.append(k == 5 || rng.next() % 4 == 0 ? nil : "t\(r)")
      floats.append(rng.next() % 3 == 0 ? nil : Double(r) / 8)
    }
    let t = Table([
      ("k", .int(TypedColumn(keys))),
      ("s", .text(TextColumn(texts))),
      ("x", .float(TypedColumn(optionals: floats, placeholder: 0))),
    ])
    let out = try runBothWays(
      """
      t | group k (fs = first(s), ls = last(s), fx = first(x), lx = last(x))
      t | filter x > 1000.0 | group k (fs = first(s), lx = last(x))
      """, over: [("t", t)])
    func edge<T>(_ values: [T?], last: Bool, _ keep: (Int) -> Bool = { _ in true }) -> [T?] {
      var found = [T?](repeating: nil, count: 6)
      for r in 0..<n where keep(r) {
        guard let v = values[r] else { continue }
        if last || found[keys[r]] == nil { found[keys[r]] = v }
      }
      return found
    }
    let text = { (v: String?) -> Value in v.map { .text($0) } ?? .null }
    let float = { (v: Double?) -> Value in v.map { .float($0) } ?? .null }
    let passes = { (r: Int) in (floats[r] ?? 0) > 1000 && floats[r] != nil }
    let expected: [[Value]] = [
      edge(texts, last: false).map(text), edge(texts, last: true).map(text),
      edge(floats, last: false).map(float), edge(floats, last: true).map(float),
    ]
    for c in 0..<4 {
      #expect((0..<6).map { out[0].columns[c + 1].value(at: $0) } == expected[c], "column \(c)")
    }
    #expect(
      (0..<6).map { out[1].columns[1].value(at: $0) } == edge(texts, last: false, passes).map(text))
    #expect(
      (0..<6).map { out[1].columns[2].value(at: $0) } == edge(floats, last: true, passes).map(float)
    )
    #expect(out[0].columns[1].value(at: 5) == .null)
  }
}
