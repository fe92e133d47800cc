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
    let shared = SharedAccumulators(parallel, chunk: 4096, spread: 1 << 12)
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
}
