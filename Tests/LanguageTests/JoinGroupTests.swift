import Columnar
import TestSupport
import Testing

@testable import Language

/// `join … | group …` runs without building the joined table when it can; its result must be
/// the one the joined table gives, whatever the keys, nulls and misses.
struct JoinGroupTests {
  /// A small deterministic generator of bounded integers.
  struct Generator {
    var rng: SplitMix
    init(state: UInt64) { rng = SplitMix(seed: state) }
    mutating func next(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
  }

  /// A fact table `f` (key `k`, values `x`, `y`) and a dimension `d` (key `code`, attributes
  /// `a`, `b`), with null keys, keys missing on either side, null attributes and, when
  /// `duplicates`, a repeated dimension key.
  func catalog(seed: UInt64, duplicates: Bool, textKeys: Bool) -> Catalog {
    var g = Generator(state: seed)
    let n = 400
    let keys = (0..<n).map { _ in g.next(30) - 2 }
    let keyValid = (0..<n).map { _ in g.next(10) > 0 }
    let xs = (0..<n).map { _ in g.next(1000) - 500 }
    let ys = (0..<n).map { _ in Double(g.next(10_000)) / 7 }
    let yValid = (0..<n).map { _ in g.next(8) > 0 }
    var codes = Array(0..<20)
    if duplicates { codes.append(codes[g.next(20)]) }
    let attrA = codes.map { _ in ["east", "west", "north"][g.next(3)] }
    let attrAValid = codes.map { _ in g.next(6) > 0 }
    let attrB = codes.map { _ in g.next(2) }
    var catalog = Catalog()
    let keyColumn: Column =
      textKeys
      ? .text(TextColumn(zip(keys, keyValid).map { $1 ? "r\($0)" : nil }))
      : .int(TypedColumn(keys, validity: Validity(keyValid)))
    let codeColumn: Column =
      textKeys ? .text(TextColumn(codes.map { "r\($0)" })) : .int(TypedColumn(codes))
    catalog.set(
      "f",
      Table([
        ("k", keyColumn), ("x", .int(TypedColumn(xs))),
        ("y", .float(TypedColumn(ys, validity: Validity(yValid)))),
      ]))
    catalog.set(
      "d",
      Table([
        ("code", codeColumn),
        ("a", .text(TextColumn(zip(attrA, attrAValid).map { $1 ? $0 : nil }))),
        ("b", .int(TypedColumn(attrB))),
      ]))
    return catalog
  }

  func evaluate(_ text: String, _ catalog: Catalog) throws -> Table {
    let statements = try Parser.parse(SourceText(name: "test", text: text))
    guard case .pipeline(let p) = statements[0] else { throw Diagnostic("not a pipeline", at: nil) }
    let checked = try Checker(CheckContext(catalog: catalog, directory: ".")).check(p)
    return try bothWays(checked.plan)
  }

  @Test(arguments: [
    (1, false, false), (2, false, false), (3, true, false), (4, false, true), (5, true, true),
  ])
  func groupOverAJoinEqualsGroupOverTheJoinedTable(seed: Int, duplicates: Bool, text: Bool)
    throws
  {
    var catalog = catalog(seed: UInt64(seed), duplicates: duplicates, textKeys: text)
    let group =
      "group a, b (n = count(), nx = count(x), s = sum(x), m = avg(y), lo = min(y), hi = max(x))"
    let direct = try evaluate("f | join d on k == code | \(group)", catalog)
    catalog.set("j", try evaluate("f | join d on k == code", catalog))
    let reference = try evaluate("j | \(group)", catalog)
    #expect(direct.names == reference.names)
    #expect(lines(direct) == lines(reference))
    #expect(direct.rowCount > 2)
  }

  /// Rows arrive a chunk (4,096 rows) at a time; a group first seen in a later chunk must not
  /// inherit anything from the null rows of earlier chunks.
  @Test func groupsFirstSeenInALaterChunkStartClean() throws {
    let n = 10_000
    let keys = (0..<n).map { $0 < 5_000 ? "a" : $0 < 9_000 ? "b" : "c" }
    let values = (0..<n).map { Double($0 % 7) + 0.25 }
    let valid = (0..<n).map { $0 % 3 != 0 }
    var catalog = Catalog()
    catalog.set(
      "f",
      Table([
        ("k", .text(TextColumn(keys))),
        ("v", .float(TypedColumn(values, validity: Validity(valid)))),
        ("w", .int(TypedColumn((0..<n).map { $0 % 5 }, validity: Validity(valid)))),
      ]))
    let t = try evaluate(
      "f | group k (n = count(), nv = count(v), s = sum(v), lo = min(w), hi = max(w))", catalog)
    var expected: [String] = []
    for key in ["a", "b", "c"] {
      let rows = (0..<n).filter { keys[$0] == key }
      let kept = rows.filter { valid[$0] }
      var sum = 0.0
      var carry = 0.0
      for r in kept {
        let x = values[r]
        let t = sum + x
        carry += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
        sum = t
      }
      let ws = kept.map { $0 % 5 }
      expected.append(
        "\(key),\(rows.count),\(kept.count),\(CellText.format(.float(sum + carry))),"
          + "\(ws.min() ?? -1),\(ws.max() ?? -1)")
    }
    #expect(lines(t) == expected)
  }

  @Test func groupsNoLeftRowReachesAreLeftOut() throws {
    var catalog = Catalog()
    catalog.set("f", Table([("k", .int(TypedColumn([1, 1, 3, 9])))]))
    catalog.set(
      "d",
      Table([
        ("code", .int(TypedColumn([1, 2, 3]))),
        ("a", .text(TextColumn(["p", "q", nil]))),
      ]))
    let t = try evaluate("f | join d on k == code | group a (n = count())", catalog)
    #expect(lines(t) == ["p,2", "null,1"])
  }
}

/// A join on several keys that are small on the right (text, ints, dates) combines them
/// into slots of one table; it must pair the rows a nested loop pairs, in left order with
/// each left row's matches in right order, nulls matching nothing, inner and left.
struct SlottedJoinKeyTests {
  @Test(arguments: [false, true])
  func severalSmallKeysPairAsANestedLoop(leftJoin: Bool) throws {
    var rng = SplitMix(seed: leftJoin ? 3 : 4)
    let n = 4_000
    let m = 300
    func text(_ k: Int) -> String? { k == 0 ? nil : "k\(k)" }
    let la = (0..<n).map { _ in text(Int.random(in: 0..<9, using: &rng)) }
    let lb: [Int?] = (0..<n).map { _ in
      let v = Int.random(in: -3..<12, using: &rng)
      return v == 5 ? nil : v
    }
    let ra = (0..<m).map { _ in text(Int.random(in: 0..<7, using: &rng)) }
    let rb: [Int?] = (0..<m).map { _ in
      let v = Int.random(in: 0..<8, using: &rng)
      return v == 6 ? nil : v
    }
    let left = Table([
      ("a", .text(TextColumn(la))), ("b", .int(TypedColumn(optionals: lb, placeholder: 0))),
      ("i", .int(TypedColumn(Array(0..<n)))),
    ])
    let right = Table([
      ("a", .text(TextColumn(ra))), ("b", .int(TypedColumn(optionals: rb, placeholder: 0))),
      ("j", .int(TypedColumn(Array(0..<m)))),
    ])
    let text = "l | join \(leftJoin ? "left " : "")r on a == a and b == b | select i, j"
    let t = try runBothWays(text, over: [("l", left), ("r", right)])[0]
    var expected: [[Value]] = []
    for i in 0..<n {
      var matched = false
      for j in 0..<m where la[i] != nil && lb[i] != nil && la[i] == ra[j] && lb[i] == rb[j] {
        expected.append([.int(i), .int(j)])
        matched = true
      }
      if leftJoin && !matched { expected.append([.int(i), .null]) }
    }
    let got = (0..<t.rowCount).map { r in t.columns.map { $0.value(at: r) } }
    #expect(got.count == expected.count)
    #expect(got == expected)
  }
}
