import Columnar
import TestSupport
import Testing

@testable import Language

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

/// Over a million rows and more, a hash group computes its aggregates on every core, those
/// of one input column on one thread: each must give the bits it gives computed alone,
/// and an error is the one the aggregates in turn would meet first.
struct AggregatesApartTests {
  let n = Tuning.splitRows + 1234

  func table() -> Catalog {
    var random = SplitMix(seed: 99)
    let ints = (0..<n).map { _ in Int(random.next() % 61) }
    let floats = (0..<n).map { _ in Double(random.next() % 1_000_000) / 7 }
    var catalog = Catalog()
    catalog.set(
      "big",
      Table([
        ("k", .int(TypedColumn((0..<n).map { $0 % 37 }))), ("i", .int(TypedColumn(ints))),
        ("x", .float(TypedColumn(floats))),
        ("h", .int(TypedColumn((0..<n).map { $0 == 5 || $0 == 42 ? Int.max / 2 + 1 : $0 % 3 }))),
      ]))
    return catalog
  }

  func run(_ text: String, _ catalog: Catalog) throws -> Table {
    let statements = try Parser.parse(SourceText(name: "test", text: text))
    guard case .pipeline(let p) = statements[0] else { throw Diagnostic("not a pipeline", at: nil) }
    return try bothWays(try Checker(CheckContext(catalog: catalog, directory: ".")).check(p).plan)
  }

  @Test func eachAggregateGivesItsBitsAlone() throws {
    let catalog = table()
    let aggregates = [
      "v = var(x)", "md = mode(i)", "m = median(x)", "s = sum(i)", "n = count()",
      "q = quantile(i, 0.9)",
    ]
    let together = try run("big | group k (\(aggregates.joined(separator: ", ")))", catalog)
    #expect(together.rowCount == 37)
    for (i, a) in aggregates.enumerated() {
      let alone = try run("big | group k (\(a))", catalog)
      #expect(
        sameBits(
          Table(names: ["k", "a"], columns: [alone.columns[0], alone.columns[1]], rowCount: 37),
          Table(
            names: ["k", "a"], columns: [together.columns[0], together.columns[i + 1]],
            rowCount: 37)), "\(a)")
    }
  }

  /// A sum that overflows (rows 5 and 42 of one group) and an argument whose evaluation
  /// overflows, in either order.
  @Test func theFirstAggregatesErrorComesOut() throws {
    let catalog = table()
    func message(_ text: String) -> String? {
      do {
        _ = try run(text, catalog)
        return nil
      } catch {
        return (error as? Diagnostic)?.message
      }
    }
    let (summed, evaluated) = ("s = sum(h)", "t = sum(h * 4)")
    let alone = (message("big | group k (\(summed))"), message("big | group k (\(evaluated))"))
    #expect(alone.0 != nil && alone.1 != nil && alone.0 != alone.1)
    #expect(message("big | group k (a = var(x), \(summed), \(evaluated))") == alone.0)
    #expect(message("big | group k (a = var(x), \(evaluated), \(summed))") == alone.1)
  }
}

/// A group of a million groups and more found by sorting reads its keys back from the
/// sorted words on every core, a key per thread, and finds each key's range the same way:
/// every group's keys are its rows' (an int and a text key, a million distinct pairs).
struct SortedKeysReadBackTests {
  @Test func keysOfAMillionGroupsAreTheirRows() throws {
    let n = Tuning.splitRows + 4321
    let a = (0..<n).map { ($0 &* 7_919) % n }
    let words = ["kab", "kota"]
    var catalog = Catalog()
    catalog.set(
      "big",
      Table([
        ("a", .int(TypedColumn(a))), ("t", .text(TextColumn((0..<n).map { words[$0 % 2] }))),
        ("v", .int(TypedColumn((0..<n).map { $0 }))),
      ]))
    let statements = try Parser.parse(
      SourceText(name: "test", text: "big | group t, a (n = count(), s = sum(v))"))
    guard case .pipeline(let p) = statements[0] else { return }
    let out = try bothWays(
      try Checker(CheckContext(catalog: catalog, directory: ".")).check(p).plan)
    #expect(out.rowCount == n)
    // Row r holds a = r * 7919 mod n, with t of r's parity: by (t, a), "kab" rows first.
    var row = [Int](repeating: 0, count: n)
    for r in 0..<n { row[a[r]] = r }
    let expected = (0..<n).filter { row[$0] % 2 == 0 } + (0..<n).filter { row[$0] % 2 == 1 }
    guard case .text(let t) = out.columns[0], case .int(let keys) = out.columns[1],
      case .int(let sums) = out.columns[3]
    else {
      Issue.record("not text, int and int")
      return
    }
    #expect(keys.values == expected)
    #expect((0..<n).allSatisfy { t[$0] == words[row[expected[$0]] % 2] })
    #expect((0..<n).allSatisfy { sums.values[$0] == row[expected[$0]] })
  }
}
