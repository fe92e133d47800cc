import Dispatch

/// The streaming group operators' loops: rows a chunk at a time, each chunk's groups found
/// first (while the chunk's keys are in cache), then every accumulator fed the chunk.
extension SlotGrouping {
  /// Feeds `count` rows (the rows `selected`, or `0..<count`) to the accumulators, every
  /// `chunk` rows numbered by the slots first; checks `cancellation` every `checkEvery`
  /// chunks. With `spread` (a larger chunk), two or more accumulators take each chunk on
  /// every core, one accumulator per thread, while one more thread numbers the next chunk:
  /// each accumulator still sees its rows in order, so the results have the same bits.
  mutating func feed(
    rows count: Int, selected: [Int]?, to accumulators: [GroupAccumulator], chunk: Int,
    spread: Int? = nil, checkEvery: Int, cancellation: Cancellation?
  ) throws(EngineError) {
    let shared = SharedAccumulators(accumulators, chunk: chunk, spread: spread, groups: self.count)
    let size = shared.chunk
    // Two id buffers: the accumulators read one chunk's while the next chunk's are found.
    var now = [Int](repeating: 0, count: size)
    var later = [Int](repeating: 0, count: shared.parallel ? size : 0)
    try withUnsafeMutablePointer(to: &self) { slots throws(EngineError) in
      let numbering = SharedSlots(slots: slots, selected: selected)
      func number(_ start: Int, into ids: inout [Int]) {
        ids.withUnsafeMutableBufferPointer {
          numbering.ids(
            start, into: UnsafeMutableBufferPointer(rebasing: $0[0..<min(size, count - start)]))
        }
      }
      if shared.parallel && count > 0 { number(0, into: &now) }
      try shared.chunks(count, checkEvery: checkEvery, cancellation: cancellation) { start, m in
        guard shared.parallel else {
          number(start, into: &now)
          shared.add(now, count: m, groups: slots.pointee.count, start: start, selected: selected)
          return
        }
        let (next, groups) = (start + m, slots.pointee.count)
        now.withUnsafeBufferPointer { n in
          later.withUnsafeMutableBufferPointer { l in
            let (n, l) = (SharedBuffer(mutating: n), SharedBuffer(l))
            shared.add(n, count: m, groups: groups, start: start, selected: selected) {
              guard next < count else { return }
              numbering.ids(
                next,
                into: UnsafeMutableBufferPointer(rebasing: l.buffer[0..<min(size, count - next)]))
            }
          }
        }
        swap(&now, &later)
      }
    }
  }
}

/// The slot table shared with the thread that numbers the next chunk (one thread at a time:
/// the rounds of `SharedAccumulators.add` keep them apart).
private struct SharedSlots: @unchecked Sendable {
  let slots: UnsafeMutablePointer<SlotGrouping>
  let selected: [Int]?

  /// The ids of the rows `start..<start + ids.count` (or the selected rows at those places).
  func ids(_ start: Int, into ids: UnsafeMutableBufferPointer<Int>) {
    if let selected {
      selected.withUnsafeBufferPointer { all in
        guard let base = all.baseAddress else { return }
        slots.pointee.ids(SelectedRows(base + start), into: ids)
      }
    } else {
      slots.pointee.ids(ContiguousRows(start: start), into: ids)
    }
  }
}

/// Accumulators fed a chunk at a time; with `parallel`, on every core, each accumulator
/// by one thread, and one more thread for the work beside them (numbering the next chunk).
/// The threads take the tasks longest first, as measured on the chunks before: with more
/// tasks than cores, a long one started last would leave the other cores idle.
struct SharedAccumulators: @unchecked Sendable {
  /// The accumulators as they are fed: one by one, or (over `groups` of at least
  /// `Tuning.fusedSlotsFrom`) those whose states can share a table, together.
  let tasks: [any ChunkFeeding]
  let parallel: Bool
  /// Rows per chunk: `spread`'s when the accumulators are fed in parallel.
  let chunk: Int
  /// Each task's time so far (the accumulators, then the work beside them).
  let costs: TaskCosts

  init(_ all: [GroupAccumulator], chunk: Int, spread: Int?, groups: Int) {
    let slotted = all.compactMap { $0 as? any SlotAccumulator }
    if groups >= Tuning.fusedSlotsFrom && slotted.count >= 2 {
      tasks =
        [FusedAccumulators(slotted)]
        + all.filter { !($0 is any SlotAccumulator) }.map(Self.feeding)
    } else {
      tasks = all.map(Self.feeding)
    }
    parallel = !all.isEmpty && spread != nil
    self.chunk = max(1, parallel ? spread ?? chunk : chunk)
    costs = TaskCosts(tasks.count + 1)
  }

  /// An accumulator fed in place, or through arrays of its chunk's ids.
  private static func feeding(_ a: GroupAccumulator) -> any ChunkFeeding {
    a as? any ChunkAccumulator ?? WholeChunks(a)
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
    ids.withUnsafeBufferPointer {
      add(
        SharedBuffer(mutating: $0), count: count, groups: groups, start: start, selected: selected)
    }
  }

  /// The same from a buffer of ids; with `parallel`, `alongside` runs on a thread of its
  /// own while the accumulators add the chunk (else after them).
  func add(
    _ ids: SharedBuffer<Int>, count: Int, groups: Int, start: Int, selected: [Int]?,
    alongside: @Sendable () -> Void = {}
  ) {
    @Sendable func add(_ i: Int) {
      guard i < tasks.count else { return alongside() }
      let chunk = UnsafeBufferPointer(rebasing: ids.buffer[0..<count])
      tasks[i].add(chunk: chunk, groups: groups, start: start, selected: selected)
    }
    if parallel {
      let order = costs.longestFirst()
      DispatchQueue.concurrentPerform(iterations: order.count) { k in
        let start = DispatchTime.now().uptimeNanoseconds
        add(order[k])
        costs.add(order[k], DispatchTime.now().uptimeNanoseconds &- start)
      }
    } else {
      for i in tasks.indices { add(i) }
      alongside()
    }
  }
}

/// An accumulator that takes its ids as an array, fed a chunk.
private final class WholeChunks: ChunkFeeding {
  let accumulator: GroupAccumulator
  init(_ accumulator: GroupAccumulator) { self.accumulator = accumulator }

  func add(chunk ids: UnsafeBufferPointer<Int>, groups: Int, start: Int, selected: [Int]?) {
    if let selected {
      accumulator.add(
        Array(ids), count: ids.count, groups: groups, selected: selected, from: start)
    } else {
      accumulator.add(Array(ids), count: ids.count, groups: groups, start: start)
    }
  }
}

/// The time each of a set of tasks has taken so far. Each task writes only its own entry,
/// and the order is read between rounds.
final class TaskCosts: @unchecked Sendable {
  private let nanoseconds: UnsafeMutableBufferPointer<UInt64>
  init(_ tasks: Int) {
    nanoseconds = .allocate(capacity: tasks)
    nanoseconds.initialize(repeating: 0)
  }
  deinit { nanoseconds.deallocate() }

  func add(_ task: Int, _ time: UInt64) { nanoseconds[task] &+= time }

  /// The tasks, those that took longest first (ties in task order).
  func longestFirst() -> [Int] {
    nanoseconds.indices.sorted { (nanoseconds[$0], $1) > (nanoseconds[$1], $0) }
  }
}

extension HashJoin.LeftBuckets {
  /// Feeds the left rows `0..<count` to the accumulators, a row's group read through its
  /// bucket from `groupOf` (an entry per bucket and one more, the group of the rows with no
  /// bucket; each entry below `groups`). With `firstRows`, returns the first row each group
  /// received (-1 for none), else an empty array.
  func feed(
    rows count: Int, groupOf: [Int], groups: Int, to accumulators: [GroupAccumulator],
    firstRows: Bool, chunk: Int, spread: Int? = nil, checkEvery: Int,
    cancellation: Cancellation?
  ) throws(EngineError) -> [Int] {
    let shared = SharedAccumulators(accumulators, chunk: chunk, spread: spread, groups: groups)
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
  func bucket(of row: Int) -> Int {
    var one = [0]
    one.withUnsafeMutableBufferPointer { read(start: row, into: $0) }
    return one[0]
  }
}
