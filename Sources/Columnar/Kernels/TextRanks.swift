/// The order of text values by their UTF-8 bytes, found by a radix sort.
///
/// The bytes every value shares at its start are skipped. Each byte position after them gets
/// its own small alphabet: the bytes that occur there, plus an end mark below every byte for
/// the values that have ended. Each position's symbols are numbered in order, in as few bits
/// as that alphabet needs, and the positions are packed into up to three 64-bit words. Ten
/// digits then take four bits, so `id0001234567` and its kind sort in three radix passes.
/// When every value ends inside the packed positions, the words decide the order alone.
/// Otherwise the runs that tie on every word are sorted by comparing their bytes.
struct TextRanks {
  let values: [String]
  /// Every value's bytes, one after another: value `i` is `bytes[starts[i]..<starts[i + 1]]`.
  private var bytes: [UInt8]
  private var starts: [Int]

  /// Words per value at most; positions that do not fit are compared byte by byte.
  static let maxWords = 3

  init(_ values: [String]) {
    self.values = values
    let d = values.count
    var starts = [Int](repeating: 0, count: d + 1)
    for i in 0..<d { starts[i + 1] = starts[i] + values[i].utf8.count }
    var bytes = [UInt8](repeating: 0, count: starts[d])
    bytes.withUnsafeMutableBufferPointer { out in
      let shared = SharedBuffer(out)
      Parallel.each(TextRanks.parts(d)) { [starts] p in
        for i in TextRanks.share(p, of: d) {
          var value = values[i]
          value.withUTF8 { utf8 in
            let target = UnsafeMutableBufferPointer(
              rebasing: shared.buffer[starts[i]..<starts[i + 1]])
            _ = target.update(fromContentsOf: utf8)
          }
        }
      }
    }
    self.bytes = bytes
    self.starts = starts
  }

  /// For each value, its position in the order (equal values share one).
  func ranks() -> [UInt32] {
    let (order, words, exact) = sorted()
    let d = values.count
    var ranks = [UInt32](repeating: 0, count: d)
    var rank: UInt32 = 0
    for k in 0..<d {
      if k > 0 {
        let (x, y) = (order[k - 1], order[k])
        let tied = words.allSatisfy { $0[k] == $0[k - 1] }
        if !tied || !(exact || same(x, y)) { rank += 1 }
      }
      ranks[order[k]] = rank
    }
    return ranks
  }

  /// The values' positions in ascending order of their bytes (equal values in the order of
  /// their positions).
  func order() -> [Int] {
    sorted().order
  }

  /// The order, the packed words in that order, and whether the words alone decide it.
  private func sorted() -> (order: [Int], words: [[UInt64]], exact: Bool) {
    let d = values.count
    guard d > 1 else { return (Array(0..<d), [], true) }
    let plan = layout()
    let words = pack(plan)
    let (radixOrder, sortedWords) = PackedSort.radixSort(words, bits: plan.wordBits)
    var order = radixOrder
    if !plan.exact {
      // Runs that tie on every word: sorted by the bytes past them.
      var i = 0
      while i < d {
        var j = i + 1
        while j < d && sortedWords.allSatisfy({ $0[j] == $0[i] }) { j += 1 }
        if j - i > 1 { order[i..<j].sort { less($0, $1) || (!less($1, $0) && $0 < $1) } }
        i = j
      }
    }
    return (order, sortedWords, plan.exact)
  }

  /// Which byte positions go into which word, and each position's symbol numbering.
  private struct Layout {
    /// The bytes every value starts with.
    var prefix = 0
    /// Each packed position: its offset from `prefix`, and the bits its codes take.
    var positions: [(offset: Int, bits: Int)] = []
    /// Packed position `j`'s code for the end mark at `codes[257 * j]`, and for byte `b`
    /// at `codes[257 * j + b + 1]`.
    var codes: [UInt64] = []
    /// For each word, the range of `positions` it holds, most significant word first.
    var words: [Range<Int>] = []
    /// The bits each word uses.
    var wordBits: [Int] = []
    /// Whether every value ends inside the positions read (so the words decide the order).
    var exact = true
  }

  private func layout() -> Layout {
    let d = values.count
    var plan = Layout()
    var longest = 0
    var prefix = starts[1] - starts[0]
    for i in 0..<d {
      let length = starts[i + 1] - starts[i]
      longest = max(longest, length)
      var k = 0
      let limit = min(prefix, length)
      while k < limit && bytes[starts[i] + k] == bytes[k] { k += 1 }
      prefix = k
    }
    plan.prefix = prefix
    var used = 0
    // Positions where every value has the same symbol decide nothing and are left out.
    for position in prefix..<longest {
      let present = alphabet(at: position)
      var codes = [UInt64](repeating: 0, count: 257)
      var next: UInt64 = 0
      for s in 0..<257 where present[s] {
        codes[s] = next
        next += 1
      }
      guard next > 1 else { continue }
      let bits = UInt64.bitWidth - (next - 1).leadingZeroBitCount
      if plan.words.isEmpty || used + bits > 64 {
        if plan.words.count == TextRanks.maxWords {
          plan.exact = false
          break
        }
        plan.words.append(plan.positions.count..<plan.positions.count)
        plan.wordBits.append(0)
        used = 0
      }
      plan.positions.append((position - prefix, bits))
      plan.codes.append(contentsOf: codes)
      let w = plan.words.count - 1
      plan.words[w] = plan.words[w].lowerBound..<plan.positions.count
      plan.wordBits[w] += bits
      used += bits
    }
    if plan.words.isEmpty {
      plan.words = [0..<0]
      plan.wordBits = [0]
    }
    return plan
  }

  /// Which symbols occur at byte `position`: index 0 the end mark, `b + 1` the byte `b`.
  private func alphabet(at position: Int) -> [Bool] {
    let d = values.count
    let parts = TextRanks.parts(d)
    var seen = [UInt8](repeating: 0, count: parts * 257)
    bytes.withUnsafeBufferPointer { b in
      seen.withUnsafeMutableBufferPointer { s in
        let (bytes, seen) = (SharedBuffer(mutating: b), SharedBuffer(s))
        Parallel.each(parts) { [starts] p in
          let base = p * 257
          for i in TextRanks.share(p, of: d) {
            let at = starts[i] + position
            seen.buffer[base + (at < starts[i + 1] ? Int(bytes.buffer[at]) + 1 : 0)] = 1
          }
        }
      }
    }
    return (0..<257).map { s in (0..<parts).contains { seen[$0 * 257 + s] != 0 } }
  }

  /// The packed words of every value, one array per word.
  private func pack(_ plan: Layout) -> [[UInt64]] {
    let d = values.count
    var words: [[UInt64]] = []
    for range in plan.words {
      var out = [UInt64](repeating: 0, count: d)
      bytes.withUnsafeBufferPointer { b in
        plan.codes.withUnsafeBufferPointer { c in
          out.withUnsafeMutableBufferPointer { o in
            let (bytes, codes, out) = (
              SharedBuffer(mutating: b), SharedBuffer(mutating: c), SharedBuffer(o)
            )
            Parallel.each(TextRanks.parts(d)) { [starts] p in
              for i in TextRanks.share(p, of: d) {
                let (from, to) = (starts[i] + plan.prefix, starts[i + 1])
                var word: UInt64 = 0
                for j in range {
                  let (offset, bits) = plan.positions[j]
                  let at = from + offset
                  let symbol = at < to ? Int(bytes.buffer[at]) + 1 : 0
                  word = word << UInt64(bits) | codes.buffer[257 * j + symbol]
                }
                out.buffer[i] = word
              }
            }
          }
        }
      }
      words.append(out)
    }
    return words
  }

  /// The shares the values are split into: one per core when there are many.
  private static func parts(_ d: Int) -> Int {
    d >= Tuning.splitRows / 8 ? Tuning.cores : 1
  }

  /// The values of share `p` of `d` values.
  private static func share(_ p: Int, of d: Int) -> Range<Int> {
    let parts = TextRanks.parts(d)
    return p * d / parts..<(p + 1) * d / parts
  }

  /// Whether value x's bytes come before value y's.
  private func less(_ x: Int, _ y: Int) -> Bool {
    let (p, q) = (starts[x], starts[y])
    let (m, n) = (starts[x + 1] - p, starts[y + 1] - q)
    var k = 0
    while k < m && k < n {
      if bytes[p + k] != bytes[q + k] { return bytes[p + k] < bytes[q + k] }
      k += 1
    }
    return m < n
  }

  /// Whether two values have the same bytes.
  private func same(_ x: Int, _ y: Int) -> Bool {
    let (p, q) = (starts[x], starts[y])
    let m = starts[x + 1] - p
    guard m == starts[y + 1] - q else { return false }
    for k in 0..<m where bytes[p + k] != bytes[q + k] { return false }
    return true
  }
}
