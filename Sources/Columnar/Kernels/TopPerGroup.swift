/// The best rows of each group.
enum TopPerGroup {
  /// `top N … no ties` with a small N and no nulls: one pass over the rows in order, each
  /// partition keeping its N best (key, row) so far, sorted; an equal key never displaces
  /// an earlier row, so ties go by input order, as in a stable sort. The rows and their
  /// ranks (one more than the number of better rows) come out partitions in `order`, each
  /// partition's best first.
  static func streamed(
    _ groups: Grouping, _ order: [Int], _ e: EncodedKeys, descending: Bool, k: Int
  ) -> (rows: [Int], ranks: [Int]) {
    let n = groups.count
    // Each partition's state in one block, so that a row touches one or two cache lines,
    // not three (at millions of partitions every touch misses the cache): how many are
    // kept, their keys, their rows.
    let stride = 1 + 2 * k
    var state = [UInt64](repeating: 0, count: n * stride)
    state.withUnsafeMutableBufferPointer { state in
      e.keys.withUnsafeBufferPointer { values in
        groups.ids.withUnsafeBufferPointer { ids in
          let ahead = n >= Prefetch.fromGroups ? Prefetch.rows : 0
          let count = ids.count
          for r in 0..<count {
            if ahead > 0 && r + ahead < count { Prefetch.write(state, ids[r + ahead] * stride) }
            let base = ids[r] * stride
            let keys = base + 1
            let best = base + 1 + k
            let key = descending ? ~values[r] : values[r]
            var m = Int(truncatingIfNeeded: state[base])
            if m == k {
              if key >= state[keys + k - 1] { continue }
              m -= 1
            } else {
              state[base] = UInt64(m + 1)
            }
            // Shift the worse ones down and put this row after every equal key.
            var i = m
            while i > 0 && state[keys + i - 1] > key {
              state[keys + i] = state[keys + i - 1]
              state[best + i] = state[best + i - 1]
              i -= 1
            }
            state[keys + i] = key
            state[best + i] = UInt64(r)
          }
        }
      }
    }
    var rows: [Int] = []
    var ranks: [Int] = []
    for g in order {
      let keys = g * stride + 1
      let best = keys + k
      var rank = 0
      for i in 0..<Int(truncatingIfNeeded: state[g * stride]) {
        if i == 0 || state[keys + i] != state[keys + i - 1] { rank = i + 1 }
        rows.append(Int(truncatingIfNeeded: state[best + i]))
        ranks.append(rank)
      }
    }
    return (rows, ranks)
  }
}
