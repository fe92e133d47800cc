extension Sorting {
  /// The rows that can be among the first `k` of `rows` when sorted with `first` as the
  /// leading key: those whose leading value is no worse than the k-th best leading value
  /// (ties included, and the nulls too when fewer than k rows have a value), in the order of
  /// `rows`. Sorting just these by all the keys gives the same first k rows as sorting all of
  /// `rows`. One pass over the leading column with a k-element heap of its encoded values;
  /// nil when k is not small next to the rows, or when so many rows tie that pruning would
  /// not pay.
  /// - Complexity: O(n log k).
  static func candidates(_ first: SortKey, rows: [Int], k: Int) -> [Int]? {
    rows.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return nil }
      return candidates(first, SelectedRows(base), count: rows.count, k: k)
    }
  }

  /// `candidates(_:rows:k:)` over the rows `0..<count`.
  static func candidates(_ first: SortKey, count: Int, k: Int) -> [Int]? {
    candidates(first, ContiguousRows(start: 0), count: count, k: k)
  }

  static func candidates<R: RowIndexing>(_ first: SortKey, _ rows: R, count: Int, k: Int)
    -> [Int]?
  {
    guard k > 0, k <= count / 8, !first.nullsFirst else { return nil }
    switch first.column {
    case .int(let c), .date(let c):
      return c.values.withUnsafeBufferPointer { v in
        candidates(rows, count, k, c.validity, first.descending) { EncodedKeys.encode(v[$0]) }
      }
    case .float(let c):
      return c.values.withUnsafeBufferPointer { v in
        candidates(rows, count, k, c.validity, first.descending) { EncodedKeys.encode(v[$0]) }
      }
    case .text(let c):
      let ranks = c.sortRanks()
      return c.codes.withUnsafeBufferPointer { codes in
        ranks.withUnsafeBufferPointer { ranks in
          candidates(rows, count, k, c.validity, first.descending) {
            UInt64(ranks[Int(codes[$0])])
          }
        }
      }
    case .bool:
      return nil
    }
  }

  @inline(__always)
  private static func candidates<R: RowIndexing>(
    _ rows: R, _ count: Int, _ k: Int, _ validity: Validity, _ descending: Bool,
    _ key: (Int) -> UInt64
  ) -> [Int]? {
    // Smaller rank = earlier in the order.
    let flip: UInt64 = descending ? ~0 : 0
    // A max-heap of the k smallest ranks seen so far (its root the k-th smallest), and every
    // row that was no worse than the root when it came: the final candidates are among them.
    var heap = [UInt64](repeating: 0, count: k)
    var size = 0
    var root = UInt64.max
    var seen: [(row: Int, rank: UInt64)] = []
    let limit = count / 4
    var overflow = false
    heap.withUnsafeMutableBufferPointer { heap in
      for i in 0..<count {
        let row = rows[i]
        if validity.hasNulls && !validity.isValid(row) { continue }
        let r = key(row) ^ flip
        if size == k && r > root { continue }
        seen.append((row, r))
        if seen.count > limit {
          overflow = true
          return
        }
        if size < k {
          heap[size] = r
          var i = size
          size += 1
          while i > 0 && heap[(i - 1) / 2] < heap[i] {
            heap.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
          }
          if size == k { root = heap[0] }
        } else if r < root {
          heap[0] = r
          var i = 0
          while true {
            let l = 2 * i + 1
            var largest = i
            if l < k && heap[l] > heap[largest] { largest = l }
            if l + 1 < k && heap[l + 1] > heap[largest] { largest = l + 1 }
            if largest == i { break }
            heap.swapAt(i, largest)
            i = largest
          }
          root = heap[0]
        }
      }
    }
    // Fewer than k rows with a value: the nulls would be needed too; no pruning then.
    guard !overflow, size == k else { return nil }
    return seen.filter { $0.rank <= root }.map(\.row)
  }
}
