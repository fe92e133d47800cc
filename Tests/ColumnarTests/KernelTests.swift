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

  /// Grouping by sorting the packed keys gives the hashed grouping's groups, first rows
  /// and sizes, numbered in the order the group stage shows them (keys ascending, nulls
  /// last): over text, ints with nulls, floats with 0.0 and -0.0, dates, keys in two
  /// words, many and few groups.
  @Test(arguments: [0, 1, 2, 3])
  func sortedGroupingEqualsHashedGroupingInKeyOrder(seed: Int) throws {
    var rng = SplitMix(seed: UInt64(seed) &+ 91)
    func next(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
    let n = 70_000
    let text = Column.text(TextColumn((0..<n).map { _ in next(20) == 0 ? nil : "k\(next(3000))" }))
    let ints = Column.int(
      TypedColumn(
        (0..<n).map { _ in next(200_000) - 100_000 },
        validity: Validity((0..<n).map { _ in next(9) > 0 })))
    // Signed, so that both 0.0 and -0.0 occur. (A float key spans 64 bits: alone only.)
    let floats = Column.float(
      TypedColumn((0..<n).map { _ in (next(2) == 0 ? -1.0 : 1.0) * Double(next(50_000)) / 4 }))
    let dates = Column.date(TypedColumn((0..<n).map { _ in 19_000 + next(30) }))
    let small = Column.int(TypedColumn((0..<n).map { _ in next(5) }))
    // 40 bits: with the ints and the text the keys take two words.
    let wide = Column.int(TypedColumn((0..<n).map { _ in next(1 << 40) }))
    let flags = Column.bool(
      TypedColumn(
        (0..<n).map { _ in next(2) == 0 }, validity: Validity((0..<n).map { _ in next(5) > 0 })))
    let keySets: [[Column]] = [
      [ints], [text, ints], [floats], [dates, ints, small, flags], [small], [wide, ints, text],
    ]
    var used = 0
    for keys in keySets {
      guard
        let sorted = try Grouping.byKeyOrder(
          keys: keys, rowCount: n, sample: 1 << 16, distinctShare: 0.25, cancellation: nil)
      else {
        // Few distinct keys: left to hashing.
        #expect(keys.count == 1 && keys[0] == small)
        continue
      }
      used += 1
      let hashed = try Grouping(keys: keys, rowCount: n, cancellation: nil)
      let (members, inOrder) = sorted.grouping.members()
      #expect(sorted.offsets == members && sorted.rows == inOrder)
      let firsts = keys.map { $0.gather(hashed.firstRows) }
      let order = Sorting.permutation(firsts.map { SortKey($0) }, count: hashed.count)
      var position = [Int](repeating: 0, count: hashed.count)
      for (p, g) in order.enumerated() { position[g] = p }
      #expect(sorted.grouping.count == hashed.count)
      #expect(sorted.grouping.firstRows == order.map { hashed.firstRows[$0] })
      #expect(sorted.grouping.ids == hashed.ids.map { position[$0] })
      // The keys read back from the sorted words are the keys of each group's first row,
      // nulls included; a float key is left to be gathered.
      for (key, read) in zip(keys, sorted.keys.columns()) {
        guard let read else {
          #expect(key.type == .float)
          continue
        }
        let gathered = key.gather(sorted.grouping.firstRows)
        #expect(read.type == key.type && read.count == gathered.count)
        #expect((0..<read.count).allSatisfy { read.value(at: $0) == gathered.value(at: $0) })
      }
    }
    #expect(used == 5)
  }

  /// Packing the key columns straight gives the words and bits of packing their encoded
  /// keys: every type, with and without nulls, one word and several, and keys too wide.
  @Test func packingColumnsEqualsPackingEncodedKeys() {
    var rng = SplitMix(seed: 4242)
    func next(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
    let n = 5000
    func validity() -> Validity { Validity((0..<n).map { _ in next(7) > 0 }) }
    let text = Column.text(TextColumn((0..<n).map { _ in next(15) == 0 ? nil : "k\(next(900))" }))
    let plainText = Column.text(TextColumn((0..<n).map { _ in "é\(next(40))" }))
    let ints = Column.int(TypedColumn((0..<n).map { _ in next(300) - 150 }, validity: validity()))
    let plainInts = Column.int(TypedColumn((0..<n).map { _ in next(1 << 30) - (1 << 29) }))
    let floats = Column.float(
      TypedColumn((0..<n).map { _ in Double(next(200)) / 8 - 12 }, validity: validity()))
    let bools = Column.bool(TypedColumn((0..<n).map { _ in next(2) == 0 }, validity: validity()))
    let dates = Column.date(TypedColumn((0..<n).map { _ in 19_000 + next(30) }))
    let constant = Column.int(TypedColumn([Int](repeating: 7, count: n)))
    let extreme = Column.int(TypedColumn((0..<n).map { _ in next(2) == 0 ? Int.min : Int.max }))
    // A bitmap with no null in it: no slot for null.
    let bitmapNoNulls = Column.int(
      TypedColumn(
        (0..<n).map { $0 % 4 },
        validity: Validity(words: [UInt64](repeating: ~0, count: n / 64 + 1))))
    #expect(bitmapNoNulls.validity.hasNulls && bitmapNoNulls.validity.nullCount(n) == 0)
    let keySets: [[Column]] = [
      [text], [plainText, ints], [ints, plainInts, dates], [floats], [bools, text, constant],
      [plainInts, plainInts, plainInts], [extreme], [extreme, bools], [floats, ints],
      [bitmapNoNulls, ints],
    ]
    for keys in keySets {
      let direct = PackedColumns(keys)
      let encoded = PackedSort.packWords(keys.map(EncodedKeys.init))
      #expect(direct?.words == encoded?.words && direct?.bits == encoded?.bits)
      #expect((direct == nil) == (encoded == nil))
    }
  }

  /// The rows that can reach the first k by their leading key, then sorted by every key, give
  /// the same first k as sorting everything — with ties, nulls, NaN and -0.0 in the lead.
  @Test(arguments: [(0, 1), (1, 5), (2, 10), (3, 40), (4, 3)])
  func candidatesKeepTheTopRows(seed: Int, k: Int) {
    var state = UInt64(seed) &+ 11
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let n = 2000
    let specials: [Double] = [.nan, -0.0, 0.0, 1.5, -3]
    let lead = Column.float(
      TypedColumn(
        (0..<n).map { _ in next(4) == 0 ? specials[next(5)] : Double(next(300)) / 4 },
        validity: Validity((0..<n).map { _ in next(10) > 0 })))
    let words = ["b", "a", "c"]
    let second = Column.text(TextColumn((0..<n).map { _ in words[next(3)] }))
    let leads: [Column] = [lead, second, .int(TypedColumn((0..<n).map { _ in next(50) }))]
    var pruned = 0
    for (l, descending) in zip(leads + leads, [true, false, true, false, true, false]) {
      let keys = [SortKey(l, descending: descending), SortKey(second)]
      let rows = (0..<n).filter { _ in next(3) > 0 }
      let expected = Array(Sorting.permutation(keys, rows: rows).prefix(k))
      guard let candidates = Sorting.candidates(keys[0], rows: rows, k: k, alone: false) else {
        continue
      }
      #expect(candidates.count >= k && candidates.count < rows.count)
      #expect(Array(Sorting.permutation(keys, rows: candidates).prefix(k)) == expected)
      pruned += 1
    }
    #expect(pruned >= 2)
  }

  /// Over as many rows as split between the cores, each core's candidates cut at the whole's
  /// k-th best are exactly the rows no worse than it — with nulls, ties, both directions,
  /// and one share holding fewer than k values.
  @Test func candidatesOfManyRowsAreFoundOnEveryCoreAlike() {
    var rng = SplitMix(seed: 2026)
    let n = Tuning.splitRows + 4321
    let values = (0..<n).map { _ in Int(rng.next() % 100_000) }
    let thirds = Validity((0..<n).map { $0 % 3 > 0 })
    let nullsInFirstHalf = Validity((0..<n).map { $0 >= n / 2 || $0 % 7000 == 0 })
    let cases = [
      (Validity.allValid, 10, false), (thirds, 50, true), (nullsInFirstHalf, 200, false),
    ]
    for (validity, k, descending) in cases {
      let column = Column.int(TypedColumn(values, validity: validity))
      let known = (0..<n).filter { validity.isValid($0) }
      let sorted = known.map { values[$0] }.sorted()
      let cut = descending ? sorted[sorted.count - k] : sorted[k - 1]
      let expected = known.filter { descending ? values[$0] >= cut : values[$0] <= cut }
      let found = Sorting.candidates(
        SortKey(column, descending: descending), count: n, k: k, alone: false)
      let same = found == expected
      #expect(same, "k \(k) descending \(descending)")
    }
  }

  /// Keys too spread for an array are numbered through the hash table a batch at a time;
  /// the groups come numbered in order of first appearance, the null key's among them; a
  /// pair of id vectors too large for an array is numbered the same way.
  @Test func spreadKeysAreNumberedByFirstAppearance() throws {
    let big = 1 << 50
    let bases: [Int] = [big, 5, -big, big, 7 * big]
    let values: [Int?] = (0..<10_000).map { r -> Int? in
      if r == 3 || r == 7_000 { return nil }
      return bases[r % 5] &+ r / 2_000
    }
    let column = Column.int(TypedColumn(optionals: values, placeholder: 0))
    let g = try Grouping(keys: [column], rowCount: values.count, cancellation: nil)
    // By hand: each distinct value (and null) numbered as it first comes.
    var seen: [Int?: Int] = [:]
    var firsts: [Int] = []
    let expected = values.enumerated().map { r, v -> Int in
      if let id = seen[v] { return id }
      seen[v] = firsts.count
      firsts.append(r)
      return firsts.count - 1
    }
    #expect(g.count == firsts.count)
    let same = g.ids == expected && g.firstRows == firsts
    #expect(same)
    let pairs = try Grouping(
      keys: [
        .int(TypedColumn((0..<9_000).map { $0 % 3_000 })),
        .int(TypedColumn((0..<9_000).map { $0 % 2_000 })),
      ],
      rowCount: 9_000, cancellation: nil)
    #expect(pairs.count == 6_000)
    #expect(pairs.firstRows == Array(0..<6_000))
  }

  /// An int key with nulls takes its slot range from every row, null placeholders too
  /// (a wider range only leaves slots empty), or from its valid rows alone when that
  /// range is too wide: either way each value and the null are a group of their own.
  @Test func intKeysWithNullsGroupWhateverTheirPlaceholders() throws {
    let n = Tuning.splitRows + 999
    for placeholder in [0, Int.max, -5] {
      let values: [Int?] = (0..<n).map { $0 % 17 == 3 ? nil : 1_000 + ($0 * 7) % 300 }
      let column = Column.int(TypedColumn(optionals: values, placeholder: placeholder))
      let g = try Grouping(keys: [column], rowCount: n, cancellation: nil)
      var seen: [Int?: Int] = [:]
      let expected = values.map { v -> Int in
        if let id = seen[v] { return id }
        seen[v] = seen.count
        return seen.count - 1
      }
      #expect(g.count == 301, "placeholder \(placeholder)")
      let same = g.ids == expected
      #expect(same, "placeholder \(placeholder)")
    }
  }

  /// A spread key's values are numbered by their rank among the distinct values, each
  /// core hashing its share of the rows: over more rows than one share takes, with nulls,
  /// -0.0 beside 0.0, and only the rows a filter kept; more distinct values than allowed
  /// give nil, whichever share finds them.
  @Test func spreadKeysAreRankedByValueOnEveryCore() throws {
    let n = Tuning.splitRows + 12_345
    let values: [Double?] = (0..<n).map { r -> Double? in
      if r % 97 == 3 { return nil }
      if r % 1_001 == 0 { return -0.0 }
      return Double((r &* 7_919) % 301) / 4 - 30
    }
    let column = Column.float(TypedColumn(optionals: values, placeholder: 0))
    let distinct = Set(values.compactMap { $0.map { $0 + 0 } }).sorted()
    let rank = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
    let selected = (0..<n).filter { $0 % 3 != 1 }
    for rows in [nil, selected] {
      guard
        case .ranked(let codes, let validity, let slots) = try SlotGrouping.SlotKey.ranked(
          column, selected: rows, limit: 1_000, nil)
      else {
        Issue.record("not ranked")
        continue
      }
      #expect(slots == distinct.count + 1)
      var wrong = 0
      for r in rows ?? Array(0..<n) {
        guard let v = values[r] else {
          if validity.isValid(r) { wrong += 1 }
          continue
        }
        if !validity.isValid(r) || Int(codes[r]) != rank[v + 0] { wrong += 1 }
      }
      #expect(wrong == 0)
    }
    // Too many distinct values, first in the second share's rows.
    let late = Column.int(TypedColumn((0..<n).map { $0 < n / 2 ? $0 % 10 : $0 << 30 }))
    #expect(try SlotGrouping.SlotKey.ranked(late, selected: nil, limit: 1_000, nil) == nil)
  }

  /// A column built a chunk at a time on every core holds each chunk's rows at their
  /// places, nulls included, and says what each chunk said in order; a failing chunk
  /// fails the whole with its error, the first in row order.
  @Test func chunksAreWrittenAtTheirRows() throws {
    let n = 3 * 8_192 * Tuning.cores + 77
    let input = Column.int(
      TypedColumn(optionals: (0..<n).map { $0 % 10 == 3 ? nil : $0 }, placeholder: 0))
    let (built, said) = try ChunkedColumns.build(
      .float, count: n, chunk: 8_192, inputs: [input], reading: [0]
    ) { columns, m throws(EngineError) in
      guard case .int(let c) = columns[0] else { return (.nulls(.float, count: m), 0) }
      let values = c.values.map { Double($0) / 2 }
      return (.float(TypedColumn(values, validity: c.validity)), m)
    }
    #expect(said == (0..<(n + 8_191) / 8_192).map { min(8_192, n - $0 * 8_192) })
    var wrong = 0
    for r in 0..<n {
      let expected: Value = r % 10 == 3 ? .null : .float(Double(r) / 2)
      if built.value(at: r) != expected { wrong += 1 }
    }
    #expect(wrong == 0)
    #expect(built.validity.nullCount(n) == (0..<n).filter { $0 % 10 == 3 }.count)
    do {
      _ = try ChunkedColumns.build(
        .int, count: n, chunk: 8_192, inputs: [input], reading: [0]
      ) { columns, m throws(EngineError) -> (Column, Int) in
        guard case .int(let c) = columns[0], let first = c.values.first else {
          return (.nulls(.int, count: m), 0)
        }
        if first >= 8_192 * 2 { throw .overflow(operation: "chunk \(first / 8_192)") }
        return (columns[0], 0)
      }
      Issue.record("expected an error")
    } catch {
      #expect(error == .overflow(operation: "chunk 2"))
    }
  }

  @Test func joinCountsMultiplyAndNullKeysNeverMatch() throws {
    let left = Column.text(TextColumn(["a", "b", nil, "a", "c"]))
    let right = Column.text(TextColumn(["a", "a", "b", nil]))
    let inner = try HashJoin.match(
      left: [left], right: [right], leftCount: 5, rightCount: 4, keepUnmatched: false)
    #expect(inner.left == [0, 0, 1, 3, 3])
    #expect(inner.right == [0, 1, 2, 0, 1])
    let outer = try HashJoin.match(
      left: [left], right: [right], leftCount: 5, rightCount: 4, keepUnmatched: true)
    #expect(outer.left == [0, 0, 1, 2, 3, 3, 4])
    #expect(outer.right == [0, 1, 2, -1, 0, 1, -1])
  }

  /// Unique right keys take their own route (no chains), and a right key range up to
  /// twice the right rows a direct table: both must give a nested loop's pairs, for inner
  /// and left joins, with nulls, keys no right row has, and no match at all.
  @Test func uniqueRightKeysPairAsANestedLoop() throws {
    var rng = SplitMix(seed: 21)
    for round in 0..<40 {
      let m = Int(rng.next() % 300) + 1
      let n = Int(rng.next() % 500)
      // Right keys distinct (a shuffled range with gaps, wide in some rounds), some null.
      let spread = round % 4 == 0 ? 5_000_000 : 3
      var rightKeys: [Int?] = (0..<m).map { $0 * spread + 7 }
      rightKeys.shuffle(using: &rng)
      if round % 3 == 0 { rightKeys[0] = nil }
      let leftKeys: [Int?] = (0..<n).map { _ in
        rng.next() % 9 == 0 ? nil : Int(rng.next() % UInt64(m + 20)) * spread + 7
      }
      let l = Column.from(leftKeys.map { $0.map(Value.int) ?? .null }, type: .int)
      let r = Column.from(rightKeys.map { $0.map(Value.int) ?? .null }, type: .int)
      for keep in [false, true] {
        var expected: ([Int], [Int]) = ([], [])
        for (i, k) in leftKeys.enumerated() {
          let j = k.flatMap { k in rightKeys.firstIndex(of: k) }
          if let j {
            expected.0.append(i)
            expected.1.append(j)
          } else if keep {
            expected.0.append(i)
            expected.1.append(-1)
          }
        }
        let got = try HashJoin.match(
          left: [l], right: [r], leftCount: n, rightCount: m, keepUnmatched: keep)
        #expect(got.left == expected.0 && got.right == expected.1, "round \(round) \(keep)")
      }
    }
  }

  @Test func joinMatchesIntAgainstFloat() throws {
    let l = Column.int(TypedColumn([1, 2]))
    let r = Column.float(TypedColumn([2.0, 1.5]))
    let m = try HashJoin.match(
      left: [l], right: [r], leftCount: 2, rightCount: 2, keepUnmatched: false)
    #expect(m.left == [1])
    #expect(m.right == [0])
  }

  @Test func joinRefusesAnOutputOverTheLimitBeforeBuildingIt() {
    let keys = Column.int(TypedColumn([Int](repeating: 1, count: 1000)))
    #expect(throws: EngineError.self) {
      try HashJoin.match(
        left: [keys], right: [keys], leftCount: 1000, rightCount: 1000, keepUnmatched: false,
        bytesPerRow: 100, byteLimit: 1_000_000)
    }
  }

  @Test func gatherWithMissingIndexGivesNull() {
    let c = Column.text(TextColumn(["a", "b"]))
    #expect(c.gather([1, -1, 0]).values == [.text("b"), .null, .text("a")])
  }

  @Test func datesRoundTrip() {
    for s in ["1970-01-01", "2024-02-29", "1999-12-31", "2100-03-01", "0001-01-01"] {
      #expect(CivilDate.format(CivilDate.parse(s)!) == s)
    }
    #expect(CivilDate.parse("2023-02-29") == nil)
    #expect(CivilDate.parse("2024-13-01") == nil)
    #expect(CivilDate.parse("1970-01-02") == 1)
  }

  /// Two columns end to end keep every row's null flag, wherever the seam falls in a word.
  @Test(arguments: [(0, 5), (1, 64), (63, 2), (64, 64), (65, 130), (127, 1), (200, 0)])
  func concatenationKeepsNulls(n: Int, m: Int) {
    let a = (0..<n).map { $0 % 3 != 1 }
    let b = (0..<m).map { $0 % 5 != 2 }
    let x = Column.int(TypedColumn(Array(0..<n), validity: Validity(a)))
    let y = Column.int(TypedColumn(Array(0..<m), validity: Validity(b)))
    let joined = Column.concatenate(x, y)
    #expect(joined?.count == n + m)
    let flags = a + b
    #expect((0..<(n + m)).allSatisfy { joined?.validity.isValid($0) == flags[$0] })
    let allValid = Column.concatenate(x, .int(TypedColumn(Array(0..<m))))
    #expect(
      (0..<(n + m)).allSatisfy {
        allValid?.validity.isValid($0) == (a + [Bool](repeating: true, count: m))[$0]
      })
  }

  /// A byte search of ASCII text finds what a search of its lowercased characters finds,
  /// with and without case; text or patterns beyond ASCII are left to the latter.
  @Test func asciiSearchAgreesWithCharacterSearch() {
    var g = SystemRandomNumberGenerator()
    let letters = Array("aAbBzZ09-_ ")
    for _ in 0..<3000 {
      let s = String(
        (0..<Int.random(in: 0..<12, using: &g)).map { _ in letters.randomElement(using: &g)! })
      let p = String(
        (0..<Int.random(in: 0..<4, using: &g)).map { _ in letters.randomElement(using: &g)! })
      let folded = TextSearch.needle(p, ignoringCase: true).flatMap {
        TextSearch.contains(s, $0, ignoringCase: true)
      }
      #expect(folded == s.lowercased().contains(p.lowercased()))
      let exact = TextSearch.needle(p, ignoringCase: false).flatMap {
        TextSearch.contains(s, $0, ignoringCase: false)
      }
      #expect(exact == s.contains(p))
    }
    #expect(TextSearch.contains("Élan", [0x6C], ignoringCase: true) == nil)
    #expect(TextSearch.needle("é", ignoringCase: true) == nil)
    #expect(TextSearch.contains("Kota Batu", Array("bat".utf8), ignoringCase: true) == true)
  }

  /// `appending` joins arrays (merging text dictionaries) and gives the values, one by
  /// one, of this column then the other's: shared and new texts, nulls on both sides, an
  /// int column after a float one.
  @Test func appendingGivesBothColumnsValues() {
    let pairs: [(Column, Column)] = [
      (.text(TextColumn(["b", nil, "a", "b"])), .text(TextColumn(["c", "a", nil, "c", "d"]))),
      (
        .float(TypedColumn([1.5, 2], validity: Validity([true, false]))), .int(TypedColumn([3, 4]))
      ),
      (.bool(TypedColumn([true, false])), .bool(TypedColumn([false], validity: .allNull(1)))),
      (.date(TypedColumn([1, 2])), .date(TypedColumn([3]))),
    ]
    for (a, b) in pairs {
      let joined = a.appending(b)
      #expect(joined.type == a.type)
      let expected =
        a.values
        + b.values.map { v -> Value in
          if case .int(let i) = v, a.type == .float { return .float(Double(i)) }
          return v
        }
      #expect(joined.values == expected)
    }
  }

  /// One builder appended to another gives the bitmap of all the flags, wherever the seam
  /// falls and whichever side has nulls.
  @Test(arguments: [0, 1, 63, 64, 65, 130])
  func validityBuildersJoin(split: Int) {
    let patterns: [(Int) -> Bool] = [{ _ in true }, { $0 % 5 != 2 }]
    for a in patterns {
      for b in patterns {
        let flags = (0..<200).map { $0 < split ? a($0) : b($0) }
        var first = ValidityBuilder()
        var second = ValidityBuilder()
        for (i, f) in flags.enumerated() {
          if i < split { first.append(f) } else { second.append(f) }
        }
        first.append(contentsOf: second)
        let built = first.build()
        #expect(first.count == 200)
        #expect((0..<200).allSatisfy { built.isValid($0) == flags[$0] })
      }
    }
  }

  /// Values given as bytes, short (packed in one word), of eight to fifteen bytes (two
  /// words) and long (hashed), many of each, come back as written, equal values sharing one
  /// dictionary entry.
  @Test func textBuilderInternsShortAndLongValues() {
    var b = TextColumnBuilder()
    var expected: [String] = []
    for i in 0..<4000 {
      let s =
        switch i % 4 {
        case 0: "k\(i % 500)"
        case 1: ""
        case 2: "Kab. \(String(repeating: "x", count: i % 7))\(i % 900)"
        default: "Province number \(i % 700)"
        }
      expected.append(s)
      Array(s.utf8).withUnsafeBufferPointer { b.append(bytes: $0) }
    }
    let column = b.build()
    #expect((0..<4000).allSatisfy { column.dictionary[Int(column.codes[$0])] == expected[$0] })
    #expect(column.dictionary.count == Set(expected).count)
  }

  /// A value of eight to fifteen bytes has one code whether it comes as a String, as bytes,
  /// or as the two words a reader packs; invalid UTF-8 of that length shares the code of its
  /// repaired text, which may be longer than fifteen bytes.
  @Test func textBuilderCodesMidValuesOneWayWhicheverWayTheyCome() {
    func words(_ bytes: [UInt8]) -> (UInt64, UInt64) {
      var w0: UInt64 = 0
      var w1 = UInt64(bytes.count) << 56
      for (i, byte) in bytes.enumerated() {
        if i < 8 {
          w0 |= UInt64(byte) << UInt64(8 * i)
        } else {
          w1 |= UInt64(byte) << UInt64(8 * (i - 8))
        }
      }
      return (w0, w1)
    }
    var b = TextColumnBuilder()
    var expected: [String] = []
    for i in 0..<600 {
      let value = String(repeating: "a", count: 8 + i % 8) + "\(i % 5)"
      let bytes = Array(value.utf8.prefix(8 + i % 8))
      let text = String(decoding: bytes, as: UTF8.self)
      switch i % 3 {
      case 0: b.append(text)
      case 1: bytes.withUnsafeBufferPointer { b.append(bytes: $0) }
      default:
        let (w0, w1) = words(bytes)
        bytes.withUnsafeBufferPointer { b.append(mid: w0, w1, bytes: $0) }
      }
      expected.append(text)
    }
    // 14 bytes with two invalid ones, repaired to 18; and the repaired text as words too.
    let invalid: [UInt8] = Array("Kab. Sorong".utf8) + [0xFF, 0xFE, 0x21]
    let (w0, w1) = words(invalid)
    invalid.withUnsafeBufferPointer { b.append(mid: w0, w1, bytes: $0) }
    b.append("Kab. Sorong\u{FFFD}\u{FFFD}!")
    invalid.withUnsafeBufferPointer { b.append(bytes: $0) }
    expected += Array(repeating: "Kab. Sorong\u{FFFD}\u{FFFD}!", count: 3)
    let column = b.build()
    #expect(
      column.codes.indices.allSatisfy { column.dictionary[Int(column.codes[$0])] == expected[$0] })
    #expect(column.dictionary.count == Set(expected).count)
    #expect(column.dictionary.count == 8 + 1)
  }

  /// A value given as a String and as bytes, short or long, is one entry; invalid UTF-8
  /// becomes its repaired text and shares that text's entry; merging builders keeps every
  /// value once.
  @Test func textBuilderKnowsAValueByItsBytesWhicheverWayItCame() {
    var a = TextColumnBuilder()
    a.append("Kota Bandung")
    a.append("Aceh")
    Array("Kota Bandung".utf8).withUnsafeBufferPointer { a.append(bytes: $0) }
    Array("Aceh".utf8).withUnsafeBufferPointer { a.append(bytes: $0) }
    let invalidLong: [UInt8] = Array("Kabupaten ".utf8) + [0xFF]
    let invalidShort: [UInt8] = [0x41, 0xC3]
    invalidLong.withUnsafeBufferPointer { a.append(bytes: $0) }
    a.append("Kabupaten \u{FFFD}")
    invalidShort.withUnsafeBufferPointer { a.append(bytes: $0) }
    a.append("A\u{FFFD}")
    invalidLong.withUnsafeBufferPointer { a.append(bytes: $0) }
    var b = TextColumnBuilder()
    b.append("A\u{FFFD}")
    b.append("Papua Pegunungan")
    a.append(contentsOf: b)
    let column = a.build()
    let shown = (0..<column.codes.count).map { column.dictionary[Int(column.codes[$0])] }
    #expect(
      shown == [
        "Kota Bandung", "Aceh", "Kota Bandung", "Aceh", "Kabupaten \u{FFFD}",
        "Kabupaten \u{FFFD}", "A\u{FFFD}", "A\u{FFFD}", "Kabupaten \u{FFFD}", "A\u{FFFD}",
        "Papua Pegunungan",
      ])
    #expect(column.dictionary.count == Set(shown).count)
  }

  /// The first n rows of a column, copied as arrays (`take`), are the rows gathered by
  /// index: every type, with nulls and without, on and off word edges; the tail bits of the
  /// last word are clear, and a prefix with no null has no bitmap.
  @Test func aPrefixIsTheFirstRowsGathered() {
    let count = 200
    let nulls = Validity((0..<count).map { $0 % 7 != 3 })
    let columns: [Column] = [
      .int(TypedColumn((0..<count).map { $0 * 3 }, validity: nulls)),
      .float(TypedColumn((0..<count).map { Double($0) / 4 })),
      .bool(TypedColumn((0..<count).map { $0 % 3 == 0 }, validity: nulls)),
      .date(TypedColumn((0..<count).map { 19_000 + $0 }, validity: nulls)),
      .text(TextColumn((0..<count).map { $0 % 5 == 0 ? nil : "v\($0 % 11)" })),
    ]
    for column in columns {
      for n in [0, 1, 3, 63, 64, 65, 130, count] {
        let prefix = column.prefix(n)
        let gathered = column.gather(Array(0..<n))
        #expect(prefix.count == n)
        #expect(
          (0..<n).allSatisfy { prefix.value(at: $0) == gathered.value(at: $0) },
          "\(column.type) \(n)")
        if let words = prefix.validity.words, n % 64 != 0 {
          #expect(words[words.count - 1] >> UInt64(n % 64) == 0, "\(column.type) \(n)")
        }
        #expect(prefix.validity.hasNulls == (0..<n).contains { !column.validity.isValid($0) })
      }
    }
  }

  @Test func validityCountsNulls() {
    #expect(Validity([true, false, true, false]).nullCount(4) == 2)
    #expect(Validity.allValid.nullCount(10) == 0)
  }

  /// A bitmap built from a predicate a word at a time is the bitmap of the same flags: row
  /// counts on and off word edges, no nulls (no bitmap), nulls only in the last word.
  @Test(arguments: [0, 1, 63, 64, 65, 130])
  func validityFromAPredicateMatchesTheFlags(count: Int) {
    for nullAt in [-1, 0, count - 1, count / 2] {
      let flags = (0..<count).map { $0 != nullAt }
      let built = Validity(count: count) { $0 != nullAt }
      #expect(built == Validity(flags), "\(count) rows, null at \(nullAt)")
      #expect(built.hasNulls == flags.contains(false))
    }
  }

  /// The builder counts rows until the first null, then makes the bitmap: the result must be
  /// the bitmap of the flags wherever the first null falls.
  @Test(arguments: [0, 1, 63, 64, 65, 127, 128, 200])
  func validityBuilderMatchesTheFlags(firstNull: Int) {
    let flags = (0..<300).map { $0 != firstNull && ($0 < firstNull || $0 % 7 != 3) }
    var b = ValidityBuilder(capacity: 10)
    for f in flags { b.append(f) }
    let built = b.build()
    #expect(built == Validity(flags))
    #expect((0..<300).allSatisfy { built.isValid($0) == flags[$0] })
    var all = ValidityBuilder()
    for _ in 0..<70 { all.append(true) }
    #expect(!all.build().hasNulls && all.count == 70)
  }
}

/// A small deterministic generator for tests.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Sort keys (one or several) packed into one word or several and radix-sorted give exactly
/// the order of the key-by-key comparison: random int, float, text, date and bool columns
/// with nulls, directions and null placements, over all rows and over a subset.
struct PackedSortTests {
  @Test func packedAndComparedOrdersAgree() {
    var rng = SplitMix(seed: 99)
    for round in 0..<200 {
      // Every tenth round is past the size where one key is radix-sorted too, and every
      // other of those has two to five keys (floats and wide ints need several words).
      let n = round % 10 == 0 ? Int(rng.next() % 6000) + 4096 : Int(rng.next() % 3000) + 1
      let width =
        round % 10 == 0 ? (round % 20 == 0 ? 1 : Int(rng.next() % 4) + 2) : Int(rng.next() % 4) + 1
      var keys: [SortKey] = []
      for _ in 0..<width {
        let spread = [2, 10, 1000, 1 << 20][Int(rng.next() % 4)]
        let nulls = rng.next() % 3 == 0
        var values: [Value] = []
        let type = [DataType.int, .float, .text, .date, .bool][Int(rng.next() % 5)]
        for _ in 0..<n {
          if nulls && rng.next() % 7 == 0 {
            values.append(.null)
            continue
          }
          let v = Int(rng.next() % UInt64(spread)) - spread / 2
          switch type {
          case .int: values.append(.int(v))
          case .float: values.append(.float(Double(v) / 4))
          case .text: values.append(.text("k\(v)"))
          case .date: values.append(.date(v))
          case .bool: values.append(.bool(v % 2 == 0))
          }
        }
        keys.append(
          SortKey(
            .from(values, type: type), descending: rng.next() % 2 == 0,
            nullsFirst: rng.next() % 2 == 0))
      }
      let rows = round % 2 == 0 ? Array(0..<n) : (0..<n).filter { _ in rng.next() % 3 != 0 }
      #expect(
        Sorting.permutation(keys, rows: rows, packing: true)
          == Sorting.permutation(keys, rows: rows, packing: false), "round \(round)")
    }
  }
}

/// Past `Tuning.splitRows` keys, each radix pass is split between the cores: the order
/// must still be the stable one (equal keys in input order), and the keys in that order.
struct SplitRadixSortTests {
  /// (From `PackedSort.bucketedFrom` keys of more than 16 bits, by the top byte first and
  /// then bucket by bucket: on one core below `Tuning.splitRows`, on every core above.)
  @Test(arguments: [
    (7, 40, Tuning.splitRows + 4099), (11, 64, Tuning.splitRows + 4099),
    (13, 3, Tuning.splitRows + 4099), (17, 50, PackedSort.bucketedFrom + 1),
  ])
  func splitPassesKeepTheStableOrder(seed: UInt64, bits: Int, n: Int) {
    var rng = SplitMix(seed: seed)
    // Ties are many, and the second byte digit (bits 8-15) is zero in every key: a digit
    // every key shares, which the passes skip.
    let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
    let keys = (0..<n).map { _ in (rng.next() & mask) & ~UInt64(0xFF00) }
    let (order, sorted) = PackedSort.radixSort(keys, bits: bits)
    let expected = (0..<n).sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
    // (Compared first, so that a failure does not print a million values.)
    let sameOrder = order == expected
    let sameKeys = sorted == expected.map { keys[$0] }
    #expect(sameOrder)
    #expect(sameKeys)
  }
}

/// Groups reduced on every core (past `Tuning.splitRows` values) give each group the
/// answer of reducing it alone, in group order, with empty groups and a few huge ones.
struct GroupReduceTests {
  @Test func splitReductionMatchesOneGroupAtATime() {
    var rng = SplitMix(seed: 3)
    let n = Tuning.splitRows + 777
    let groups = 5000
    // Skewed: half the rows in group 0, the rest spread, some groups empty.
    let ids = (0..<n).map { r in r % 2 == 0 ? 0 : Int(rng.next() % UInt64(groups / 2)) * 2 }
    let values = (0..<n).map { _ in Double(rng.next() % 1_000_000) / 7 }
    var offsets = [Int](repeating: 0, count: groups + 1)
    for g in ids { offsets[g + 1] += 1 }
    for g in 0..<groups { offsets[g + 1] += offsets[g] }
    let known = Validity.allValid
    let (placed, ends) = GroupScatter.scatter(values, known: known, ids: ids, offsets: offsets)
    let f: @Sendable (ArraySlice<Double>) -> Double? = { xs in
      xs.isEmpty ? nil : xs.reduce(0) { $0 * 0.5 + $1 }
    }
    let split = GroupScatter.reduce(placed, offsets: offsets, ends: ends, f)
    let alone = (0..<groups).map { f(placed[offsets[$0]..<ends[$0]]) }
    #expect(split.count == groups)
    #expect(split.map { $0?.bitPattern } == alone.map { $0?.bitPattern })
  }
}

/// Several columns gathered together, a block of indices at a time on every core, give
/// each column's own gather: every type, with nulls, negative indices and an empty source.
struct ColumnsGatherTests {
  @Test func gatheringTogetherMatchesEachColumnAlone() throws {
    var rng = SplitMix(seed: 17)
    let n = 70_001
    func maybe(_ v: Value) -> Value { rng.next() % 11 == 0 ? .null : v }
    let columns: [Column] = [
      .from((0..<n).map { _ in maybe(.int(Int(rng.next() % 1000) - 500)) }, type: .int),
      .from((0..<n).map { _ in .float(Double(rng.next() % 1000) / 3) }, type: .float),
      .from((0..<n).map { _ in maybe(.text("t\(rng.next() % 50)")) }, type: .text),
      .from((0..<n).map { _ in maybe(.bool(rng.next() % 2 == 0)) }, type: .bool),
      .from((0..<n).map { _ in .date(Int(rng.next() % 20000)) }, type: .date),
    ]
    for negatives in [false, true] {
      let m = 90_000
      let indices = (0..<m).map { _ in
        negatives && rng.next() % 7 == 0 ? -1 : Int(rng.next() % UInt64(n))
      }
      let together = try Column.gather(columns, at: indices)
      for (c, g) in zip(columns, together) {
        #expect(g == c.gather(indices))
        #expect(g.validity.hasNulls == c.gather(indices).validity.hasNulls)
      }
    }
    let empty = Column.int(TypedColumn([Int]()))
    let none = try Column.gather([empty, empty], at: [Int](repeating: -1, count: 70_000))
    #expect(none.allSatisfy { $0.validity.nullCount(70_000) == 70_000 })
  }
}

/// Keys whose combinations are too many for an array are packed into one word and numbered
/// by a hash table (`IdTable`), growing as it fills: the ids must be those of numbering
/// each distinct tuple by its first row.
struct WideGroupingTests {
  @Test func packedKeysNumberTuplesByFirstAppearance() throws {
    var rng = SplitMix(seed: 5)
    for round in 0..<6 {
      let n = 20_000 + round * 7_000
      var columns: [Column] = []
      for c in 0..<(round % 3 + 2) {
        let spread = UInt64([5_000, 3, 40_000][c % 3])
        var values: [Value] = []
        for _ in 0..<n {
          let v = Int(rng.next() % spread)
          values.append(
            rng.next() % 13 == 0 ? .null : c == 1 ? .text("t\(v)") : .int(v * 1_000_003))
        }
        columns.append(.from(values, type: c == 1 ? .text : .int))
      }
      let g = try Grouping(keys: columns, rowCount: n, cancellation: nil)
      var seen: [String: Int] = [:]
      var expected: [Int] = []
      for r in 0..<n {
        let key = columns.map { "\($0.value(at: r))" }.joined(separator: "|")
        if seen[key] == nil { seen[key] = seen.count }
        expected.append(seen[key] ?? -1)
      }
      #expect(g.ids == expected, "round \(round)")
      #expect(g.count == seen.count && g.firstRows.count == seen.count)
    }
  }
}

extension SplitMix: RandomNumberGenerator {}
