import TestSupport
import Testing

@testable import Columnar

struct ChunkedFeedTests {
  /// The tasks of a chunk fed on every core are taken longest first, as measured on the
  /// chunks before (ties in task order): a long task started last leaves the other cores
  /// idle while it runs.
  @Test func tasksAreTakenLongestFirst() {
    let costs = TaskCosts(4)
    #expect(costs.longestFirst() == [0, 1, 2, 3])
    costs.add(2, 900)
    costs.add(0, 300)
    costs.add(3, 300)
    #expect(costs.longestFirst() == [2, 0, 3, 1])
    costs.add(1, 500)
    costs.add(1, 500)
    #expect(costs.longestFirst() == [1, 2, 0, 3])
  }

  /// Whatever order the threads take the accumulators in, each sees its rows in order: a
  /// float sum keeps the bits of the same sum fed on one thread.
  @Test func sharedFeedKeepsEachAccumulatorsBits() throws {
    var state: UInt64 = 42
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 11
    }
    let n = 300_000
    let values = (0..<n).map { _ in Double(next() % 1_000_000) / 7.0 - 50_000 }
    let ints = (0..<n).map { _ in Int(next() % 1000) }
    let ids = (0..<n).map { _ in Int(next() % 3) }
    func accumulators() -> [GroupAccumulator] {
      [
        FloatSumAccumulator(values: values, .allValid, mean: false),
        IntMeanAccumulator(values: ints, .allValid),
        FloatSumAccumulator(values: values, .allValid, mean: true),
      ]
    }
    let parallel = accumulators()
    let shared = SharedAccumulators(parallel, chunk: 4096, spread: 1 << 12, groups: 3)
    #expect(shared.parallel)
    for start in stride(from: 0, to: n, by: 1 << 12) {
      let m = min(1 << 12, n - start)
      shared.add(Array(ids[start..<start + m]), count: m, groups: 3, start: start, selected: nil)
    }
    let serial = accumulators()
    for a in serial { a.add(ids, count: n, groups: 3, start: 0) }
    for (p, s) in zip(parallel, serial) {
      let (a, b) = (try p.finish(groups: 3), try s.finish(groups: 3))
      guard case .float(let x) = a, case .float(let y) = b else {
        Issue.record("not floats")
        continue
      }
      #expect(x.values.map(\.bitPattern) == y.values.map(\.bitPattern))
    }
  }

  /// Over many groups, the accumulators whose states fit a shared table are fed together,
  /// a block of rows at a time; each gives the results of the same accumulator fed alone,
  /// to the bit: sums (with nulls), means, counts, min and max (NaN among the floats),
  /// text max, beside an accumulator that keeps tables of its own. Rows selected by a
  /// filter, and chunks that are not whole blocks, included.
  @Test func accumulatorsSharingATableGiveTheirResultsAlone() throws {
    var random = SplitMix(seed: 7)
    let n = 120_000
    let groups = Tuning.fusedSlotsFrom + 4321
    let ints = (0..<n).map { _ in Int(random.next() % 2001) - 1000 }
    let intValid = Validity(count: n) { _ in random.next() % 11 != 0 }
    let floats = (0..<n).map { i in i % 97 == 0 ? .nan : Double(random.next() % 1_000_000) / 7 }
    let floatValid = Validity(count: n) { _ in random.next() % 13 != 0 }
    let words = ["kab", "kota", "prov", "desa", "x"]
    let text = TextColumn(
      codes: (0..<n).map { _ in UInt32(random.next() % 5) }, dictionary: words,
      validity: Validity(count: n) { _ in random.next() % 7 != 0 })
    let ids = (0..<n).map { _ in Int(random.next() % UInt64(groups)) }
    let selected = (0..<n).filter { $0 % 3 != 1 }
    func accumulators() -> [GroupAccumulator] {
      [
        IntSumAccumulator(values: ints, intValid),
        FloatSumAccumulator(values: floats, floatValid, mean: true),
        IntMeanAccumulator(values: ints, intValid),
        CountAccumulator(floatValid),
        ExtremeAccumulator(.float(TypedColumn(floats, validity: floatValid)), larger: false),
        ExtremeAccumulator(.int(TypedColumn(ints, validity: intValid)), larger: true),
        TextExtremeAccumulator(text, larger: true),
        FloatSumAccumulator(values: floats, floatValid, mean: false),
      ]
    }
    for rows in [nil, selected] {
      let count = rows?.count ?? n
      let chunkIds = rows.map { $0.map { ids[$0] } } ?? ids
      let together = accumulators()
      let shared = SharedAccumulators(together, chunk: 3000, spread: 3000, groups: groups)
      #expect(shared.tasks.count == 2 && shared.tasks[0] is FusedAccumulators)
      for start in stride(from: 0, to: count, by: 3000) {
        let m = min(3000, count - start)
        shared.add(
          Array(chunkIds[start..<start + m]), count: m, groups: groups, start: start,
          selected: rows)
      }
      let alone = accumulators()
      for a in alone {
        if let rows {
          a.add(chunkIds, count: count, groups: groups, selected: rows, from: 0)
        } else {
          a.add(chunkIds, count: count, groups: groups, start: 0)
        }
      }
      let order = Array(stride(from: 5, to: groups, by: 7))
      for (t, a) in zip(together, alone) {
        #expect(bits(try t.finish(groups: groups)) == bits(try a.finish(groups: groups)))
        #expect(
          bits(try t.finish(groups: groups, order: order))
            == bits(try a.finish(groups: groups, order: order)))
      }
    }
  }

  /// A table grown keeps what it held, and its new rows are zero.
  @Test func slotTableKeepsItsRowsAsItGrows() {
    let table = SlotTable(stride: 20)
    #expect(table.stride == 24)
    for (size, more) in [(10, 100_000), (70_000, 200_000)] {
      let small = SlotPlace(table: table, offset: 8, bytes: 8).view(Int.self, groups: size)
      for g in 0...size { small[g] = g * 3 + 1 }
      let large = SlotPlace(table: table, offset: 8, bytes: 8).view(Int.self, groups: more)
      #expect((0...size).allSatisfy { large[$0] == $0 * 3 + 1 })
      #expect((size + 1...more).allSatisfy { large[$0] == 0 })
      let other = table.view(Int.self, at: 0)
      #expect((0...more).allSatisfy { other[$0] == 0 })
      for g in 0...more { large[g] = 0 }
    }
  }

  /// One group (no keys) folds in registers; each kind must give the bits of the same
  /// accumulator fed the same rows through its slots (two groups, every row in the first):
  /// chunk after chunk, a first chunk of nulls only, rows selected by a filter, sums whose
  /// compensation matters, NaN, text and an int sum that overflows.
  @Test func oneGroupFoldsAsItsSlotDoes() throws {
    var random = SplitMix(seed: 11)
    func next(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
    let n = 50_000
    // The first 700 rows null, then a tenth of the rest.
    let valid = Validity(count: n) { r in r >= 700 && next(10) != 0 }
    let floats = Column.float(
      TypedColumn(
        (0..<n).map { i in
          i == 30_001 ? .nan : Double(next(1_000_000)) / 7 * (next(5) == 0 ? 1e15 : 1)
        }, validity: valid))
    let ints = Column.int(TypedColumn((0..<n).map { _ in next(2001) - 1000 }, validity: valid))
    let text = Column.text(
      TextColumn(
        codes: (0..<n).map { _ in UInt32(next(4)) }, dictionary: ["kab", "kota", "prov", "x"],
        validity: valid))
    let kinds: [(StreamedAggregate, Column?)] = [
      (.count, nil), (.count, ints), (.sum, floats), (.avg, floats), (.sum, ints),
      (.avg, ints), (.min, floats), (.max, floats), (.min, ints), (.max, ints),
      (.min, text), (.max, text), (.first, floats), (.last, text),
    ]
    let selected = (0..<n).filter { _ in next(3) != 0 }
    for (kind, column) in kinds {
      for rows in [nil, selected] {
        let (one, two) = try (
          #require(Accumulators.make(kind, column)), #require(Accumulators.make(kind, column))
        )
        let count = rows?.count ?? n
        for start in stride(from: 0, to: count, by: 4096) {
          let m = min(4096, count - start)
          let ids = [Int](repeating: 0, count: m)
          if let rows {
            one.add(ids, count: m, groups: 1, selected: rows, from: start)
            two.add(ids, count: m, groups: 2, selected: rows, from: start)
          } else {
            one.add(ids, count: m, groups: 1, start: start)
            two.add(ids, count: m, groups: 2, start: start)
          }
        }
        let expected = try two.finish(groups: 2)
        #expect(bits(try one.finish(groups: 1)) == [bits(expected)[0]], "\(kind)")
      }
    }
    let big = Column.int(TypedColumn([Int.max - 5, 3, 9, -20]))
    let sum = try #require(Accumulators.make(.sum, big))
    sum.add([0, 0, 0, 0], count: 4, groups: 1, start: 0)
    #expect(throws: EngineError.overflow(operation: "sum")) { try sum.finish(groups: 1) }
  }
}
