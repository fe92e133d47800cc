import CAllocator

/// The state of one or more accumulators per group: one row of `stride` bytes per group,
/// each accumulator's state at its offset in the row. A fresh row is zero bytes, which is
/// every accumulator's empty state (a sum of 0 not yet seen, a count of 0).
///
/// An accumulator alone has a table of its own. Over more groups than the caches hold,
/// the accumulators of one group share a table (`FusedAccumulators`): a row's update then
/// finds all its aggregates' states in one or two cache lines, where each table of its
/// own costs a miss to memory per row (three sums over 5 million groups: 0.10 s on one
/// core, against 0.14 s for three tables on two cores, measured in C).
final class SlotTable {
  /// Bytes per group (a multiple of 8).
  let stride: Int
  private var memory: UnsafeMutableRawPointer?
  /// Rows allocated (every one zeroed or written).
  private var capacity = 0
  /// Rows in use.
  private(set) var count = 0
  /// Growing and viewing take turns (the accumulators of a shared table may be finished on
  /// several cores at once).
  private let lock = NSLockLike()

  init(stride: Int) { self.stride = max(8, (stride + 7) & ~7) }
  deinit { memory?.deallocate() }

  /// Grows the table to at least `rows` rows, the new ones zero (twice as many rows when
  /// it must move, so that a table grown a chunk at a time is copied a few times only).
  func ensure(_ rows: Int) {
    lock.locked { grow(rows) }
  }

  private func grow(_ rows: Int) {
    guard rows > count else { return }
    if rows > capacity {
      let grown = max(rows, capacity < 1 << 16 ? rows : capacity * 2)
      // (malloc's own alignment: asked for 64, glibc split the heap's free blocks so that
      // every other statement of three sums over 5 million groups faulted its 280 MB in
      // afresh, 1.1 s against 0.23.)
      let moved = UnsafeMutableRawPointer.allocate(byteCount: grown * stride, alignment: 16)
      if let memory {
        moved.copyMemory(from: memory, byteCount: capacity * stride)
        memory.deallocate()
      }
      (moved + capacity * stride).initializeMemory(
        as: UInt8.self, repeating: 0, count: (grown - capacity) * stride)
      memory = moved
      capacity = grown
    }
    count = rows
  }

  /// Every row in use zeroed and let go (the memory is kept for the next rows).
  func clear() {
    lock.locked {
      memory?.initializeMemory(as: UInt8.self, repeating: 0, count: count * stride)
      count = 0
    }
  }

  /// The states of type `T` at `offset` in each row (valid until the table grows).
  func view<T>(_ type: T.Type, at offset: Int) -> SlotView<T> {
    precondition(MemoryLayout<T>.size + offset <= stride && offset % MemoryLayout<T>.alignment == 0)
    var view = SlotView<T>(row: nil, offset: offset, stride: stride, count: 0)
    lock.locked { view = SlotView(row: memory, offset: offset, stride: stride, count: count) }
    return view
  }
}

/// One accumulator's states in a `SlotTable`: group g's at row g, `offset` bytes in.
struct SlotView<T> {
  /// The table's first row.
  let row: UnsafeMutableRawPointer?
  let offset: Int
  let stride: Int
  let count: Int

  @inline(__always) subscript(_ g: Int) -> T {
    get { row.unsafelyUnwrapped.load(fromByteOffset: g &* stride &+ offset, as: T.self) }
    nonmutating set {
      row.unsafelyUnwrapped.storeBytes(
        of: newValue, toByteOffset: g &* stride &+ offset, as: T.self)
    }
  }

  /// Where group g's state lies.
  @inline(__always) func address(_ g: Int) -> UnsafeMutableRawPointer {
    row.unsafelyUnwrapped + (g &* stride &+ offset)
  }

  /// Asks for group g's row ahead of an update to it: its first and its last byte (a row
  /// of several accumulators may span two cache lines).
  @inline(__always) func prefetch(_ g: Int) {
    guard let row, g < count else { return }
    let start = row + g &* stride
    pantau_prefetch_for_write(start)
    if stride > 16 { pantau_prefetch_for_write(start + (stride - 1)) }
  }
}

/// Where an accumulator keeps its states: a table and an offset in its rows.
struct SlotPlace {
  var table: SlotTable
  var offset = 0
  /// Bytes of one group's state.
  let bytes: Int

  /// A table of the accumulator's own, for states of `bytes` bytes.
  init(bytes: Int) { (table, self.bytes) = (SlotTable(stride: bytes), bytes) }
  init(table: SlotTable, offset: Int, bytes: Int) {
    (self.table, self.offset, self.bytes) = (table, offset, bytes)
  }

  /// The states of `groups` groups and one more (the slot where some accumulators put
  /// the null rows), the table grown as needed: every accumulator asks for the same rows,
  /// so a shared table is sized once.
  func view<T>(_ type: T.Type, groups: Int) -> SlotView<T> {
    table.ensure(groups + 1)
    return table.view(type, at: offset)
  }
}

/// An accumulator whose state per group is a fixed number of bytes in a `SlotTable`, so
/// that it can share one with others.
protocol SlotAccumulator: ChunkAccumulator {
  /// Its table, offset and state's size; moved only while the table is empty.
  var place: SlotPlace { get set }
}

extension SlotAccumulator {
  /// (An accumulator alone in its table: a shared one is not reset.)
  func reset() { place.table.clear() }
}

/// Accumulators whose states lie side by side in one table, fed together: each chunk a
/// block of `Tuning.fusedBlockRows` rows at a time, every accumulator in turn. The first
/// brings the block's rows into the cache and the others find them there. Each still sees
/// its rows in order, so the results are those of the accumulators fed apart.
final class FusedAccumulators: ChunkFeeding {
  let members: [any SlotAccumulator]
  let table: SlotTable

  /// The accumulators moved into one table (their own are empty: none has been fed).
  init(_ members: [any SlotAccumulator]) {
    self.members = members
    table = SlotTable(stride: members.reduce(0) { $0 + (($1.place.bytes + 7) & ~7) })
    var offset = 0
    for m in members {
      precondition(m.place.table.count == 0, "an accumulator joins a shared table before it is fed")
      m.place = SlotPlace(table: table, offset: offset, bytes: m.place.bytes)
      offset += (m.place.bytes + 7) & ~7
    }
  }

  func add(chunk ids: UnsafeBufferPointer<Int>, groups: Int, start: Int, selected: [Int]?) {
    var b = 0
    while b < ids.count {
      let e = min(ids.count, b + Tuning.fusedBlockRows)
      let block = UnsafeBufferPointer(rebasing: ids[b..<e])
      for m in members { m.add(chunk: block, groups: groups, start: start + b, selected: selected) }
      b = e
    }
  }
}
