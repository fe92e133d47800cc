import TestSupport
import Testing

@testable import Columnar

extension KernelTests {
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
          keys: keys, rowCount: n, sample: 1 << 16, distinctShare: 0.25,
          needs: (ids: true, firstRows: true, keys: true), cancellation: nil)
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
      for (key, read) in zip(keys, sorted.keys) {
        guard let read else {
          #expect(key.type == .float)
          continue
        }
        let gathered = key.gather(sorted.grouping.firstRows)
        #expect(read.type == key.type && read.count == gathered.count)
        #expect((0..<read.count).allSatisfy { read.value(at: $0) == gathered.value(at: $0) })
      }
      // Asked for nothing more, the same groups and member lists, and nothing else made.
      let bare = try Grouping.byKeyOrder(
        keys: keys, rowCount: n, sample: 1 << 16, distinctShare: 0.25,
        needs: (ids: false, firstRows: false, keys: false), cancellation: nil)
      #expect(bare?.offsets == sorted.offsets && bare?.rows == sorted.rows)
      #expect(bare?.grouping.count == sorted.grouping.count)
      #expect(
        bare?.grouping.ids == [] && bare?.grouping.firstRows == [] && bare?.keys.isEmpty == true)
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
}
