extension Grouping {
  /// Groups found by sorting: each row's keys packed into words in their order
  /// (ascending, nulls last, as a group's output is ordered; a key never splits across
  /// words), the rows radix-sorted by those words (stable), and each run of equal words one
  /// group. The groups come numbered in key order, each first row the run's first (the
  /// group's first in the table), so this is `init(keys:)` with its groups renumbered in
  /// key order. The sort gives each group's rows too, in table order, as `members()` does:
  /// `rows[offsets[g]..<offsets[g + 1]]`; and each group's keys, kept packed, to be read
  /// back from its words (`PackedColumns.GroupKeys`; a float key is to be gathered).
  ///
  /// Used when the groups are many: a hash table of millions of groups misses the cache
  /// on every row, while the sort streams. Nil when a key needs more than 64 bits, the
  /// table has fewer than `sample` rows, or fewer than `distinctShare` of its first
  /// `sample` rows have distinct keys (hashing is cheaper then).
  static func byKeyOrder(
    keys: [Column], rowCount n: Int, sample: Int, distinctShare: Double,
    cancellation: Cancellation?
  ) throws(EngineError) -> (
    grouping: Grouping, offsets: [Int], rows: [Int], keys: PackedColumns.GroupKeys
  )? {
    guard !keys.isEmpty, sample > 0, n >= sample else { return nil }
    // The sample first, on its own rows only: most groupings are rejected here cheaply.
    let few = try fewGroups(
      keys, rows: nil, count: n, sample: sample, share: distinctShare, cancellation)
    guard few == nil else { return nil }
    if cancellation?.isCancelled == true { throw .cancelled }
    guard var packed = PackedColumns(keys) else { return nil }
    if cancellation?.isCancelled == true { throw .cancelled }
    let (order, sorted) = PackedSort.radixSort(packed.takeWords(), bits: packed.bits)
    if cancellation?.isCancelled == true { throw .cancelled }
    let found = runs(sorted, order)
    let (ids, first) = (found.ids, found.first)
    var offsets = found.offsets
    // Each group's words, its first row's in the sorted words: the keys are read from them
    // when wanted, and the sorted words let go.
    let groupKeys = packed.groupKeys(sorted.map { w in offsets.map { w[$0] } })
    offsets.append(n)
    return (Grouping(ids: ids, count: first.count, firstRows: first), offsets, order, groupKeys)
  }

  /// The groups of sorted words: a run of equal words (the lead word, then the others of
  /// keys in several words) is a group. Each row's group (at its place in the table, read
  /// through `order`), each group's first row, and where each group begins among the
  /// sorted rows. Over many rows, on every core: each core counts the runs that begin in
  /// its share of the sorted rows, then numbers its share from the count of the shares
  /// before it.
  private static func runs(_ sorted: [[UInt64]], _ order: [Int]) -> (
    ids: [Int], first: [Int], offsets: [Int]
  ) {
    let n = order.count
    let shares = n >= Tuning.splitRows ? Tuning.cores : 1
    let (words, order) = (Unchecked(sorted), Unchecked(order))
    let rest = Unchecked(Array(sorted.dropFirst()))
    /// `body(begins)` with `begins(i)`: whether a run begins at sorted row i.
    @Sendable func withBegins<T>(_ body: ((Int) -> Bool) -> T) -> T {
      words.value[0].withUnsafeBufferPointer { lead in
        let rest = rest.value
        return body { i in
          i == 0 || lead[i] != lead[i - 1]
            || (!rest.isEmpty && rest.contains(where: { $0[i] != $0[i - 1] }))
        }
      }
    }
    let bounds = (0...shares).map { n * $0 / shares }
    let counts = Parallel.map(shares, spread: shares > 1) { p in
      withBegins { begins in
        var c = 0
        for i in bounds[p]..<bounds[p + 1] where begins(i) { c += 1 }
        return c
      }
    }
    let groups = counts.reduce(0, +)
    var ids = [Int](repeating: 0, count: n)
    var first = [Int](repeating: 0, count: groups)
    var offsets = [Int](repeating: 0, count: groups)
    ids.withUnsafeMutableBufferPointer { ids in
      first.withUnsafeMutableBufferPointer { first in
        offsets.withUnsafeMutableBufferPointer { offsets in
          let (ids, first, offsets) = (
            SharedBuffer(ids), SharedBuffer(first), SharedBuffer(offsets)
          )
          Parallel.each(shares) { p in
            // The group before this share's first run begins.
            var g = counts[0..<p].reduce(0, +) - 1
            order.value.withUnsafeBufferPointer { order in
              withBegins { begins in
                for i in bounds[p]..<bounds[p + 1] {
                  if begins(i) {
                    g += 1
                    first.buffer[g] = order[i]
                    offsets.buffer[g] = i
                  }
                  ids.buffer[order[i]] = g
                }
              }
            }
          }
        }
      }
    }
    return (ids, first, offsets)
  }

  /// The number of groups among the first `sample` rows (of `rows`, when given) when they
  /// are few: fewer than `share` of the rows sampled have distinct keys, or there are fewer
  /// rows than the sample. The one rule by which keys are hashed rather than sorted (a
  /// `group`, a `distinct`), and a function is computed once per distinct input rather than
  /// row by row. Nil when the groups are many.
  public static func fewGroups(
    _ keys: [Column], rows: [Int]?, count n: Int, sample: Int = Tuning.sortedGroupingSample,
    share: Double = Tuning.sortedGroupingShare, _ cancellation: Cancellation?
  ) throws(EngineError) -> Int? {
    let distinct = try sampledGroups(keys, rows: rows, sample: sample, cancellation)
    return n < sample || Double(distinct) < share * Double(sample) ? distinct : nil
  }

  /// The number of groups among the first `sample` rows (of `rows`, when given), counted
  /// by their codes with no order (so no text dictionary is ranked for it).
  public static func sampledGroups(
    _ keys: [Column], rows: [Int]?, sample: Int, _ cancellation: Cancellation?
  ) throws(EngineError) -> Int {
    let head =
      rows.map { Array($0.prefix(sample)) } ?? Array(0..<min(sample, keys.first?.count ?? 0))
    return try Grouping(
      keys: keys.map { $0.gather(head) }, rowCount: head.count, cancellation: cancellation
    ).count
  }
}
