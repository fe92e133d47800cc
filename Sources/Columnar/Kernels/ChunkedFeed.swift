import Dispatch

/// The streaming group operators' loops: rows a chunk at a time, each chunk's groups found
/// first (while the chunk's keys are in cache), then every accumulator fed the chunk.
extension SlotGrouping {
  /// Feeds `count` rows (the rows `selected`, or `0..<count`) to the accumulators, every
  /// `chunk` rows numbered by the slots first; checks `cancellation` every `checkEvery`
  /// chunks. With `spread` (a larger chunk), two or more accumulators take each chunk on
  /// every core, one accumulator per thread: each still sees its rows in order, so the
  /// results have the same bits.
  public mutating func feed(
    rows count: Int, selected: [Int]?, to accumulators: [GroupAccumulator], chunk: Int,
    spread: Int? = nil, checkEvery: Int, cancellation: Cancellation?
  ) throws(EngineError) {
    let shared = SharedAccumulators(accumulators, chunk: chunk, spread: spread)
    var ids = [Int](repeating: 0, count: shared.chunk)
    try shared.chunks(count, checkEvery: checkEvery, cancellation: cancellation) { start, m in
      ids.withUnsafeMutableBufferPointer { buffer in
        let part = UnsafeMutableBufferPointer(rebasing: buffer[0..<m])
        if let selected {
          selected.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            self.ids(SelectedRows(base + start), into: part)
          }
        } else {
          self.ids(ContiguousRows(start: start), into: part)
        }
      }
      shared.add(ids, count: m, groups: self.count, start: start, selected: selected)
    }
  }
}

/// Accumulators fed a chunk at a time; with `parallel`, on every core, each accumulator
/// by one thread.
struct SharedAccumulators: @unchecked Sendable {
  let all: [GroupAccumulator]
  let parallel: Bool
  /// Rows per chunk: `spread`'s when the accumulators are fed in parallel.
  let chunk: Int

  init(_ all: [GroupAccumulator], chunk: Int, spread: Int?) {
    self.all = all
    parallel = all.count > 1 && spread != nil
    self.chunk = max(1, parallel ? spread ?? chunk : chunk)
  }

  /// `body(start, count)` for each chunk of the rows `0..<rows`, in order, looking at
  /// `cancellation` every `checkEvery` chunks.
  func chunks(
    _ rows: Int, checkEvery: Int, cancellation: Cancellation?, _ body: (Int, Int) -> Void
  ) throws(EngineError) {
    var start = 0
    while start < rows {
      if start % (max(1, checkEvery) * chunk) == 0, cancellation?.isCancelled == true {
        throw .cancelled
      }
      let m = min(chunk, rows - start)
      body(start, m)
      start += m
    }
  }

  /// Adds a chunk: rows `start..<start + count`, or `selected[start..<start + count]`.
  func add(_ ids: [Int], count: Int, groups: Int, start: Int, selected: [Int]?) {
    let add: @Sendable (Int) -> Void = { i in
      if let selected {
        all[i].add(ids, count: count, groups: groups, selected: selected, from: start)
      } else {
        all[i].add(ids, count: count, groups: groups, start: start)
      }
    }
    if parallel {
      DispatchQueue.concurrentPerform(iterations: all.count, execute: add)
    } else {
      for i in all.indices { add(i) }
    }
  }
}

extension HashJoin.LeftBuckets {
  /// Feeds the left rows `0..<count` to the accumulators, a row's group read through its
  /// bucket from `groupOf` (an entry per bucket and one more, the group of the rows with no
  /// bucket; each entry below `groups`). With `firstRows`, returns the first row each group
  /// received (-1 for none), else an empty array.
  public func feed(
    rows count: Int, groupOf: [Int], groups: Int, to accumulators: [GroupAccumulator],
    firstRows: Bool, chunk: Int, spread: Int? = nil, checkEvery: Int,
    cancellation: Cancellation?
  ) throws(EngineError) -> [Int] {
    let shared = SharedAccumulators(accumulators, chunk: chunk, spread: spread)
    var ids = [Int](repeating: 0, count: shared.chunk)
    var first = [Int](repeating: -1, count: firstRows ? groups : 0)
    try shared.chunks(count, checkEvery: checkEvery, cancellation: cancellation) { start, m in
      ids.withUnsafeMutableBufferPointer { buffer in
        let part = UnsafeMutableBufferPointer(rebasing: buffer[0..<m])
        groupOf.withUnsafeBufferPointer { read(start: start, into: part, through: $0) }
      }
      if firstRows {
        for i in 0..<m where first[ids[i]] < 0 { first[ids[i]] = start + i }
      }
      shared.add(ids, count: m, groups: groups, start: start, selected: nil)
    }
    return first
  }

  /// The bucket of one left row (-1 for none).
  public func bucket(of row: Int) -> Int {
    var one = [0]
    one.withUnsafeMutableBufferPointer { read(start: row, into: $0) }
    return one[0]
  }
}
