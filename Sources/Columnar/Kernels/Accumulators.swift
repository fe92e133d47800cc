import CAllocator

/// The aggregates a group can fold a row at a time, as chunks of rows arrive.
enum StreamedAggregate: Sendable, Equatable {
  case count, sum, avg, min, max, first, last
  case paired(PairedStatistic)
}

/// count, sum, avg, min, max, first, last and the paired statistics kept per group while rows arrive a
/// chunk at a time (each chunk: the group of each of its rows, and where its rows are in
/// the table). Every group sees its rows in table order, so the results are those of a
/// pass over each group's member rows exactly.
protocol GroupAccumulator: AnyObject {
  /// Adds the rows `start, start + 1, …` whose groups are `ids[0..<count]` (each below
  /// `groups`).
  func add(_ ids: [Int], count: Int, groups: Int, start: Int)
  /// Adds the rows `selected[from..<from + count]` whose groups are `ids[0..<count]`.
  func add(_ ids: [Int], count: Int, groups: Int, selected: [Int], from: Int)
  /// Adds the rows `scattered[from..<from + count]`, in any order, whose groups are
  /// `ids[0..<count]`: each row's value is asked for ahead of its read.
  func add(_ ids: [Int], count: Int, groups: Int, scattered: [Int], from: Int)
  /// The result per group, for `groups` groups.
  func finish(groups: Int) throws(EngineError) -> Column
  /// The results of the groups `order` (each below `groups`), in that order: `finish`'s
  /// gathered, which an accumulator may write straight instead.
  func finish(groups: Int, order: [Int]) throws(EngineError) -> Column
  /// Forgets every group, as if nothing had been added (so that one accumulator folds
  /// block after block of groups in the same memory: `SortedFold`).
  func reset()
}

extension GroupAccumulator {
  func finish(groups: Int, order: [Int]) throws(EngineError) -> Column {
    try finish(groups: groups).gather(order)
  }
}

/// An accumulator written once over where its rows are (`RowIndexing`); the ways of adding
/// a chunk come from it.
protocol ChunkAccumulator: GroupAccumulator, ChunkFeeding {
  func run<R: RowIndexing>(_ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R)
}

/// What takes a chunk of rows and their groups' ids, read in place.
protocol ChunkFeeding: AnyObject {
  /// Adds the rows `start, start + 1, …` (or `selected[start…]`) whose groups are `ids`.
  func add(chunk ids: UnsafeBufferPointer<Int>, groups: Int, start: Int, selected: [Int]?)
}

extension ChunkAccumulator {
  func add(_ ids: [Int], count: Int, groups: Int, start: Int) {
    ids.withUnsafeBufferPointer { all in
      add(
        chunk: UnsafeBufferPointer(rebasing: all[0..<count]), groups: groups, start: start,
        selected: nil)
    }
  }
  func add(_ ids: [Int], count: Int, groups: Int, selected: [Int], from: Int) {
    ids.withUnsafeBufferPointer { all in
      add(
        chunk: UnsafeBufferPointer(rebasing: all[0..<count]), groups: groups, start: from,
        selected: selected)
    }
  }
  func add(_ ids: [Int], count: Int, groups: Int, scattered: [Int], from: Int) {
    ids.withUnsafeBufferPointer { ids in
      scattered.withUnsafeBufferPointer { rows in
        guard let base = rows.baseAddress, count > 0 else { return }
        run(
          UnsafeBufferPointer(rebasing: ids[0..<count]), groups,
          ScatteredRows(base + from, count: count))
      }
    }
  }
  func add(chunk ids: UnsafeBufferPointer<Int>, groups: Int, start: Int, selected: [Int]?) {
    guard let selected else { return run(ids, groups, ContiguousRows(start: start)) }
    selected.withUnsafeBufferPointer { rows in
      guard let base = rows.baseAddress, !ids.isEmpty else { return }
      run(ids, groups, SelectedRows(base + start))
    }
  }
}

/// Makes accumulators.
enum Accumulators {
  /// The accumulator of `kind` over `column` (and `second`, the x of a paired statistic),
  /// or nil when the kind does not fold this column's type a row at a time.
  static func make(_ kind: StreamedAggregate, _ column: Column?, second: Column? = nil)
    -> GroupAccumulator?
  {
    if case .paired(let statistic) = kind {
      guard let column, let second else { return nil }
      return PairedAccumulator(statistic, column, second)
    }
    return switch (kind, column) {
    case (.count, nil): CountAccumulator(.allValid)
    case (.count, let c?): CountAccumulator(c.validity)
    case (.sum, .float(let c)?), (.avg, .float(let c)?):
      FloatSumAccumulator(values: c.values, c.validity, mean: kind == .avg)
    case (.avg, .int(let c)?): IntMeanAccumulator(values: c.values, c.validity)
    case (.sum, .int(let c)?): IntSumAccumulator(values: c.values, c.validity)
    case (.first, let c?), (.last, let c?): EdgeAccumulator(c, last: kind == .last)
    case (.min, .text(let t)?), (.max, .text(let t)?):
      TextExtremeAccumulator(t, larger: kind == .max)
    case (.min, let c?), (.max, let c?):
      c.type.isNumeric ? ExtremeAccumulator(c, larger: kind == .max) : nil
    default: nil
    }
  }
}

/// Asking for a group's cache line some rows before it is updated: with more groups than
/// the caches hold, each row's update otherwise waits on memory in turn.
enum Prefetch {
  /// From this many groups on (their slots then outgrow the caches; measured: at 100,000
  /// groups asking ahead cost more than it saved, at a million and more it saved 10-20 %).
  static let fromGroups = 1 << 19
  /// How many rows ahead.
  static let rows = 16

  @inline(__always) static func write<T>(_ slots: UnsafeMutableBufferPointer<T>, _ g: Int) {
    guard let base = slots.baseAddress, g < slots.count else { return }
    pantau_prefetch_for_write(base + g)
  }
}

/// Grows a per-group array to hold group `count - 1`.
@inline(__always) func ensure<T>(_ a: inout [T], _ count: Int, _ fill: T) {
  if a.count < count { a.append(contentsOf: repeatElement(fill, count: count - a.count)) }
}

/// The valid bit of row `r`.
@inline(__always) func valid(_ words: UnsafeBufferPointer<UInt64>?, _ r: Int) -> Bool {
  guard let words else { return true }
  return words[r >> 6] & (1 << UInt64(r & 63)) != 0
}

/// Runs `body` with the validity words (nil when every row is valid).
@inline(__always) func withWords<T>(
  _ v: Validity, _ body: (UnsafeBufferPointer<UInt64>?) -> T
) -> T {
  guard let words = v.words else { return body(nil) }
  return words.withUnsafeBufferPointer { body($0) }
}

/// The running totals of few groups (`Tuning.lanedGroupsBelow`) while a chunk is added,
/// `Tuning.accumulatorLanes` per group: row i adds to its group's total i mod lanes, so
/// that consecutive rows of one group do not each wait for the last one's update. Integer
/// totals, so the sum of a group's lanes is its total in any order.
struct LanedTotals {
  static let shift = Tuning.accumulatorLanes.trailingZeroBitCount
  static let mask = Tuning.accumulatorLanes - 1
  var totals: [Int]

  init(slots: Int) { totals = [Int](repeating: 0, count: slots << Self.shift) }

  /// Whether a chunk over `slots` slots is added through lanes.
  static func apply(slots: Int) -> Bool { slots <= Tuning.lanedGroupsBelow }

  /// Where row `i` of the chunk adds to slot `g`.
  @inline(__always) static func index(_ g: Int, _ i: Int) -> Int { g << shift | (i & mask) }

  /// `add(slot, total)` for each slot, the sum of its lanes.
  func add(_ add: (Int, Int) -> Void) {
    totals.withUnsafeBufferPointer { t in
      for g in 0..<t.count >> Self.shift {
        var total = 0
        for lane in 0...Self.mask { total &+= t[g << Self.shift | lane] }
        add(g, total)
      }
    }
  }
}

/// The rows (or the known values) of each group.
final class CountAccumulator: SlotAccumulator {
  let validity: Validity
  var place = SlotPlace(bytes: MemoryLayout<Int>.stride)
  /// Counts the rows whose `validity` bit is set (`.allValid`: every row).
  init(_ validity: Validity) { self.validity = validity }

  /// The count of each group so far (groups past the last seen have none).
  var counts: [Int] {
    let n = max(0, place.table.count - 1)
    let counts = place.view(Int.self, groups: n)
    return (0..<n).map { counts[$0] }
  }

  @inline(__always) func run<R: RowIndexing>(
    _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R
  ) {
    // Slot n counts the null rows (and is cleared after).
    let counts = place.view(Int.self, groups: n)
    withWords(validity) { words in
      if n == 1 {
        // One group (every id 0): its valid rows counted.
        guard let words else { return counts[0] &+= ids.count }
        var c = 0
        for i in 0..<ids.count where valid(words, rows[i]) { c &+= 1 }
        return counts[0] &+= c
      }
      if LanedTotals.apply(slots: n + 1) {
        var lanes = LanedTotals(slots: n + 1)
        lanes.totals.withUnsafeMutableBufferPointer { t in
          for i in 0..<ids.count {
            let g = valid(words, rows[i]) ? ids[i] : n
            t[LanedTotals.index(g, i)] &+= 1
          }
        }
        lanes.add { counts[$0] &+= $1 }
      } else {
        let ahead = n >= Prefetch.fromGroups ? Prefetch.rows : 0
        for i in 0..<ids.count {
          if ahead > 0 && i + ahead < ids.count { counts.prefetch(ids[i + ahead]) }
          counts[valid(words, rows[i]) ? ids[i] : n] &+= 1
        }
      }
      counts[n] = 0
    }
  }

  func finish(groups: Int) -> Column {
    let counts = place.view(Int.self, groups: groups)
    return .int(TypedColumn((0..<groups).map { counts[$0] }))
  }
}

/// Neumaier's compensated sum per group (and the mean, dividing by the count). A group's
/// sum, carry and count sit side by side, so that a row touches one cache line of them
/// however many groups there are.
final class FloatSumAccumulator: SlotAccumulator {
  struct Slot {
    var sum = 0.0
    var carry = 0.0
    var count = 0

    /// Adds `x`, its rounding error carried (Neumaier's step, as `Aggregation.total`).
    @inline(__always) mutating func add(_ x: Double) {
      let t = sum + x
      carry += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
      sum = t
      count += 1
    }
  }
  let values: [Double]
  let validity: Validity
  let mean: Bool
  var place = SlotPlace(bytes: MemoryLayout<Slot>.stride)
  init(values: [Double], _ validity: Validity, mean: Bool) {
    self.values = values
    self.validity = validity
    self.mean = mean
  }

  @inline(__always) func run<R: RowIndexing>(
    _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R
  ) {
    // Slot n takes the null rows (and is cleared after), so there is no branch per row.
    let slots = place.view(Slot.self, groups: n)
    withWords(validity) { words in
      values.withUnsafeBufferPointer { values in
        if n == 1 {
          // One group (every id 0): its state is held in registers, not read back from its
          // slot after each row's store. The same additions in the same order.
          var slot = slots[0]
          for i in 0..<ids.count {
            rows.prefetch(values, after: i)
            let r = rows[i]
            if valid(words, r) { slot.add(values[r]) }
          }
          slots[0] = slot
          return
        }
        let ahead = n >= Prefetch.fromGroups ? Prefetch.rows : 0
        for i in 0..<ids.count {
          if ahead > 0 && i + ahead < ids.count { slots.prefetch(ids[i + ahead]) }
          rows.prefetch(values, after: i)
          let r = rows[i]
          let g = valid(words, r) ? ids[i] : n
          var slot = slots[g]
          slot.add(values[r])
          slots[g] = slot
        }
        slots[n] = Slot()
      }
    }
  }

  /// Starts group g from `sums[g]` (exact) over `counts[g]` rows.
  func start(sums: [Int], counts: [Int]) {
    let slots = place.view(Slot.self, groups: sums.count)
    for g in sums.indices { slots[g] = Slot(sum: Double(sums[g]), carry: 0, count: counts[g]) }
  }

  func finish(groups: Int) -> Column { results(groups, order: nil) }

  func finish(groups: Int, order: [Int]) -> Column { results(groups, order: order) }

  /// Group `order[i]`'s result at `i` (group `i`'s without `order`).
  private func results(_ groups: Int, order: [Int]?) -> Column {
    let slots = place.view(Slot.self, groups: groups)
    let m = order?.count ?? groups
    var out = [Double](repeating: 0, count: m)
    // One read of each group's slot, in `order` (at random, at millions of groups).
    var valid = ValidityBuilder(capacity: m)
    out.withUnsafeMutableBufferPointer { out in
      for i in 0..<m {
        let slot = slots[order?[i] ?? i]
        valid.append(slot.count > 0)
        if slot.count > 0 {
          out[i] = (slot.sum + slot.carry) / (mean ? Double(slot.count) : 1)
        }
      }
    }
    return .float(TypedColumn(out, validity: valid.build()))
  }
}

/// The mean of an int column. While no partial sum can reach 2^53 (every row's magnitude
/// times the column's row count stays below it), the sums are kept as ints: every float
/// addition would be exact then, so this gives the float path's bits without converting
/// the column. Each chunk is checked before it is added; at the first chunk with a larger
/// value, the sums so far (exact) become the float path's and it takes over.
final class IntMeanAccumulator: ChunkAccumulator {
  let values: [Int]
  let validity: Validity
  /// The largest magnitude the int sums take.
  let safe: UInt
  /// The float path, once a larger value came.
  var inner: FloatSumAccumulator?
  var sums: [Int] = []
  var counts: [Int] = []
  init(values: [Int], _ validity: Validity) {
    self.values = values
    self.validity = validity
    safe = UInt((1 << 53) - 1) / UInt(max(1, values.count))
  }

  /// Whether every row of the chunk is within `safe`.
  @inline(__always) private func fits<R: RowIndexing>(_ count: Int, _ rows: R) -> Bool {
    values.withUnsafeBufferPointer { v in
      var largest: UInt = 0
      for i in 0..<count {
        rows.prefetch(v, after: i)
        largest = max(largest, v[rows[i]].magnitude)
      }
      return largest <= safe
    }
  }

  /// Hands the sums so far to the float path, which goes on from them.
  private func switchToFloat() {
    let float = FloatSumAccumulator(values: values.map(Double.init), validity, mean: true)
    float.start(sums: sums, counts: counts)
    inner = float
  }

  /// Sum and count in one pass (no sum can overflow: see `fits`). Slot n takes the null
  /// rows and is cleared after. Few groups add through lanes, which check the chunk's values
  /// as they go: its totals are dropped, unadded, when one is too large.
  @inline(__always) func run<R: RowIndexing>(
    _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R
  ) {
    if inner == nil {
      if LanedTotals.apply(slots: n + 1) {
        if addLaned(ids, n, rows) { return }
        switchToFloat()
      } else if !fits(ids.count, rows) {
        switchToFloat()
      }
    }
    if let inner { return inner.run(ids, n, rows) }
    ensure(&sums, n + 1, 0)
    ensure(&counts, n + 1, 0)
    withWords(validity) { words in
      values.withUnsafeBufferPointer { values in
        sums.withUnsafeMutableBufferPointer { sums in
          counts.withUnsafeMutableBufferPointer { counts in
            let ahead = n >= Prefetch.fromGroups ? Prefetch.rows : 0
            for i in 0..<ids.count {
              if ahead > 0 && i + ahead < ids.count {
                Prefetch.write(sums, ids[i + ahead])
                Prefetch.write(counts, ids[i + ahead])
              }
              rows.prefetch(values, after: i)
              let r = rows[i]
              let g = valid(words, r) ? ids[i] : n
              sums[g] &+= values[r]
              counts[g] &+= 1
            }
            sums[n] = 0
            counts[n] = 0
          }
        }
      }
    }
  }

  /// Adds a chunk of few groups through lanes; false, with nothing added, when a value of
  /// the chunk is beyond `safe`.
  @inline(__always) private func addLaned<R: RowIndexing>(
    _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R
  ) -> Bool {
    var (s, c) = (LanedTotals(slots: n + 1), LanedTotals(slots: n + 1))
    let largest = withWords(validity) { words in
      values.withUnsafeBufferPointer { values in
        s.totals.withUnsafeMutableBufferPointer { s in
          c.totals.withUnsafeMutableBufferPointer { c in
            var largest: UInt = 0
            for i in 0..<ids.count {
              let r = rows[i]
              let g = LanedTotals.index(valid(words, r) ? ids[i] : n, i)
              s[g] &+= values[r]
              c[g] &+= 1
              largest = max(largest, values[r].magnitude)
            }
            return largest
          }
        }
      }
    }
    guard largest <= safe else { return false }
    ensure(&sums, n + 1, 0)
    ensure(&counts, n + 1, 0)
    sums.withUnsafeMutableBufferPointer { sums in s.add { sums[$0] &+= $1 } }
    counts.withUnsafeMutableBufferPointer { counts in c.add { counts[$0] &+= $1 } }
    sums[n] = 0
    counts[n] = 0
    return true
  }

  func reset() {
    inner = nil
    sums.removeAll(keepingCapacity: true)
    counts.removeAll(keepingCapacity: true)
  }

  func finish(groups: Int) throws(EngineError) -> Column {
    if let inner { return inner.finish(groups: groups) }
    ensure(&sums, groups, 0)
    ensure(&counts, groups, 0)
    var out = [Double](repeating: 0, count: groups)
    for g in 0..<groups where counts[g] > 0 {
      out[g] = Double(sums[g]) / Double(counts[g])
    }
    let valid = counts.withUnsafeBufferPointer { c in Validity(count: groups) { c[$0] > 0 } }
    return .float(TypedColumn(out, validity: valid))
  }
}
