import Columnar
import TestSupport
import Testing

@testable import Language

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
