extension PackedSort {
  /// The stable order of rows by several words each (most significant first), and the
  /// words in that order, for many rows (`bucketedFrom` on): one pass moves every row's
  /// words, with its number, to the bucket of its lead word's top byte (on every core, each
  /// core's share after the shares before it, so the order stays stable); then each bucket
  /// is sorted by the rest of its digits, the least significant first (the last word's,
  /// then the word before's, up to the lead word's lower bits), with the buckets shared
  /// between the cores.
  ///
  /// A bucket of a large table holds a few hundred thousand rows, so its passes run in the
  /// cache. Sorting word by word instead, each word after the first read in the order of
  /// the last sort, costs a random read per row and word: at 1e8 rows of two words, those
  /// reads took longer than all the sorting.
  ///
  /// (Keys of one word keep `bucketed`, which moves one key and its row per step: run
  /// through here, the six-key group at K = 2 took 0.737 s against 0.706, and a sort by
  /// `v3` 0.685 against 0.651.)
  ///
  /// The input words are let go once spread (when no one else holds them), before the
  /// order is made, so that the order takes their memory rather than fresh pages (at 10^8
  /// rows, 800 MB of the 1.6 GB they free).
  static func bucketedWords(_ input: consuming [[UInt64]], bits: [Int]) -> (
    order: [Int], words: [[UInt64]]
  ) {
    let n = input.first?.count ?? 0
    if n <= Int(UInt32.max) { return bucketedWords(&input, bits: bits, rows: UInt32.self) }
    return bucketedWords(&input, bits: bits, rows: Int.self)
  }

  private static func bucketedWords<I: FixedWidthInteger & Sendable>(
    _ input: inout [[UInt64]], bits: [Int], rows _: I.Type
  ) -> (order: [Int], words: [[UInt64]]) {
    let m = input.count
    let n = input.first?.count ?? 0
    let shift = max(0, bits[0] - 8)
    let words = (0..<m).map { _ in
      WordArray([UInt64](unsafeUninitializedCapacity: n) { _, count in count = n })
    }
    var rows = [I](unsafeUninitializedCapacity: n) { _, count in count = n }
    // The lower digits each bucket is sorted by, least significant first: (word, shift).
    var lower: [(Int, Int)] = []
    for w in stride(from: m - 1, through: 1, by: -1) {
      for s in stride(from: 0, to: bits[w], by: 8) { lower.append((w, s)) }
    }
    for s in stride(from: 0, to: shift, by: 8) { lower.append((0, s)) }
    let digits = lower
    let starts = WordArray.withPointers(reading: input) { source in
      WordArray.withPointers(words) { target in
        rows.withUnsafeMutableBufferPointer { rows in
          spread(source, into: target, SharedBuffer(rows), n: n, shift: shift)
        }
      }
    }
    input = []
    var order = [Int](unsafeUninitializedCapacity: n) { _, count in count = n }
    let largest = (0..<256).map { starts[$0 + 1] - starts[$0] }.max() ?? 0
    let lanes = n >= Tuning.splitRows ? Tuning.cores : 1
    WordArray.withPointers(words) { target in
      rows.withUnsafeMutableBufferPointer { rows in
        order.withUnsafeMutableBufferPointer { order in
          let (rows, order) = (SharedBuffer(rows), SharedBuffer(order))
          Parallel.claim(256, lanes: lanes) { next in
            let scratch = (0..<m).map { _ in WordArray([UInt64](repeating: 0, count: largest)) }
            var scratchRows = [I](repeating: 0, count: largest)
            WordArray.withPointers(scratch) { scratch in
              scratchRows.withUnsafeMutableBufferPointer { scratchRows in
                while let b = next() {
                  let range = starts[b]..<starts[b + 1]
                  sortBucket(
                    target.value.map { $0 + range.lowerBound }, rows.buffer, scratch.value,
                    scratchRows, range: range, digits: digits)
                  for i in range { order.buffer[i] = Int(rows.buffer[i]) }
                }
              }
            }
          }
        }
      }
    }
    return (order, words.map(\.values))
  }

  /// Moves each row's words and number to the bucket of its lead word's byte at `shift`,
  /// stably, each core its share of the rows; where each bucket starts (and `n` last).
  private static func spread<I: FixedWidthInteger & Sendable>(
    _ source: Unchecked<[UnsafeMutablePointer<UInt64>]>,
    into target: Unchecked<[UnsafeMutablePointer<UInt64>]>, _ rows: SharedBuffer<I>, n: Int,
    shift: Int
  ) -> [Int] {
    let parts = n >= Tuning.splitRows ? Tuning.cores : 1
    let bounds = (0...parts).map { $0 * n / parts }
    let lead = SharedBuffer(UnsafeMutableBufferPointer(start: source.value[0], count: n))
    var counts = [Int](repeating: 0, count: parts * 256)
    counts.withUnsafeMutableBufferPointer { c in
      let counts = SharedBuffer(c)
      Parallel.each(parts) { p in
        for i in bounds[p]..<bounds[p + 1] {
          let d = Int(truncatingIfNeeded: lead.buffer[i] >> UInt64(shift)) & 255
          counts.buffer[p * 256 + d] += 1
        }
      }
    }
    let starts = shareStarts(&counts, parts: parts, n: n)
    counts.withUnsafeMutableBufferPointer { c in
      let counts = SharedBuffer(c)
      Parallel.each(parts) { p in
        let (from, to) = (source.value, target.value)
        for i in bounds[p]..<bounds[p + 1] {
          let d = p * 256 + Int(truncatingIfNeeded: lead.buffer[i] >> UInt64(shift)) & 255
          let at = counts.buffer[d]
          counts.buffer[d] = at + 1
          for w in 0..<from.count { to[w][at] = from[w][i] }
          rows.buffer[at] = I(truncatingIfNeeded: i)
        }
      }
    }
    return starts
  }

  /// Sorts one bucket's rows (`words[w][0..<count]`, `rows[range]`) stably by `digits` in
  /// turn, through the scratch buffers; the result ends in place.
  private static func sortBucket<I: FixedWidthInteger>(
    _ words: [UnsafeMutablePointer<UInt64>], _ rows: UnsafeMutableBufferPointer<I>,
    _ scratch: [UnsafeMutablePointer<UInt64>], _ scratchRows: UnsafeMutableBufferPointer<I>,
    range: Range<Int>, digits: [(Int, Int)]
  ) {
    let count = range.count
    guard count > 1, !digits.isEmpty, let rowBase = rows.baseAddress,
      let scratchBase = scratchRows.baseAddress
    else { return }
    let m = words.count
    let home = rowBase + range.lowerBound
    // Every digit's counts in one pass: they do not depend on the rows' order.
    var counts = [Int](repeating: 0, count: digits.count * 256)
    counts.withUnsafeMutableBufferPointer { c in
      for (j, (w, s)) in digits.enumerated() {
        let word = words[w]
        for i in 0..<count {
          c[j * 256 + Int(truncatingIfNeeded: word[i] >> UInt64(s)) & 255] += 1
        }
      }
      var (from, fromRows) = (words, home)
      var (to, toRows) = (scratch, scratchBase)
      for (j, (w, s)) in digits.enumerated() {
        let base = j * 256
        if startDigits(c, base: base, rows: count) { continue }
        let key = from[w]
        for i in 0..<count {
          let d = base + Int(truncatingIfNeeded: key[i] >> UInt64(s)) & 255
          let at = c[d]
          c[d] = at + 1
          for v in 0..<m { to[v][at] = from[v][i] }
          toRows[at] = fromRows[i]
        }
        swap(&from, &to)
        swap(&fromRows, &toRows)
      }
      if fromRows != home {
        for v in 0..<m { words[v].update(from: from[v], count: count) }
        home.update(from: fromRows, count: count)
      }
    }
  }
}

/// One array of words, in a class so that several can lend their addresses at once (an
/// array of arrays cannot lend two of its elements' without overlapping accesses).
private final class WordArray {
  var values: [UInt64]
  init(_ values: [UInt64]) { self.values = values }

  /// `body` with the address of each array's first word (the arrays are not empty).
  static func withPointers<T>(
    _ arrays: [WordArray], _ body: (Unchecked<[UnsafeMutablePointer<UInt64>]>) -> T
  ) -> T {
    func next(_ w: Int, _ pointers: [UnsafeMutablePointer<UInt64>]) -> T {
      guard w < arrays.count else { return body(Unchecked(pointers)) }
      return arrays[w].values.withUnsafeMutableBufferPointer { p in
        guard let base = p.baseAddress else { return body(Unchecked([])) }
        return next(w + 1, pointers + [base])
      }
    }
    return next(0, [])
  }

  /// `body` with the address of each array's first word, only to be read through.
  static func withPointers<T>(
    reading arrays: [[UInt64]], _ body: (Unchecked<[UnsafeMutablePointer<UInt64>]>) -> T
  ) -> T {
    func next(_ w: Int, _ pointers: [UnsafeMutablePointer<UInt64>]) -> T {
      guard w < arrays.count else { return body(Unchecked(pointers)) }
      return arrays[w].withUnsafeBufferPointer { p in
        guard let base = p.baseAddress else { return body(Unchecked([])) }
        return next(w + 1, pointers + [UnsafeMutablePointer(mutating: base)])
      }
    }
    return next(0, [])
  }
}
