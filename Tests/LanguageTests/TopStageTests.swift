import Columnar
import TestSupport
import Testing

@testable import Language

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
