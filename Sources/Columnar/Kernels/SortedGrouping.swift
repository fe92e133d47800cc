extension Grouping {
  /// Groups found by sorting: each row's keys packed into one word in their order
  /// (ascending, nulls last, as a group's output is ordered), the words radix-sorted
  /// (stable), and each run of equal words one group. The groups come numbered in key
  /// order, each first row the run's first (the group's first in the table), so this is
  /// `init(keys:)` with its groups renumbered in key order. The sort gives each group's
  /// rows too, in table order, as `members()` does: `rows[offsets[g]..<offsets[g + 1]]`.
  ///
  /// Used when the groups are many: a hash table of millions of groups misses the cache
  /// on every row, while the sort streams. Nil when the keys need more than 64 bits, the
  /// table has fewer than `sample` rows, or fewer than `distinctShare` of its first
  /// `sample` rows have distinct keys (hashing is cheaper then).
  public static func byKeyOrder(
    keys: [Column], rowCount n: Int, sample: Int, distinctShare: Double,
    cancellation: Cancellation?
  ) throws(EngineError) -> (grouping: Grouping, offsets: [Int], rows: [Int])? {
    guard !keys.isEmpty, sample > 0, n >= sample else { return nil }
    // The sample first, on its own rows only: most groupings are rejected here cheaply.
    let head = Array(0..<sample)
    let none = [Bool](repeating: false, count: keys.count)
    guard
      let (firstWords, _) = PackedSort.pack(
        keys.map { EncodedKeys($0.gather(head)) }, descending: none, nullsFirst: none, rows: nil)
    else { return nil }
    var table = IdTable(expected: sample)
    for w in firstWords { _ = table.id(w) }
    guard Double(table.count) >= distinctShare * Double(sample) else { return nil }
    if cancellation?.isCancelled == true { throw .cancelled }
    let encoded = keys.map(EncodedKeys.init)
    guard
      let (words, bits) = PackedSort.pack(encoded, descending: none, nullsFirst: none, rows: nil)
    else { return nil }
    if cancellation?.isCancelled == true { throw .cancelled }
    let (order, sorted) = PackedSort.radixSort(words, bits: bits)
    if cancellation?.isCancelled == true { throw .cancelled }
    var ids = [Int](repeating: 0, count: n)
    var first: [Int] = []
    var offsets: [Int] = []
    ids.withUnsafeMutableBufferPointer { ids in
      order.withUnsafeBufferPointer { order in
        sorted.withUnsafeBufferPointer { sorted in
          var g = -1
          for i in 0..<n {
            if i == 0 || sorted[i] != sorted[i - 1] {
              g += 1
              first.append(order[i])
              offsets.append(i)
            }
            ids[order[i]] = g
          }
        }
      }
    }
    offsets.append(n)
    return (Grouping(ids: ids, count: first.count, firstRows: first), offsets, order)
  }
}
