/// One key of a sort: a column and its direction. Nulls sort last in both directions.
public struct SortKey: Sendable {
  /// The column to sort by.
  public var column: Column
  /// Whether larger values come first.
  public var descending: Bool
  /// Whether nulls come before the values (else after, in both directions).
  public var nullsFirst: Bool

  /// Makes a sort key.
  public init(_ column: Column, descending: Bool = false, nullsFirst: Bool = false) {
    self.column = column
    self.descending = descending
    self.nullsFirst = nullsFirst
  }
}

/// Sorting kernels.
enum Sorting {

  /// A stable permutation of `rows` ordered by `keys`: ties keep their order in `rows`.
  /// - Complexity: O(n log n · k) for n rows and k keys.
  static func permutation(_ keys: [SortKey], rows: [Int]) -> [Int] {
    permutation(keys, rows: rows, packing: true)
  }

  /// The same; `packing` false always compares key by key (for tests that check that
  /// `PackedSort` gives the same order).
  static func permutation(_ keys: [SortKey], rows: [Int], packing: Bool) -> [Int] {
    if keys.isEmpty { return rows }
    let encoded = keys.map { EncodedKeys($0.column) }
    // Many rows: a radix sort of the packed keys, in up to four words (one key too, when
    // it fits in a word with its null slot); few rows: only when they fit in one word, and
    // not one key alone. Otherwise comparisons.
    let many = rows.count >= 1 << 12
    if packing, many || encoded.count > 1,
      let positions = PackedSort.positions(
        encoded, descending: keys.map(\.descending), nullsFirst: keys.map(\.nullsFirst),
        rows: rows, maxWords: many ? 4 : 1)
    {
      return positions.map { rows[$0] }
    }
    if encoded.count == 1 {
      return single(
        encoded[0], descending: keys[0].descending, nullsFirst: keys[0].nullsFirst, rows: rows)
    }
    let order = RowOrder(
      encoded: encoded, descending: keys.map(\.descending), nullsFirst: keys.map(\.nullsFirst))
    var positions = Array(rows.indices)
    positions.sort { pa, pb in
      switch order.compare(rows[pa], rows[pb]) {
      case .some(let before): before
      case .none: pa < pb
      }
    }
    return positions.map { rows[$0] }
  }

  /// One key: sort (key, position) pairs, nulls after (or before) in their original order.
  private static func single(_ e: EncodedKeys, descending: Bool, nullsFirst: Bool, rows: [Int])
    -> [Int]
  {
    var pairs: [(UInt64, Int)] = []
    pairs.reserveCapacity(rows.count)
    var nulls: [Int] = []
    for (p, r) in rows.enumerated() {
      if e.validity.isValid(r) {
        pairs.append((descending ? ~e.keys[r] : e.keys[r], p))
      } else {
        nulls.append(r)
      }
    }
    pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    let sorted = pairs.map { rows[$0.1] }
    return nullsFirst ? nulls + sorted : sorted + nulls
  }

  /// The first `k` rows of the stable sort of all `count` rows, found with a bounded heap
  /// instead of a full sort.
  /// - Complexity: O(n log k · keys).
  static func top(_ keys: [SortKey], count: Int, k: Int) -> [Int] {
    guard k < count / 4, !keys.isEmpty else {
      return Array(permutation(keys, count: count).prefix(k))
    }
    // Rows whose leading key could place them in the first k, found in one pass over that
    // key alone, then sorted by every key (stable, so ties keep the table's order).
    if let rows = candidates(keys[0], count: count, k: k, alone: keys.count == 1)
      ?? packedCandidates(keys, count: count, k: k)
    {
      let picked = keys.map {
        SortKey($0.column.gather(rows), descending: $0.descending, nullsFirst: $0.nullsFirst)
      }
      return permutation(picked, count: rows.count).prefix(k).map { rows[$0] }
    }
    let order = RowOrder(
      encoded: keys.map { EncodedKeys($0.column) }, descending: keys.map(\.descending),
      nullsFirst: keys.map(\.nullsFirst))
    func before(_ a: Int, _ b: Int) -> Bool { order.compare(a, b) ?? (a < b) }
    // A max-heap (by `before`) of the k best rows so far: its root is the worst of them.
    var heap: [Int] = []
    heap.reserveCapacity(k)
    func siftDown(_ start: Int) {
      var i = start
      while true {
        let l = 2 * i + 1
        let r = l + 1
        var worst = i
        if l < heap.count && before(heap[worst], heap[l]) { worst = l }
        if r < heap.count && before(heap[worst], heap[r]) { worst = r }
        if worst == i { return }
        heap.swapAt(i, worst)
        i = worst
      }
    }
    for row in 0..<count {
      if heap.count < k {
        heap.append(row)
        var i = heap.count - 1
        while i > 0 && before(heap[(i - 1) / 2], heap[i]) {
          heap.swapAt(i, (i - 1) / 2)
          i = (i - 1) / 2
        }
      } else if k > 0 && before(row, heap[0]) {
        heap[0] = row
        siftDown(0)
      }
    }
    return heap.sorted(by: before)
  }

  /// A stable permutation of all `count` rows.
  static func permutation(_ keys: [SortKey], count: Int) -> [Int] {
    permutation(keys, rows: Array(0..<count))
  }
}

/// The order of rows by encoded keys, nulls last in both directions unless `nullsFirst`.
struct RowOrder {
  let encoded: [EncodedKeys]
  let descending: [Bool]
  let nullsFirst: [Bool]

  /// Whether row `a` comes before row `b`; `nil` when they tie on every key.
  @inline(__always) func compare(_ a: Int, _ b: Int) -> Bool? {
    for (k, e) in encoded.enumerated() {
      let va = e.validity.isValid(a)
      let vb = e.validity.isValid(b)
      if !va || !vb {
        if va != vb { return nullsFirst[k] ? vb : va }
        continue
      }
      let ka = e.keys[a]
      let kb = e.keys[b]
      if ka != kb { return descending[k] ? ka > kb : ka < kb }
    }
    return nil
  }
}
