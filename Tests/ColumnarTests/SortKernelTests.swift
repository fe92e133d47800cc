import TestSupport
import Testing

@testable import Columnar

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

/// Rows of several words each, from `PackedSort.bucketedFrom` rows on, are spread by the
/// lead word's top byte and each bucket sorted by the remaining digits: the order must be
/// the stable order by the words in turn (equal rows in input order), with the words in
/// that order, whether the lead word has fewer than 8 bits or all 64, on one core or on
/// every core, with digits every row shares (skipped) and many ties.
struct WordsRadixSortTests {
  static let cases: [(UInt64, [Int], Int)] = [
    (21, [5, 30], PackedSort.bucketedFrom + 1), (22, [64, 3], PackedSort.bucketedFrom + 7),
    (23, [20, 64, 9], PackedSort.bucketedFrom + 11), (24, [40, 24], Tuning.splitRows + 4099),
  ]

  @Test(arguments: cases)
  func bucketedWordsKeepTheStableOrder(seed: UInt64, bits: [Int], n: Int) {
    var rng = SplitMix(seed: seed)
    let words = bits.enumerated().map { w, b in
      let mask: UInt64 = b == 64 ? .max : (1 << UInt64(b)) - 1
      // The last word's second byte is zero in every row (a shared digit); the lead word
      // takes few values, so that rows tie on it and the later words decide.
      let top = UInt64(max(0, b - 3))
      return (0..<n).map { _ -> UInt64 in
        let v: UInt64 = rng.next() & mask
        // (The lead word: 35 values, in its top byte and its lowest bits.)
        if w == 0 { return ((v % 7) << top | (rng.next() % 5)) & mask }
        return w == bits.count - 1 ? v & ~UInt64(0xFF00) : v
      }
    }
    let (order, sorted) = PackedSort.radixSort(words, bits: bits)
    let expected = (0..<n).sorted { a, b in
      for w in words where w[a] != w[b] { return w[a] < w[b] }
      return a < b
    }
    let sameOrder = order == expected
    let sameWords = sorted == words.map { w in expected.map { w[$0] } }
    #expect(sameOrder)
    #expect(sameWords)
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

/// `Parallel.claim` hands every piece out once, whichever lane takes it, however many lanes
/// ask (more lanes than pieces too).
struct ClaimTests {
  final class Taken: @unchecked Sendable {
    let lock = NSLockLike()
    var pieces: [Int] = []
  }

  @Test(arguments: [(10_000, 2), (3, 4), (0, 2), (256, 1)])
  func everyPieceOnce(count: Int, lanes: Int) {
    let taken = Taken()
    Parallel.claim(count, lanes: lanes) { next in
      var mine: [Int] = []
      while let piece = next() { mine.append(piece) }
      taken.lock.locked { taken.pieces += mine }
    }
    #expect(taken.pieces.sorted() == Array(0..<count))
  }
}
