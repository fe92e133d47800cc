import TestSupport
import Testing

@testable import Columnar

/// The streamed aggregates of groups found by sorting fold a block of groups at a time,
/// each core resetting its accumulator between blocks, and write each block's results to
/// their place in the column (`SortedFold`, `Column.assembled`). Every kind must give the
/// results of the same accumulator fed every row by its group, to the bit: sums whose
/// compensation matters, means of ints that outgrow exact sums part-way, NaN among the
/// floats, text, nulls, first and last, a paired statistic; over one core's blocks and
/// over both cores' (a million rows and more); and an overflow is the same error.
struct SortedFoldTests {
  @Test(arguments: [130_000, Tuning.splitRows + 70_000])
  func blocksOfSortedGroupsGiveTheFoldOfEachRowByItsGroup(n: Int) throws {
    var random = SplitMix(seed: UInt64(n))
    func next(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
    let key = Column.int(TypedColumn((0..<n).map { _ in next(n / 2) }))
    let sorted = try #require(
      try Grouping.byKeyOrder(
        keys: [key], rowCount: n, sample: 1 << 16, distinctShare: 0.25,
        needs: (ids: true, firstRows: false, keys: false), cancellation: nil))
    let groups = sorted.grouping.count
    #expect(groups > 3 * Tuning.sortedFoldGroups)
    func valid() -> Validity { Validity(count: n) { _ in next(9) != 0 } }
    // Large and small magnitudes side by side, so that the compensated sum's carry counts.
    let floats = Column.float(
      TypedColumn(
        (0..<n).map { i in
          i % 101 == 0 ? .nan : Double(next(1_000_000)) / 7 * (next(5) == 0 ? 1e15 : 1)
        }, validity: valid()))
    let ints = Column.int(TypedColumn((0..<n).map { _ in next(2001) - 1000 }, validity: valid()))
    // Mostly small, with a few beyond what an int mean sums exactly over n rows.
    let wide = Column.int(
      TypedColumn((0..<n).map { _ in next(997) == 0 ? 1 << 50 : next(100) }, validity: valid()))
    let words = ["kab", "kota", "prov", "desa", "x"]
    let text = Column.text(
      TextColumn(
        codes: (0..<n).map { _ in UInt32(next(5)) }, dictionary: words, validity: valid()))
    let cases: [(StreamedAggregate, Column?, Column?)] = [
      (.count, nil, nil), (.count, floats, nil), (.sum, floats, nil), (.avg, floats, nil),
      (.sum, ints, nil), (.avg, ints, nil), (.avg, wide, nil), (.min, floats, nil),
      (.max, floats, nil), (.max, ints, nil), (.min, text, nil), (.max, text, nil),
      (.first, text, nil), (.last, floats, nil), (.paired(.corr), floats, ints),
    ]
    for (kind, column, second) in cases {
      let folded = try #require(
        try SortedFold.compute(
          kind, column, second: second, offsets: sorted.offsets, rows: sorted.rows))
      let byRow = try #require(Accumulators.make(kind, column, second: second))
      byRow.add(sorted.grouping.ids, count: n, groups: groups, start: 0)
      let expected = try byRow.finish(groups: groups)
      #expect(folded.type == expected.type && folded.count == groups, "\(kind)")
      // (Counted, so that a failure does not print every group.)
      let wrong = zip(bits(folded), bits(expected)).filter { $0 != $1 }.count
      #expect(wrong == 0, "\(kind)")
    }
    // A sum past the int range, in a group of a late block: the same error.
    var big = (0..<n).map { _ in next(100) }
    let late = sorted.rows[sorted.offsets[groups - 3]]
    big[late] = Int.max - 10
    let last = sorted.rows[sorted.offsets[groups - 3] + 1]
    if sorted.offsets[groups - 2] - sorted.offsets[groups - 3] < 2 { big[late] = Int.max }
    big[last] = Int.max - 10
    #expect(throws: EngineError.overflow(operation: "sum")) {
      try SortedFold.compute(
        .sum, .int(TypedColumn(big)), second: nil, offsets: sorted.offsets, rows: sorted.rows)
    }
  }

  /// Pieces written in any order, from any thread, each at its place: the column of them
  /// all, nulls where a piece had them; nil when a piece is of another type or dictionary,
  /// not at a multiple of 64 rows, past the end, or when rows are left unwritten.
  @Test func piecesAssembleIntoOneColumn() {
    let n = 1000
    let values = (0..<n).map { $0 * 3 }
    @Sendable func piece(_ range: Range<Int>) -> Column {
      .int(
        TypedColumn(
          Array(values[range]),
          validity: Validity(count: range.count) { i in
            (range.lowerBound + i) % 7 != 0
          }))
    }
    let starts = Array(stride(from: 0, to: n, by: 128).reversed())
    let whole = Column.assembled(like: .int(TypedColumn([Int]())), count: n) { write in
      Parallel.each(starts.count) { p in
        let at = starts[p]
        write(piece(at..<min(n, at + 128)), at)
      }
    }
    guard case .int(let c) = whole else {
      Issue.record("not an int column")
      return
    }
    #expect((0..<n).allSatisfy { c.validity.isValid($0) == ($0 % 7 != 0) })
    #expect((0..<n).allSatisfy { $0 % 7 == 0 || c.values[$0] == values[$0] })
    let text = Column.text(TextColumn(["a", "b"]))
    let misfits: [(Column, Int, Int)] = [
      (text, 0, 2), (piece(0..<10), 10, 20), (piece(0..<10), 64, 70), (piece(0..<10), 0, 20),
    ]
    for (misfit, at, count) in misfits {
      let none = Column.assembled(like: .int(TypedColumn([Int]())), count: count) { write in
        write(misfit, at)
      }
      #expect(none == nil, "\(at), \(count)")
    }
    let otherDictionary = Column.assembled(like: .text(TextColumn(["c"])), count: 2) { write in
      write(text, 0)
    }
    #expect(otherDictionary == nil)
  }
}
