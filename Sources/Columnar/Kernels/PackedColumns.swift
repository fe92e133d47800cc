/// Key columns packed into words as `PackedSort.packWords` packs their encoded keys (the
/// same words and bits), read straight from the columns: each column's order-preserving
/// codes are found and shifted into the words one column at a time, without an encoded copy
/// of every key first (six keys of 10 million rows: 480 MB less at the peak). Each key's
/// place in the words is kept, so that keys can be read back from them.
struct PackedColumns {
  private(set) var words: [[UInt64]] = []
  /// The words, handed over (so that a sort can take them without copying them).
  mutating func takeWords() -> [[UInt64]] {
    defer { words = [] }
    return words
  }
  private(set) var bits: [Int] = []
  /// Each key's source, word and shift (its code is `word >> shift` within its bits).
  private var places: [(key: KeySource, word: Int, shift: Int)] = []

  /// Nil when a key needs more than 64 bits.
  init?(_ columns: [Column]) {
    // Each key's range (or text ranks) found on every core, a key per thread.
    let shared = Unchecked(columns)
    let keys = Parallel.map(columns.count, spread: (columns.first?.count ?? 0) >= Tuning.splitRows)
    {
      Unchecked(KeySource(shared.value[$0]))
    }.map(\.value)
    guard let indices = PackedSort.words(forBits: keys.map(\.bits)) else { return nil }
    let groups = indices.map { $0.map { keys[$0] } }
    let n = columns.first?.count ?? 0
    // Each word is made a block of rows at a time, every key shifted into the block while
    // it is in the cache, the blocks shared between the cores (which then also share the
    // first writes to the word's fresh memory).
    let parts = n >= Tuning.splitRows ? Tuning.cores : 1
    for g in groups {
      var word = [UInt64](unsafeUninitializedCapacity: n) { _, count in count = n }
      word.withUnsafeMutableBufferPointer { out in
        let (out, block) = (SharedBuffer(out), PackedColumns.block)
        Parallel.each(parts) { p in
          var start = p * n / parts
          let end = (p + 1) * n / parts
          while start < end {
            let rows = start..<min(end, start + block)
            for r in rows { out.buffer[r] = 0 }
            for k in g where k.bits > 0 { k.shift(into: out.buffer, rows: rows) }
            start = rows.upperBound
          }
        }
      }
      var shift = g.reduce(0) { $0 + $1.bits }
      bits.append(shift)
      for k in g {
        shift -= k.bits
        places.append((k, words.count, shift))
      }
      words.append(word)
    }
  }

  /// Rows of a word made together (8 bytes each: 128 KB, within the cache).
  static let block = 1 << 14

  /// The key columns of the rows at `positions` in `words` (words packed as these are:
  /// sorted words, each group's first), read back from the words instead of gathered from
  /// the columns (a read in order where a gather of rows in key order jumps about the
  /// table). A float key is nil: gather it (see `readsBack`). A key per thread, on every
  /// core over many rows.
  func columns(of words: [[UInt64]], at positions: [Int]) -> [Column?] {
    let shared = Unchecked((places, words, positions))
    return Parallel.map(places.count, spread: positions.count >= Tuning.splitRows) {
      let (places, words, positions) = shared.value
      let place = places[$0]
      return Unchecked(place.key.decode(words[place.word], at: positions, shift: place.shift))
    }.map(\.value)
  }

  /// Whether a key of `type` is read back from its words (not a float: -0.0 and 0.0 share
  /// a code, and a NaN's payload is not kept).
  static func readsBack(_ type: DataType) -> Bool { type != .float }
}

/// One key column as `PackedColumns` reads it: each valid row's code is its encoded
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
    var nulls = false
    let validity = column.validity
    /// The range of `key(r)` over the valid rows, and whether a row is null.
    func observe(_ count: Int, _ key: (Int) -> UInt64) {
      for r in 0..<count {
        guard validity.isValid(r) else {
          nulls = true
          continue
        }
        lo = min(lo, key(r))
        hi = max(hi, key(r))
      }
    }
    switch column {
    case .int(let c), .date(let c):
      if validity.hasNulls {
        c.values.withUnsafeBufferPointer { v in observe(v.count) { EncodedKeys.encode(v[$0]) } }
      } else if !c.values.isEmpty {
        let (least, greatest) = Extremes.of(c)
        (lo, hi) = (EncodedKeys.encode(least), EncodedKeys.encode(greatest))
      }
    case .float(let c):
      c.values.withUnsafeBufferPointer { v in observe(v.count) { EncodedKeys.encode(v[$0]) } }
    case .bool(let c):
      c.values.withUnsafeBufferPointer { v in observe(v.count) { v[$0] ? 1 : 0 } }
    case .text(let c):
      ranks = c.sortRanks()
      ranks.withUnsafeBufferPointer { ranks in
        c.codes.withUnsafeBufferPointer { codes in
          observe(codes.count) { UInt64(ranks[Int(codes[$0])]) }
        }
      }
    }
    bits = PackedSort.bits(lo: lo, hi: hi, nulls: nulls)
    if lo > hi { (lo, hi) = (0, 0) }
    self.nulls = nulls
    self.lo = lo
    self.hi = hi
    self.ranks = ranks
  }

  /// The values whose codes sit at `shift` in `words` at each of `positions`; nil for a
  /// float key.
  func decode(_ words: [UInt64], at positions: [Int], shift: Int) -> Column? {
    /// `make(encoded key)` at each position (`placeholder` under a null).
    func read<T>(_ placeholder: T, _ make: (UInt64) -> T) -> ([T], Validity) {
      self.read(words, positions, shift, placeholder, make)
    }
    switch column {
    case .int:
      let (values, validity) = read(0) {
        Int(bitPattern: UInt($0 ^ (1 << 63)))
      }
      return .int(TypedColumn(values, validity: validity))
    case .date:
      let (values, validity) = read(0) {
        Int(bitPattern: UInt($0 ^ (1 << 63)))
      }
      return .date(TypedColumn(values, validity: validity))
    case .bool:
      let (values, validity) = read(false) { $0 == 1 }
      return .bool(TypedColumn(values, validity: validity))
    case .text(let c):
      // Each rank's dictionary entry (the entries are distinct, so one per rank).
      var entry = [UInt32](repeating: 0, count: ranks.count)
      for (code, rank) in ranks.enumerated() { entry[Int(rank)] = UInt32(code) }
      let (codes, validity) = entry.withUnsafeBufferPointer { entry in
        read(0) { entry[Int($0)] }
      }
      return .text(c.recoded(codes, validity: validity))
    case .float:
      return nil
    }
  }

  /// One value per position, `make(encoded key)` from its code (`placeholder` under a null),
  /// written straight into the result; the validity from a second pass only when a null
  /// came.
  @inline(__always)
  private func read<T>(
    _ words: [UInt64], _ positions: [Int], _ shift: Int, _ placeholder: T,
    _ make: (UInt64) -> T
  ) -> ([T], Validity) {
    let m = positions.count
    let (mask, s) = (bits >= 64 ? ~UInt64(0) : (1 << UInt64(bits)) - 1, UInt64(shift))
    let (lo, nullCode, nulls) = (lo, hi &- lo &+ 1, nulls)
    var sawNull = false
    let values = words.withUnsafeBufferPointer { w in
      positions.withUnsafeBufferPointer { at in
        [T](unsafeUninitializedCapacity: m) { out, count in
          for i in 0..<m {
            let code = (w[at[i]] >> s) & mask
            if nulls && code == nullCode {
              sawNull = true
              out.initializeElement(at: i, to: placeholder)
            } else {
              out.initializeElement(at: i, to: make(code &+ lo))
            }
          }
          count = m
        }
      }
    }
    guard sawNull else { return (values, .allValid) }
    let validity = words.withUnsafeBufferPointer { w in
      positions.withUnsafeBufferPointer { at in
        Validity(count: m) { (w[at[$0]] >> s) & mask != nullCode }
      }
    }
    return (values, validity)
  }

  /// `out[r] = out[r] << bits | code(r)` for every row of `rows`.
  func shift(into out: UnsafeMutableBufferPointer<UInt64>, rows: Range<Int>) {
    let (shift, lo, nullCode) = (UInt64(bits), lo, hi &- lo &+ 1)
    let validity = column.validity
    @inline(__always) func each(_ code: (Int) -> UInt64) {
      if validity.hasNulls {
        for r in rows {
          out[r] = out[r] << shift | (validity.isValid(r) ? code(r) &- lo : nullCode)
        }
      } else {
        for r in rows { out[r] = out[r] << shift | (code(r) &- lo) }
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
