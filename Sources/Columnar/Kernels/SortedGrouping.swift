extension Grouping {
  /// Groups found by sorting: each row's keys packed into words in their order
  /// (ascending, nulls last, as a group's output is ordered; a key never splits across
  /// words), the rows radix-sorted by those words (stable), and each run of equal words one
  /// group. The groups come numbered in key order, each first row the run's first (the
  /// group's first in the table), so this is `init(keys:)` with its groups renumbered in
  /// key order. The sort gives each group's rows too, in table order, as `members()` does:
  /// `rows[offsets[g]..<offsets[g + 1]]`; and each group's keys, read back from its words
  /// in the sorted words (`PackedColumns.columns(of:at:)`; a float key is nil, to be
  /// gathered), which are then let go: the key columns are made before any aggregate, so
  /// that the aggregates' columns reuse the words' memory rather than fault in fresh pages
  /// (at 10^8 groups, 1.6 GB of them).
  ///
  /// Used when the groups are many: a hash table of millions of groups misses the cache
  /// on every row, while the sort streams. Nil when a key needs more than 64 bits, the
  /// table has fewer than `sample` rows, or fewer than `distinctShare` of its first
  /// `sample` rows have distinct keys (hashing is cheaper then).
  ///
  /// Each row's group (`ids`), each group's first row and the key columns are made only
  /// when asked for (else empty): at 10^8 groups the first two are 800 MB each, and the
  /// ids are written at random.
  static func byKeyOrder(
    keys: [Column], rowCount n: Int, sample: Int, distinctShare: Double,
    needs: (ids: Bool, firstRows: Bool, keys: Bool), cancellation: Cancellation?
  ) throws(EngineError) -> (grouping: Grouping, offsets: [Int], rows: [Int], keys: [Column?])? {
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
    let found = runs(sorted, order, (needs.ids, needs.firstRows))
    var offsets = found.offsets
    // Each group's words are its first row's in the sorted words.
    let columns = needs.keys ? packed.columns(of: sorted, at: offsets) : []
    offsets.append(n)
    return (
      Grouping(ids: found.ids, count: offsets.count - 1, firstRows: found.first), offsets, order,
      columns
    )
  }

  /// The groups of sorted words: a run of equal words (the lead word, then the others of
  /// keys in several words) is a group. Where each group begins among the sorted rows;
  /// as `needs` asks, each row's group (at its place in the table, read through `order`)
  /// and each group's first row (else empty). Over many rows, on every core: each core
  /// counts the runs that begin in its share of the sorted rows, then numbers its share
  /// from the count of the shares before it.
  private static func runs(
    _ sorted: [[UInt64]], _ order: [Int], _ needs: (ids: Bool, firstRows: Bool)
  ) -> (ids: [Int], first: [Int], offsets: [Int]) {
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
    var ids = [Int](repeating: 0, count: needs.ids ? n : 0)
    var first = [Int](repeating: 0, count: needs.firstRows ? groups : 0)
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
                // (Three loops, so that what is not asked for is not tested per row.)
                if needs.ids {
                  for i in bounds[p]..<bounds[p + 1] {
                    if begins(i) {
                      g += 1
                      if needs.firstRows { first.buffer[g] = order[i] }
                      offsets.buffer[g] = i
                    }
                    ids.buffer[order[i]] = g
                  }
                } else if needs.firstRows {
                  for i in bounds[p]..<bounds[p + 1] where begins(i) {
                    g += 1
                    first.buffer[g] = order[i]
                    offsets.buffer[g] = i
                  }
                } else {
                  for i in bounds[p]..<bounds[p + 1] where begins(i) {
                    g += 1
                    offsets.buffer[g] = i
                  }
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
