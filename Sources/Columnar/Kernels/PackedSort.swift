/// Sorting by several keys at once, their encoded values packed into 64-bit words: each
/// key's value becomes its offset from the key's least (or, descending, from its greatest),
/// with a slot for null before or after, in as many bits as its range needs; the keys are
/// packed most significant first, and the words are sorted by a stable radix sort. The
/// order is exactly `RowOrder`'s, ties in input order.
enum PackedSort {
  /// The stable order of `rows` (as positions into `rows`): the keys packed into as few
  /// words as their bits allow (a key never splits across two words), then one LSD radix
  /// sort over the words. Nil when a key needs more than 64 bits or the keys more than
  /// `maxWords` words (comparisons then cost less than the passes).
  static func positions(
    _ encoded: [EncodedKeys], descending: [Bool], nullsFirst: [Bool], rows: [Int],
    maxWords: Int
  ) -> [Int]? {
    guard
      let (words, widths) = packWords(
        encoded, descending: descending, nullsFirst: nullsFirst, rows: rows, maxWords: maxWords)
    else { return nil }
    return radixSort(words, bits: widths, keepWords: false).order
  }

  /// One key's codes in `pack`: its least and greatest value over the rows (both 0 when
  /// none is valid), whether a row is null, and the bits the codes take (65: too many).
  struct KeyRange {
    var lo = UInt64.max
    var hi = UInt64.min
    var nulls = false
    var bits = 0

    init(_ e: EncodedKeys, rows: [Int]?) {
      e.keys.withUnsafeBufferPointer { keys in
        if rows == nil && !e.validity.hasNulls {
          // Every row, none null: a plain pass.
          for k in keys {
            lo = min(lo, k)
            hi = max(hi, k)
          }
          return
        }
        for i in 0..<(rows?.count ?? keys.count) {
          let r = rows?[i] ?? i
          if e.validity.isValid(r) {
            lo = min(lo, keys[r])
            hi = max(hi, keys[r])
          } else {
            nulls = true
          }
        }
      }
      bits = PackedSort.bits(lo: lo, hi: hi, nulls: nulls)
      if lo > hi { (lo, hi) = (0, 0) }
    }
  }

  /// The bits of codes from `lo` to `hi` (none when `lo > hi`), and one more code for null.
  static func bits(lo: UInt64, hi: UInt64, nulls: Bool) -> Int {
    if lo > hi { return nulls ? 1 : 0 }
    let (span, o) = (hi - lo).addingReportingOverflow(nulls ? 1 : 0)
    return o ? 65 : span == 0 ? 0 : UInt64.bitWidth - span.leadingZeroBitCount
  }

  /// Keys split into words in order, the bits of each word's keys adding up to at most 64
  /// (a key never splits across two words): each word's keys by index. Nil when a key
  /// needs more than 64 bits.
  static func words(forBits widths: [Int]) -> [[Int]]? {
    var groups: [[Int]] = [[]]
    var used = 0
    for (k, width) in widths.enumerated() {
      if width > 64 { return nil }
      if used + width > 64 {
        groups.append([])
        used = 0
      }
      groups[groups.count - 1].append(k)
      used += width
    }
    return groups.filter { !$0.isEmpty }
  }

  /// One word per row (of `rows`, or every row) whose order is the keys' order, from
  /// their ranges; nil when the keys need more than 64 bits.
  private static func pack(
    _ encoded: [EncodedKeys], _ ranges: [KeyRange], descending: [Bool], nullsFirst: [Bool],
    rows: [Int]?
  ) -> (words: [UInt64], bits: Int)? {
    let count = rows?.count ?? encoded.first?.keys.count ?? 0
    let total = ranges.reduce(0) { $0 + $1.bits }
    guard total <= 64 else { return nil }
    var packed = [UInt64](repeating: 0, count: count)
    for (k, e) in encoded.enumerated() {
      let p = ranges[k]
      guard p.bits > 0 else { continue }
      let desc = descending[k]
      let first = nullsFirst[k]
      let nullCode: UInt64 = first ? 0 : p.hi &- p.lo &+ 1
      let base: UInt64 = first && p.nulls ? 1 : 0
      packed.withUnsafeMutableBufferPointer { out in
        e.keys.withUnsafeBufferPointer { keys in
          if rows == nil && !e.validity.hasNulls && !desc {
            let (shift, lo) = (UInt64(p.bits), p.lo &- base)
            for i in 0..<count { out[i] = out[i] << shift | (keys[i] &- lo) }
            return
          }
          for i in 0..<count {
            let r = rows?[i] ?? i
            let code =
              e.validity.isValid(r) ? base + (desc ? p.hi - keys[r] : keys[r] - p.lo) : nullCode
            out[i] = out[i] << UInt64(p.bits) | code
          }
        }
      }
    }
    return (packed, total)
  }

  /// The stable order of `keys` by an LSD radix sort on 8-bit digits, skipping digits
  /// that every key shares; and the keys in that order. From `Tuning.splitRows` keys on,
  /// each pass runs on every core: each core counts the digits of its own share of the
  /// rows, then moves its share to where the counts of the shares before it end, so the
  /// order is the one-core order exactly (stable: an earlier share's rows come first).
  ///
  /// Byte digits make more passes than 11-bit ones (seven for 50 bits, not five) but each
  /// pass writes to 256 places per array instead of 2,048, which the caches and the TLB
  /// hold: 10 million 50-bit keys sorted in about 0.45 s on one core against 0.7 s. The
  /// rows are carried as 32-bit numbers while they fit, for less memory moved per pass.
  static func radixSort(_ input: [UInt64], bits: Int) -> (order: [Int], keys: [UInt64]) {
    let n = input.count
    guard n > 1, bits > 0 else { return (Array(0..<n), input) }
    if n <= Int(UInt32.max) {
      let (order, keys) = radixPasses(input, bits: bits, rows: UInt32.self)
      return (order.map { Int($0) }, keys)
    }
    return radixPasses(input, bits: bits, rows: Int.self)
  }

  /// From this many keys of more than 16 bits on, `radixSort` splits the keys by their top
  /// byte first and sorts each of the 256 buckets on its own (`bucketed`).
  static let bucketedFrom = 1 << 18

  /// The passes of `radixSort`, the rows carried as `I`.
  private static func radixPasses<I: FixedWidthInteger & Sendable>(
    _ input: [UInt64], bits: Int, rows: I.Type
  ) -> (order: [I], keys: [UInt64]) {
    let n = input.count
    if n >= bucketedFrom && bits > 16 { return bucketed(input, bits: bits, rows: rows) }
    var keys = input
    var order = [I](unsafeUninitializedCapacity: n) { buffer, count in
      for i in 0..<n { buffer[i] = I(truncatingIfNeeded: i) }
      count = n
    }
    // Every pass writes all of its output before the next reads it.
    var nextKeys = [UInt64](unsafeUninitializedCapacity: n) { _, count in count = n }
    var nextOrder = [I](unsafeUninitializedCapacity: n) { _, count in count = n }
    var first = true
    for shift in stride(from: 0, to: bits, by: 8) {
      let moved = keys.withUnsafeBufferPointer { k in
        order.withUnsafeBufferPointer { o in
          nextKeys.withUnsafeMutableBufferPointer { nk in
            nextOrder.withUnsafeMutableBufferPointer { no in
              bytePass(k, o, into: nk, no, shift: UInt64(shift), skipShared: true).moved
            }
          }
        }
      }
      guard moved else { continue }
      swap(&keys, &nextKeys)
      swap(&order, &nextOrder)
      if first {
        // The input's own copy is no place to write: a fresh array is cheaper than copying
        // it on the next pass's first write.
        nextKeys = [UInt64](unsafeUninitializedCapacity: n) { _, count in count = n }
        first = false
      }
    }
    return (order, keys)
  }

  /// One stable pass by the byte digit at `shift`: `keys` and their rows (`order`, or the
  /// positions themselves when it is empty) moved to `nk` and `no`, in the order of that
  /// digit. From `Tuning.splitRows` keys on, each core counts the digits of its own share
  /// of the keys, then moves its share to where the counts of the shares before it end, so
  /// the order is the one-core order exactly (stable: an earlier share's keys come first).
  /// Returns where each digit's keys start (and `n` last), and whether the keys were moved:
  /// not when `skipShared` and every key has the same digit.
  private static func bytePass<I: FixedWidthInteger & Sendable>(
    _ keys: UnsafeBufferPointer<UInt64>, _ order: UnsafeBufferPointer<I>,
    into nk: UnsafeMutableBufferPointer<UInt64>, _ no: UnsafeMutableBufferPointer<I>,
    shift: UInt64, skipShared: Bool
  ) -> (starts: [Int], moved: Bool) {
    let n = keys.count
    let parts = n >= Tuning.splitRows ? Tuning.cores : 1
    let bounds = (0...parts).map { $0 * n / parts }
    // counts[p * 256 + d]: share p's keys with digit d; then where share p puts them.
    var counts = [Int](repeating: 0, count: parts * 256)
    counts.withUnsafeMutableBufferPointer { c in
      let (keys, counts) = (SharedBuffer(mutating: keys), SharedBuffer(c))
      Parallel.each(parts) { p in
        for i in bounds[p]..<bounds[p + 1] {
          counts.buffer[p * 256 + Int(truncatingIfNeeded: keys.buffer[i] >> shift) & 255] += 1
        }
      }
    }
    let starts = shareStarts(&counts, parts: parts, n: n)
    let shared = (0..<256).contains { starts[$0 + 1] - starts[$0] == n }
    if shared && skipShared { return (starts, false) }
    counts.withUnsafeMutableBufferPointer { c in
      let (keys, order) = (SharedBuffer(mutating: keys), SharedBuffer(mutating: order))
      let (nk, no, counts) = (SharedBuffer(nk), SharedBuffer(no), SharedBuffer(c))
      let identity = order.buffer.isEmpty
      Parallel.each(parts) { p in
        for i in bounds[p]..<bounds[p + 1] {
          let key = keys.buffer[i]
          let d = p * 256 + Int(truncatingIfNeeded: key >> shift) & 255
          let at = counts.buffer[d]
          counts.buffer[d] = at + 1
          nk.buffer[at] = key
          no.buffer[at] = identity ? I(truncatingIfNeeded: i) : order.buffer[i]
        }
      }
    }
    return (starts, true)
  }

  /// `radixSort` by the top byte digit first (one `bytePass`), then each of the 256 buckets
  /// by its lower digits from the least significant (`sortRange`), the buckets shared
  /// between the cores. A bucket of a large table holds a few hundred KB, so its passes run
  /// in the cache: one pass over memory instead of one per digit (10M 50-bit keys: seven).
  private static func bucketed<I: FixedWidthInteger & Sendable>(
    _ input: [UInt64], bits: Int, rows _: I.Type
  ) -> (order: [I], keys: [UInt64]) {
    let n = input.count
    let shift = bits - 8
    var keys = [UInt64](unsafeUninitializedCapacity: n) { _, count in count = n }
    var order = [I](unsafeUninitializedCapacity: n) { _, count in count = n }
    let lanes = n >= Tuning.splitRows ? Tuning.cores : 1
    input.withUnsafeBufferPointer { k in
      keys.withUnsafeMutableBufferPointer { nk in
        order.withUnsafeMutableBufferPointer { no in
          let starts = bytePass(
            k, UnsafeBufferPointer(start: nil, count: 0), into: nk, no, shift: UInt64(shift),
            skipShared: false
          ).starts
          let largest = (0..<256).map { starts[$0 + 1] - starts[$0] }.max() ?? 0
          let (nk, no) = (SharedBuffer(nk), SharedBuffer(no))
          Parallel.claim(256, lanes: lanes) { next in
            var scratchKeys = [UInt64](repeating: 0, count: largest)
            var scratchOrder = [I](repeating: 0, count: largest)
            scratchKeys.withUnsafeMutableBufferPointer { sk in
              scratchOrder.withUnsafeMutableBufferPointer { so in
                while let b = next() {
                  guard starts[b + 1] - starts[b] > 1 else { continue }
                  let range = starts[b]..<starts[b + 1]
                  sortRange(
                    UnsafeMutableBufferPointer(rebasing: nk.buffer[range]),
                    UnsafeMutableBufferPointer(rebasing: no.buffer[range]), sk, so, bits: shift)
                }
              }
            }
          }
        }
      }
    }
    return (order, keys)
  }

  /// Sorts `keys` (and `order` with them) stably by their low `bits` bits, LSD on byte
  /// digits skipping those every key shares, through the scratch buffers (at least as
  /// long); the result ends in `keys` and `order`.
  private static func sortRange<I: FixedWidthInteger>(
    _ keys: UnsafeMutableBufferPointer<UInt64>, _ order: UnsafeMutableBufferPointer<I>,
    _ scratchKeys: UnsafeMutableBufferPointer<UInt64>,
    _ scratchOrder: UnsafeMutableBufferPointer<I>, bits: Int
  ) {
    let m = keys.count
    let digits = (bits + 7) / 8
    guard digits > 0, let k0 = keys.baseAddress, let o0 = order.baseAddress,
      let k1 = scratchKeys.baseAddress, let o1 = scratchOrder.baseAddress
    else { return }
    // Every digit's counts in one pass: they do not depend on the keys' order.
    var counts = [Int](repeating: 0, count: digits * 256)
    counts.withUnsafeMutableBufferPointer { c in
      for i in 0..<m {
        let key = k0[i]
        for j in 0..<digits {
          c[j * 256 + Int(truncatingIfNeeded: key >> UInt64(8 * j)) & 255] += 1
        }
      }
      var (fromKeys, fromOrder, toKeys, toOrder) = (k0, o0, k1, o1)
      for j in 0..<digits {
        let base = j * 256
        if startDigits(c, base: base, rows: m) { continue }
        let s = UInt64(8 * j)
        for i in 0..<m {
          let key = fromKeys[i]
          let d = base + Int(truncatingIfNeeded: key >> s) & 255
          let at = c[d]
          c[d] = at + 1
          toKeys[at] = key
          toOrder[at] = fromOrder[i]
        }
        swap(&fromKeys, &toKeys)
        swap(&fromOrder, &toOrder)
      }
      if fromKeys != k0 {
        k0.update(from: fromKeys, count: m)
        o0.update(from: fromOrder, count: m)
      }
    }
  }

  /// Turns each share's digit counts (`counts[p * 256 + d]`) into where that share's keys of
  /// that digit go (after every key of a lower digit, and after the earlier shares' keys of
  /// the same digit); where each digit's keys start, and `n` last.
  static func shareStarts(_ counts: inout [Int], parts: Int, n: Int) -> [Int] {
    var starts = [Int](repeating: 0, count: 257)
    var running = 0
    for d in 0..<256 {
      starts[d] = running
      for p in 0..<parts {
        let c = counts[p * 256 + d]
        counts[p * 256 + d] = running
        running += c
      }
    }
    starts[256] = n
    return starts
  }

  /// Turns one digit's 256 counts (`c[base...]`) into where each digit's rows start; true
  /// when one digit holds all `rows` rows (the pass would move nothing: skipped).
  @inline(__always)
  static func startDigits(_ c: UnsafeMutableBufferPointer<Int>, base: Int, rows: Int) -> Bool {
    var running = 0
    var shared = false
    for d in 0..<256 {
      let count = c[base + d]
      if count == rows { shared = true }
      c[base + d] = running
      running += count
    }
    return shared
  }

  /// Keys packed into as few words as each key's bits allow (a key never splits across
  /// two words), most significant word first, with the bits each word uses: over `rows`
  /// (or every row), ascending and nulls last unless said. Nil when a single key needs
  /// more than 64 bits, or the keys more than `maxWords` words.
  static func packWords(
    _ encoded: [EncodedKeys], descending: [Bool]? = nil, nullsFirst: [Bool]? = nil,
    rows: [Int]? = nil, maxWords: Int = .max
  ) -> (words: [[UInt64]], bits: [Int])? {
    let ranges = encoded.map { KeyRange($0, rows: rows) }
    guard let groups = words(forBits: ranges.map(\.bits)), groups.count <= maxWords else {
      return nil
    }
    var words: [[UInt64]] = []
    var widths: [Int] = []
    for g in groups {
      guard
        let (w, b) = pack(
          g.map { encoded[$0] }, g.map { ranges[$0] },
          descending: g.map { descending?[$0] ?? false },
          nullsFirst: g.map { nullsFirst?[$0] ?? false }, rows: rows)
      else { return nil }
      words.append(w)
      widths.append(b)
    }
    return (words, widths)
  }

  /// The stable order of rows by several words each (most significant first), and the
  /// words in that order: one LSD radix sort over the words from the least significant.
  static func radixSort(_ input: consuming [[UInt64]], bits: [Int], keepWords: Bool = true)
    -> (order: [Int], words: [[UInt64]])
  {
    guard let last = input.indices.last else { return ([], []) }
    if input.count == 1 {
      let (order, keys) = radixSort(input[0], bits: bits[0])
      return (order, [keys])
    }
    if input[0].count >= bucketedFrom {
      let (order, words) = bucketedWords(consume input, bits: bits)
      return (order, keepWords ? words : [])
    }
    // Sort by the least significant word, then stably by each more significant one,
    // carrying the rows' other words along.
    var (order, _) = radixSort(input[last], bits: bits[last])
    for w in stride(from: last - 1, through: 0, by: -1) {
      let keys = order.map { input[w][$0] }
      let (next, _) = radixSort(keys, bits: bits[w])
      order = next.map { order[$0] }
    }
    // (Without `keepWords`, only the order: the words are not gathered into it.)
    let words = keepWords ? input.map { column in order.map { column[$0] } } : []
    return (order, words)
  }
}
