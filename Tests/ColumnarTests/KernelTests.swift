import TestSupport
import Testing

@testable import Columnar

struct KernelTests {
  let ints = Column.int(
    TypedColumn([3, 1, 2, 1, 0], validity: Validity([true, true, true, true, false])))

  /// A loaded text column keeps its dictionary's order once found; a change of its
  /// dictionary (or of a copy's) must not leave it stale, and rows gathered from it keep
  /// it. A dictionary's entries in the order of their ranks keep tied entries in their
  /// order.
  @Test func keptTextRanksFollowTheDictionary() {
    var column = TextColumn(["pear", "apple", "fig"]).remembering()
    #expect(column.sortRanks() == [2, 0, 1])
    #expect(column.sortRanks() == [2, 0, 1])
    var copy = column
    copy.dictionary[0] = "aardvark"
    #expect(copy.sortRanks() == [0, 1, 2])
    #expect(column.sortRanks() == [2, 0, 1])
    column.dictionary.append("banana")
    #expect(column.sortRanks() == [3, 0, 2, 1])
    #expect(SlotGrouping.SlotKey.order(ranks: [1, 0, 1, 2, 0]) == [1, 4, 0, 2, 3])
    // Rows gathered keep the dictionary and its order, found once for both.
    let loaded = TextColumn(["pear", "apple", "fig", "apple"]).remembering()
    guard case .text(let picked) = Column.text(loaded).gather([3, 0]) else {
      Issue.record("a gathered text column is text")
      return
    }
    #expect(picked.ranks != nil && picked.ranks === loaded.ranks)
    #expect(picked.sortRanks() == loaded.sortRanks())
  }

  /// A loaded int column keeps its least and greatest values once found; a change of its
  /// values (or of a copy's) must not leave them stale.
  @Test func keptExtremesFollowTheValues() {
    var column = TypedColumn(remembering: [5, -3, 9, 0], validity: .allValid)
    #expect(Extremes.of(column) == (-3, 9))
    #expect(Extremes.of(column) == (-3, 9))
    var copy = column
    copy.values[1] = -40
    #expect(Extremes.of(copy) == (-40, 9))
    #expect(Extremes.of(column) == (-3, 9))
    column.values.append(70)
    #expect(Extremes.of(column) == (-3, 70))
    column.values.withUnsafeMutableBufferPointer { $0[0] = 100 }
    #expect(Extremes.of(column) == (-3, 100))
  }

  /// Few rows of many grouped by an int key take their slots from the range a loaded
  /// column keeps when that is narrow (no pass over the rows), from the rows' own range
  /// when the column keeps none or a wide one.
  @Test func fewRowsTakeTheKeptRangeWhenItIsNarrow() {
    let values = (0..<1000).map { $0 % 40 - 7 }
    let selected = [3, 10, 11, 500]
    func range(_ key: SlotGrouping.SlotKey?) -> (Int, Int)? {
      guard case .ints(_, _, let lo, let slots)? = key else { return nil }
      return (lo, slots)
    }
    let loaded = TypedColumn(remembering: values, validity: .allValid)
    let plain = TypedColumn(values)
    #expect(range(SlotGrouping.SlotKey(.int(loaded), selected: selected))! == (-7, 41))
    #expect(range(SlotGrouping.SlotKey(.int(plain), selected: selected))! == (-4, 19))
    let wide = TypedColumn(remembering: values.map { $0 * 100_000 }, validity: .allValid)
    #expect(range(SlotGrouping.SlotKey(.int(wide), selected: selected))! == (-400_000, 1_700_002))
  }

  @Test func sortIsStablePermutationWithNullsLast() {
    let asc = Sorting.permutation([SortKey(ints)], count: 5)
    #expect(asc == [1, 3, 2, 0, 4])
    let desc = Sorting.permutation([SortKey(ints, descending: true)], count: 5)
    #expect(desc == [0, 2, 1, 3, 4])
  }

  @Test func textSortsByCodePoints() {
    let t = Column.text(TextColumn(["b", "a", "B", "é", "e"]))
    #expect(Sorting.permutation([SortKey(t)], count: 5) == [2, 1, 0, 4, 3])
  }

  @Test func floatKeysOrderNegativesAndZeros() {
    let f = Column.float(TypedColumn([0.5, -2, -0.0, 0, -0.5]))
    #expect(Sorting.permutation([SortKey(f)], count: 5) == [1, 4, 2, 3, 0])
  }

  @Test(arguments: [1, 7, 100, 1000])
  func randomMultiKeySortIsOrderedPermutation(_ n: Int) {
    var rng = SplitMix(seed: UInt64(n))
    let a = Column.int(TypedColumn((0..<n).map { _ in Int(rng.next() % 5) }))
    let b = Column.float(TypedColumn((0..<n).map { _ in Double(rng.next() % 7) / 2 }))
    let p = Sorting.permutation([SortKey(a), SortKey(b, descending: true)], count: n)
    #expect(p.sorted() == Array(0..<n))
    for k in 1..<max(1, n) {
      let (x, y) = (p[k - 1], p[k])
      let ax = a.value(at: x).asDouble!
      let ay = a.value(at: y).asDouble!
      let bx = b.value(at: x).asDouble!
      let by = b.value(at: y).asDouble!
      #expect(ax < ay || (ax == ay && (bx > by || (bx == by && x < y))))
    }
  }

  @Test(arguments: [0, 1, 3, 10, 50])
  func topKEqualsThePrefixOfTheStableSort(_ k: Int) {
    var rng = SplitMix(seed: UInt64(k + 7))
    let n = 500
    let a = Column.int(
      TypedColumn(
        (0..<n).map { _ in Int(rng.next() % 20) }, validity: Validity((0..<n).map { $0 % 9 != 0 })))
    let b = Column.text(TextColumn((0..<n).map { _ in ["x", "y", "z"][Int(rng.next() % 3)] }))
    let keys = [SortKey(a, descending: true), SortKey(b)]
    #expect(
      Sorting.top(keys, count: n, k: k) == Array(Sorting.permutation(keys, count: n).prefix(k)))
  }

  @Test func groupsNumberedByFirstAppearanceWithNullAsAKey() {
    let g = Grouping(keys: [ints], rowCount: 5)
    #expect(g.ids == [0, 1, 2, 1, 3])
    #expect(g.firstRows == [0, 1, 2, 4])
    let (offsets, rows) = g.members()
    #expect(offsets == [0, 1, 3, 4, 5])
    #expect(rows == [0, 1, 3, 2, 4])
  }

  @Test func multiKeyGrouping() {
    let a = Column.text(TextColumn(["x", "y", "x", "x"]))
    let b = Column.int(TypedColumn([1, 1, 2, 1]))
    let g = Grouping(keys: [a, b], rowCount: 4)
    #expect(g.ids == [0, 1, 2, 0])
  }

  /// Small keys take the one-pass slot table; the result must be the hashed grouping's, ids
  /// and first rows alike, with nulls, negative and wide integers, dates and text.
  @Test(arguments: [0, 1, 2, 3])
  func slotTableGroupingEqualsHashedGrouping(seed: Int) throws {
    var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let n = 5000
    let words = ["a", "b", "c", nil]
    let text = Column.text(TextColumn((0..<n).map { _ in words[next(4)] }))
    let ints = Column.int(
      TypedColumn(
        (0..<n).map { _ in next(50) - 25 }, validity: Validity((0..<n).map { _ in next(9) > 0 })))
    let dates = Column.date(TypedColumn((0..<n).map { _ in 19_000 + next(30) }))
    let wide = Column.int(TypedColumn((0..<n).map { _ in next(3) == 0 ? Int.min : Int.max }))
    let keySets: [[Column]] = [[text], [ints], [text, ints], [ints, dates, text], [wide, text]]
    for keys in keySets {
      let slots = try Grouping(keys: keys, rowCount: n, cancellation: nil)
      let hashed = try Grouping(encoded: keys.map { EncodedKeys($0) }, rowCount: n)
      #expect(slots.ids == hashed.ids)
      #expect(slots.count == hashed.count)
      #expect(slots.firstRows == hashed.firstRows)
    }
  }

  /// The slot table's walk in key order gives the order a sort of the groups' keys gives
  /// (ascending, nulls last, text by its bytes): one key and several, text whose codes are
  /// not in the order of its values, nulls, negative integers, groups that are few next to
  /// the slots (the walk then declines) and no keys at all.
  @Test(arguments: [0, 1, 2])
  func slotWalkOrdersGroupsAsTheirKeysSort(seed: Int) throws {
    var rng = SplitMix(seed: UInt64(seed) &+ 5)
    func next(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
    let n = 20_000
    let names = (0..<700).map { "r\(($0 * 7919) % 700)-\(String(repeating: "é", count: $0 % 3))" }
    let text = Column.text(TextColumn((0..<n).map { _ in next(25) == 0 ? nil : names[next(700)] }))
    let ints = Column.int(
      TypedColumn(
        (0..<n).map { _ in next(40) - 20 }, validity: Validity((0..<n).map { _ in next(11) > 0 })))
    let sparse = Column.int(TypedColumn((0..<n).map { _ in next(4) * 1_000_000 }))
    let fewInWide = Column.int(TypedColumn((0..<n).map { _ in next(10) * 50_000 }))
    let dates = Column.date(TypedColumn((0..<n).map { _ in 19_000 + next(5) }))
    let keySets: [[Column]] = [
      [text], [ints], [ints, text], [text, dates, ints], [sparse], [fewInWide], [],
    ]
    for keys in keySets {
      let grouping = try Grouping(keys: keys, rowCount: n, cancellation: nil, keyOrder: true)
      let firsts = keys.map { $0.gather(grouping.firstRows) }
      let sorted = Sorting.permutation(firsts.map { SortKey($0) }, count: grouping.count)
      // The sparse key's range is too wide for a slot table (grouped by hash); ten groups
      // in 450,001 slots are sorted rather than walked.
      let walked = keys.first != sparse && keys.first != fewInWide
      let same = grouping.keyOrder == (walked ? sorted : nil)
      #expect(same, "keys \(keys.map(\.type)), walked: \(grouping.keyOrder != nil)")
    }
  }

  /// A slot table whose slots are the groups (`direct`: one key without nulls) gives the
  /// groups, their keys and their aggregates in key order as the table that numbers groups
  /// by first appearance does: text whose codes are not in the order of its values and
  /// whose dictionary has values no row holds, negative ints, dates, all rows and a
  /// selection of them, fed in the pipelined chunks; a key with nulls is not direct.
  @Test func directSlotsGroupAsNumberedSlots() throws {
    var rng = SplitMix(seed: 17)
    func next(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
    // Slots are groups from `SlotGrouping.directFrom` (65,536) slots on, while there are
    // no more slots than rows.
    let n = 240_000
    let names = (0..<80_000).map { "k\(($0 * 7919) % 80_000)" }
    // Codes 0..<80,000 over a dictionary of 80,100: a hundred values no row holds.
    let text = Column.text(
      TextColumn(
        codes: (0..<n).map { _ in UInt32(next(80_000)) },
        dictionary: names + (0..<100).map { "z\($0)" }))
    let ints = Column.int(TypedColumn((0..<n).map { _ in next(90_000) - 45_000 }))
    let dates = Column.date(TypedColumn((0..<n).map { _ in 19_000 + next(70_000) }))
    let values = Column.int(TypedColumn((0..<n).map { _ in next(1000) }))
    let selected = (0..<n).filter { $0 % 3 != 0 }
    for key in [text, ints, dates] {
      for rows in [nil, selected] {
        var results: [[Column]] = []
        for direct in [false, true] {
          let count = rows?.count ?? n
          guard var slots = SlotGrouping(keys: [key], rows: count, selected: rows, direct: direct)
          else {
            Issue.record("no slot table")
            return
          }
          #expect(slots.direct == direct)
          let accumulators: [GroupAccumulator] = [
            CountAccumulator(.allValid), try #require(Accumulators.make(.sum, values)),
          ]
          try slots.feed(
            rows: count, selected: rows, to: accumulators, chunk: 1000, spread: 4096,
            checkEvery: 1, cancellation: nil)
          let order = try #require(slots.groupsInKeyOrder())
          var columns = slots.keys([key], order: order)
          for a in accumulators { columns.append(try a.finish(groups: slots.count).gather(order)) }
          results.append(columns)
        }
        for c in results[0].indices {
          let same =
            results[0][c].count == results[1][c].count
            && (0..<results[0][c].count).allSatisfy {
              results[0][c].value(at: $0) == results[1][c].value(at: $0)
            }
          #expect(same, "key \(key.type), column \(c), selected: \(rows != nil)")
        }
        #expect(results[0][0].type == key.type && results[1][0].type == key.type)
      }
    }
    let withNulls = Column.int(
      TypedColumn((0..<n).map { $0 % 70_000 }, validity: Validity((0..<n).map { $0 % 7 > 0 })))
    #expect(SlotGrouping(keys: [withNulls], rows: n, direct: true)?.direct == false)
    let few = Column.int(TypedColumn((0..<n).map { $0 % 100 }))
    #expect(SlotGrouping(keys: [few], rows: n, direct: true)?.direct == false)
  }

  /// A dictionary's sort ranks follow UTF-8 byte order: long shared prefixes, entries that
  /// are prefixes of others, NUL bytes, multi-byte characters and the empty string; and in
  /// a dictionary large enough to be ranked on every core, codes that share a long prefix
  /// (as db-benchmark's `id0001234567`) and values longer than the radix words hold.
  @Test(arguments: [3000, 140_000])
  func sortRanksFollowUTF8ByteOrder(count: Int) {
    var rng = SplitMix(seed: UInt64(count))
    // Values past the 24 bytes the radix sort packs share long prefixes, and some differ
    // only in trailing zero bytes.
    let pieces = [
      "id0000", "id00001", "a", "\u{0}", "é", "z", "ß", "日本", "", "id",
      "kabupaten-00000000000000", "\u{0}\u{0}",
    ]
    var entries = Set<String>()
    while entries.count < min(count, 3000) {
      entries.insert(
        (0..<Int(rng.next() % 6)).map { _ in pieces[Int(rng.next() % 12)] }.joined())
    }
    while entries.count < count {
      let n = Int(rng.next() % 5_000_000)
      let digits = String(n)
      let code = "id" + String(repeating: "0", count: 10 - digits.count) + digits
      entries.insert(rng.next() % 8 == 0 ? code + String(repeating: "x", count: n % 40) : code)
    }
    let dictionary = Array(entries)
    let column = TextColumn(codes: [], dictionary: dictionary)
    let ranks = column.sortRanks()
    let expected = dictionary.indices.sorted {
      dictionary[$0].utf8.lexicographicallyPrecedes(dictionary[$1].utf8)
    }
    #expect(expected.map { ranks[$0] } == Array(0..<UInt32(dictionary.count)))
  }

  /// Equal values share a rank, and the ranks count the distinct values.
  @Test func equalTextSharesARank() {
    let dictionary = ["b", "a", "b", "", "a", "ab", "", "b"]
    let ranks = TextColumn(codes: [], dictionary: dictionary).sortRanks()
    #expect(ranks == [3, 1, 3, 0, 1, 2, 0, 3])
  }

  /// `and` and `or` of two whole columns give every row's truth, whatever the lengths
  /// (the loop over bytes has no branch per row, and a vectorised body and its tail).
  @Test(arguments: [0, 1, 5, 67, 1000])
  func logicOfTwoColumnsPerRow(rows: Int) {
    var seed: UInt64 = 7
    func next() -> Bool {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return seed >> 63 == 1
    }
    let p = (0..<rows).map { _ in next() }
    let q = (0..<rows).map { _ in next() }
    #expect(Elementwise.logic(p, q, and: true) == zip(p, q).map { $0 && $1 })
    #expect(Elementwise.logic(p, q, and: false) == zip(p, q).map { $0 || $1 })
    #expect(
      Elementwise.logic([true, true, false, false], [true, false, true, false], and: true)
        == [true, false, false, false])
    #expect(
      Elementwise.logic([true, true, false, false], [true, false, true, false], and: false)
        == [true, true, true, false])
  }
}
