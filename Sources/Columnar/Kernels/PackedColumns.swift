extension PackedSort {
  /// `packWords` read straight from the key columns: each column's order-preserving codes
  /// are found and shifted into the words one column at a time, without an encoded copy of
  /// every key first (six keys of 10 million rows: 480 MB less at the peak). The words and
  /// bits are `packWords(columns.map(EncodedKeys.init))`'s exactly.
  static func packWords(columns: [Column]) -> (words: [[UInt64]], bits: [Int])? {
    let keys = columns.map(KeySource.init)
    var groups: [[KeySource]] = [[]]
    var used = 0
    for k in keys {
      if k.bits > 64 { return nil }
      if used + k.bits > 64 {
        groups.append([])
        used = 0
      }
      groups[groups.count - 1].append(k)
      used += k.bits
    }
    var words: [[UInt64]] = []
    var bits: [Int] = []
    let n = columns.first?.count ?? 0
    for g in groups where !g.isEmpty {
      var word = [UInt64](repeating: 0, count: n)
      word.withUnsafeMutableBufferPointer { out in
        for k in g where k.bits > 0 { k.shift(into: out) }
      }
      words.append(word)
      bits.append(g.reduce(0) { $0 + $1.bits })
    }
    return (words, bits)
  }
}

/// One key column as `packWords(columns:)` reads it: each valid row's code is its encoded
/// key less the least (`EncodedKeys`' order), a null's the greatest code plus one.
private struct KeySource {
  let column: Column
  let lo: UInt64
  let hi: UInt64
  let nulls: Bool
  /// The bits the codes take (65: more than a word).
  let bits: Int
  /// A text key's rank per dictionary entry.
  let ranks: [UInt32]

  init(_ column: Column) {
    self.column = column
    var (lo, hi) = (UInt64.max, UInt64.min)
    var ranks: [UInt32] = []
    let validity = column.validity
    switch column {
    case .int(let c), .date(let c):
      if validity.hasNulls {
        for r in 0..<c.values.count where validity.isValid(r) {
          lo = min(lo, EncodedKeys.encode(c.values[r]))
          hi = max(hi, EncodedKeys.encode(c.values[r]))
        }
      } else if !c.values.isEmpty {
        let (least, greatest) = Extremes.of(c.values)
        (lo, hi) = (EncodedKeys.encode(least), EncodedKeys.encode(greatest))
      }
    case .float(let c):
      for r in 0..<c.values.count where validity.isValid(r) {
        lo = min(lo, EncodedKeys.encode(c.values[r]))
        hi = max(hi, EncodedKeys.encode(c.values[r]))
      }
    case .bool(let c):
      for r in 0..<c.values.count where validity.isValid(r) {
        lo = min(lo, c.values[r] ? 1 : 0)
        hi = max(hi, c.values[r] ? 1 : 0)
      }
    case .text(let c):
      ranks = c.sortRanks()
      c.codes.withUnsafeBufferPointer { codes in
        for r in 0..<codes.count where validity.isValid(r) {
          let k = UInt64(ranks[Int(codes[r])])
          lo = min(lo, k)
          hi = max(hi, k)
        }
      }
    }
    if lo > hi { (lo, hi) = (0, 0) }
    nulls = validity.hasNulls
    self.lo = lo
    self.hi = hi
    self.ranks = ranks
    let (span, o) = (hi - lo).addingReportingOverflow(nulls ? 1 : 0)
    bits = o ? 65 : span == 0 ? 0 : UInt64.bitWidth - span.leadingZeroBitCount
  }

  /// `out[r] = out[r] << bits | code(r)` for every row.
  func shift(into out: UnsafeMutableBufferPointer<UInt64>) {
    let (shift, lo, nullCode) = (UInt64(bits), lo, hi &- lo &+ 1)
    let validity = column.validity
    @inline(__always) func each(_ code: (Int) -> UInt64) {
      if validity.hasNulls {
        for r in 0..<out.count {
          out[r] = out[r] << shift | (validity.isValid(r) ? code(r) &- lo : nullCode)
        }
      } else {
        for r in 0..<out.count { out[r] = out[r] << shift | (code(r) &- lo) }
      }
    }
    switch column {
    case .int(let c), .date(let c):
      c.values.withUnsafeBufferPointer { v in each { EncodedKeys.encode(v[$0]) } }
    case .float(let c):
      c.values.withUnsafeBufferPointer { v in each { EncodedKeys.encode(v[$0]) } }
    case .bool(let c):
      c.values.withUnsafeBufferPointer { v in each { v[$0] ? 1 : 0 } }
    case .text(let c):
      c.codes.withUnsafeBufferPointer { codes in
        ranks.withUnsafeBufferPointer { ranks in each { UInt64(ranks[Int(codes[$0])]) } }
      }
    }
  }
}
