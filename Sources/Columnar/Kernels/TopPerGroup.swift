/// The best rows of each group.
public enum TopPerGroup {
  /// `top N … no ties` with a small N and no nulls: one pass over the rows in order, each
  /// partition keeping its N best (key, row) so far, sorted; an equal key never displaces
  /// an earlier row, so ties go by input order, as in a stable sort. The rows and their
  /// ranks (one more than the number of better rows) come out partitions in `order`, each
  /// partition's best first.
  public static func streamed(
    _ groups: Grouping, _ order: [Int], _ e: EncodedKeys, descending: Bool, k: Int
  ) -> (rows: [Int], ranks: [Int]) {
    let n = groups.count
    var keys = [UInt64](repeating: 0, count: n * k)
    var best = [Int](repeating: 0, count: n * k)
    var filled = [Int](repeating: 0, count: n)
    keys.withUnsafeMutableBufferPointer { keys in
      best.withUnsafeMutableBufferPointer { best in
        filled.withUnsafeMutableBufferPointer { filled in
          e.keys.withUnsafeBufferPointer { values in
            groups.ids.withUnsafeBufferPointer { ids in
              for r in 0..<ids.count {
                let g = ids[r]
                let key = descending ? ~values[r] : values[r]
                let base = g * k
                var m = filled[g]
                if m == k {
                  if key >= keys[base + k - 1] { continue }
                  m -= 1
                } else {
                  filled[g] = m + 1
                }
                // Shift the worse ones down and put this row after every equal key.
                var i = m
                while i > 0 && keys[base + i - 1] > key {
                  keys[base + i] = keys[base + i - 1]
                  best[base + i] = best[base + i - 1]
                  i -= 1
                }
                keys[base + i] = key
                best[base + i] = r
              }
            }
          }
        }
      }
    }
    var rows: [Int] = []
    var ranks: [Int] = []
    for g in order {
      let base = g * k
      var rank = 0
      for i in 0..<filled[g] {
        if i == 0 || keys[base + i] != keys[base + i - 1] { rank = i + 1 }
        rows.append(best[base + i])
        ranks.append(rank)
      }
    }
    return (rows, ranks)
  }
}
