extension Sorting {
  /// The rows that can be among the first `k` of `rows` when sorted with `first` as the
  /// leading key: those whose leading value is no worse than the k-th best leading value
  /// (ties included, and the nulls too when fewer than k rows have a value), in the order of
  /// `rows`. Sorting just these by all the keys gives the same first k rows as sorting all of
  /// `rows`. One pass over the leading column with a k-element heap of its encoded values;
  /// nil when k is not small next to the rows, or when so many rows tie that pruning would
  /// not pay. With `alone` (`first` is the only key, so that ties keep the order of `rows`),
  /// a row that ties with the k-th best so far is no candidate: k rows before it already
  /// come first.
  /// - Complexity: O(n log k).
  static func candidates(_ first: SortKey, rows: [Int], k: Int, alone: Bool) -> [Int]? {
    rows.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return nil }
      return candidates(first, SelectedRows(base), count: rows.count, k: k, alone: alone)
    }
  }

  /// `candidates(_:rows:k:)` over the rows `0..<count`.
  static func candidates(_ first: SortKey, count: Int, k: Int, alone: Bool) -> [Int]? {
    candidates(first, ContiguousRows(start: 0), count: count, k: k, alone: alone)
  }

  /// The candidates of the rows `rows[0..<count]`: on every core when they are many and
  /// contiguous, each core taking a share with a heap of its own (a share's k-th best is
  /// no better than the whole's, so its candidates include the whole's), the shares' then
  /// cut at the whole's k-th best.
  static func candidates<R: RowIndexing>(
    _ first: SortKey, _ rows: R, count: Int, k: Int, alone: Bool
  ) -> [Int]? {
    guard k > 0, k <= count / 8, !first.nullsFirst else { return nil }
    if case .bool = first.column { return nil }
    // Smaller rank = earlier in the order.
    let flip: UInt64 = first.descending ? ~0 : 0
    let ranks: [UInt32]? = if case .text(let c) = first.column { c.sortRanks() } else { nil }
    let parts = R.self == ContiguousRows.self && count >= Tuning.splitRows ? Tuning.cores : 1
    let box = Unchecked(rows)
    let shares = Parallel.map(parts, spread: parts > 1) { p in
      let range = p * count / parts..<(p + 1) * count / parts
      // With more keys, a leading key so tied that many rows are kept gives up early:
      // `packedCandidates` tells them apart by the second key.
      let limit = alone ? range.count / 4 : min(range.count / 4, max(1 << 16, 64 * k))
      return share(first.column, ranks, box.value, range, k, flip, alone, limit)
    }
    return merged(shares, k)
  }

  /// The shares' candidates cut at the whole's k-th best rank; nil when a share gave up, or
  /// fewer than k rows have a value (the nulls would be needed too: no pruning then).
  private static func merged(
    _ shares: [(seen: [(row: Int, rank: UInt64)], size: Int, overflow: Bool)], _ k: Int
  ) -> [Int]? {
    guard shares.allSatisfy({ !$0.overflow }), shares.reduce(0, { $0 + $1.size }) >= k else {
      return nil
    }
    guard shares.count > 1 else { return shares[0].seen.map(\.row) }
    let seen = shares.flatMap(\.seen)
    var sortedRanks = seen.map(\.rank)
    sortedRanks.sort()
    let root = sortedRanks[k - 1]
    return seen.filter { $0.rank <= root }.map(\.row)
  }

  /// The candidates of the rows `0..<count` for two or more keys whose leading one takes
  /// few values (an int or date column of a range below 2^24, or text): each row ranked by
  /// its leading value's place among them in the top bits and by its second key's encoded
  /// value in the bits below, so that the rows tied on the leading key are told apart by
  /// the second instead of all being kept. A row's packed rank is never above that of a
  /// row after it in the order, so the rows no worse than the k-th best packed rank include
  /// the first k. Nil when the keys do not fit this.
  static func packedCandidates(_ keys: [SortKey], count: Int, k: Int) -> [Int]? {
    guard keys.count >= 2, k > 0, k <= count / 8 else { return nil }
    let (lead, next) = (keys[0], keys[1])
    guard !lead.nullsFirst, !next.nullsFirst else { return nil }
    let flip: UInt64 = next.descending ? ~0 : 0
    switch lead.column {
    case .int(let c), .date(let c):
      let (lo, hi) = Extremes.ofValid(c)
      let (width, overflow) = hi.subtractingReportingOverflow(lo)
      guard lo <= hi, !overflow, width < 1 << 24 else { return nil }
      let place = IntPlace(
        values: c.values, base: lead.descending ? hi : lo, descending: lead.descending)
      return packed(place, span: width, next, flip, lead.column.validity, count: count, k: k)
    case .text(let c):
      guard c.dictionary.count < 1 << 24 else { return nil }
      let span = max(0, c.dictionary.count - 1)
      let place = TextPlace(
        codes: c.codes, ranks: c.sortRanks(), last: UInt64(span), descending: lead.descending)
      return packed(place, span: span, next, flip, lead.column.validity, count: count, k: k)
    default:
      return nil
    }
  }

  /// `packedCandidates` with the leading key's places read by `place`.
  private static func packed<P: PackedPart>(
    _ place: P, span: Int, _ next: SortKey, _ flip: UInt64, _ validity: Validity, count: Int,
    k: Int
  ) -> [Int]? {
    switch next.column {
    case .int(let c), .date(let c):
      return packed(
        place, span: span, IntEncoded(values: c.values, flip: flip), next.column.validity,
        validity, count: count, k: k)
    case .float(let c):
      return packed(
        place, span: span, FloatEncoded(values: c.values, flip: flip), next.column.validity,
        validity, count: count, k: k)
    case .text(let c):
      return packed(
        place, span: span, TextEncoded(codes: c.codes, ranks: c.sortRanks(), flip: flip),
        next.column.validity, validity, count: count, k: k)
    case .bool:
      return nil
    }
  }

  private static func packed<P: PackedPart, E: PackedPart>(
    _ place: P, span: Int, _ encoded: E, _ nextValidity: Validity, _ validity: Validity,
    count: Int, k: Int
  ) -> [Int]? {
    let bits = UInt64(64 - UInt64(span).leadingZeroBitCount)
    let parts = count >= Tuning.splitRows ? Tuning.cores : 1
    let shares = Parallel.map(parts, spread: parts > 1) { p in
      let range = p * count / parts..<(p + 1) * count / parts
      // (With one leading value, every place is 0 and the masked shift by 64 is by 0.)
      return share(ContiguousRows(start: 0), range, k, validity, 0, false, range.count / 4) {
        r in
        let second = nextValidity.isValid(r) ? encoded(r) : UInt64.max
        return place(r) &<< (64 &- bits) | second &>> bits
      }
    }
    return merged(shares, k)
  }

  /// One share of `candidates`: the leading column's values (a text's by their `ranks`)
  /// over `rows[range]`.
  @inline(__always)
  private static func share<R: RowIndexing>(
    _ column: Column, _ ranks: [UInt32]?, _ rows: R, _ range: Range<Int>, _ k: Int,
    _ flip: UInt64, _ alone: Bool, _ limit: Int
  ) -> (seen: [(row: Int, rank: UInt64)], size: Int, overflow: Bool) {
    switch column {
    case .int(let c), .date(let c):
      return c.values.withUnsafeBufferPointer { v in
        share(rows, range, k, c.validity, flip, alone, limit) { EncodedKeys.encode(v[$0]) }
      }
    case .float(let c):
      return c.values.withUnsafeBufferPointer { v in
        share(rows, range, k, c.validity, flip, alone, limit) { EncodedKeys.encode(v[$0]) }
      }
    case .text(let c):
      return c.codes.withUnsafeBufferPointer { codes in
        (ranks ?? []).withUnsafeBufferPointer { ranks in
          share(rows, range, k, c.validity, flip, alone, limit) { UInt64(ranks[Int(codes[$0])]) }
        }
      }
    case .bool:
      return ([], 0, true)
    }
  }

  /// Rows a top-k pass tests together against its heap's root (`candidates`).
  static let skippedBlock = 64

  /// One share's pass over `rows[range]`: the rows no worse than the k-th best of the share
  /// (every row with a value while the share has fewer than k), with their ranks; and how
  /// many rows with a value its heap holds (at most k). `overflow` when so many rows tie
  /// near the top that pruning would not pay.
  @inline(__always)
  private static func share<R: RowIndexing>(
    _ rows: R, _ range: Range<Int>, _ k: Int, _ validity: Validity, _ flip: UInt64,
    _ alone: Bool, _ limit: Int, _ key: (Int) -> UInt64
  ) -> (seen: [(row: Int, rank: UInt64)], size: Int, overflow: Bool) {
    // A max-heap of the k smallest ranks seen so far (its root the k-th smallest), and every
    // row that was no worse than the root when it came: the final candidates are among them.
    var heap = [UInt64](repeating: 0, count: k)
    var size = 0
    var root = UInt64.max
    var seen: [(row: Int, rank: UInt64)] = []
    var overflow = false
    heap.withUnsafeMutableBufferPointer { heap in
      var start = range.lowerBound
      while start < range.upperBound {
        let end = min(start + Sorting.skippedBlock, range.upperBound)
        defer { start = end }
        // Once the heap is full, a block of rows none of which beats its root is passed
        // over with no branch per row.
        if size == k && !validity.hasNulls {
          var best = UInt64.max
          for j in start..<end { best = min(best, key(rows[j]) ^ flip) }
          if alone ? best >= root : best > root { continue }
        }
        for i in start..<end {
          let row = rows[i]
          if validity.hasNulls && !validity.isValid(row) { continue }
          let r = key(row) ^ flip
          // Once the heap is full, a rank above its root is no candidate; with `alone`, nor
          // is the root's (a tie comes after the heap's rows of that rank in the order).
          if size == k && (r > root || (alone && r == root)) { continue }
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
    }
    return (size == k ? seen.filter { $0.rank <= root } : seen, size, overflow)
  }
}

/// One key's part of a packed rank (`Sorting.packedCandidates`): smaller comes first.
protocol PackedPart: Sendable {
  func callAsFunction(_ row: Int) -> UInt64
}

/// An int's place in its range, from the first value in the order.
private struct IntPlace: PackedPart {
  let values: [Int]
  let base: Int
  let descending: Bool
  @inline(__always) func callAsFunction(_ row: Int) -> UInt64 {
    UInt64(bitPattern: Int64(descending ? base &- values[row] : values[row] &- base))
  }
}

/// A text's place among its dictionary's values in their order.
private struct TextPlace: PackedPart {
  let codes: [UInt32]
  let ranks: [UInt32]
  let last: UInt64
  let descending: Bool
  @inline(__always) func callAsFunction(_ row: Int) -> UInt64 {
    let rank = UInt64(ranks[Int(codes[row])])
    return descending ? last &- rank : rank
  }
}

/// An int's order-preserving key (`flip`: all bits, for descending).
private struct IntEncoded: PackedPart {
  let values: [Int]
  let flip: UInt64
  @inline(__always) func callAsFunction(_ row: Int) -> UInt64 {
    EncodedKeys.encode(values[row]) ^ flip
  }
}

/// A float's order-preserving key.
private struct FloatEncoded: PackedPart {
  let values: [Double]
  let flip: UInt64
  @inline(__always) func callAsFunction(_ row: Int) -> UInt64 {
    EncodedKeys.encode(values[row]) ^ flip
  }
}

/// A text's rank in its dictionary's order, in the top bits.
private struct TextEncoded: PackedPart {
  let codes: [UInt32]
  let ranks: [UInt32]
  let flip: UInt64
  @inline(__always) func callAsFunction(_ row: Int) -> UInt64 {
    (UInt64(ranks[Int(codes[row])]) << 32) ^ flip
  }
}
