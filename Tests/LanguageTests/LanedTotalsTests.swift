import Columnar
import TestSupport
import Testing

@testable import Language

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
