/// A validity bitmap: bit `i` set means row `i` holds a value. `nil` words mean every row
/// is valid, the common fast path.
public struct Validity: Sendable, Hashable {
  /// The bitmap words, or `nil` when all rows are valid.
  public private(set) var words: [UInt64]?

  /// All rows valid.
  public static let allValid = Validity(words: nil)

  @usableFromInline init(words: [UInt64]?) { self.words = words }

  /// A bitmap from one flag per row; collapses to `allValid` when every flag is set.
  public init(_ flags: [Bool]) {
    if !flags.contains(false) {
      words = nil
      return
    }
    var w = [UInt64](repeating: 0, count: (flags.count + 63) / 64)
    for (i, f) in flags.enumerated() where f { w[i >> 6] |= 1 << UInt64(i & 63) }
    words = w
  }

  /// The bitmap of `count` rows where row `i` is valid when `isValid(i)`, built a word at a
  /// time; `allValid` when every row is.
  @inlinable public init(count: Int, _ isValid: (Int) -> Bool) {
    var w = [UInt64](repeating: 0, count: (count + 63) / 64)
    var all = true
    w.withUnsafeMutableBufferPointer { w in
      for b in w.indices {
        var word: UInt64 = 0
        for i in b * 64..<min(count, b * 64 + 64) where isValid(i) { word |= 1 << UInt64(i & 63) }
        w[b] = word
        all = all && word == (b * 64 + 64 <= count ? ~0 : (1 << UInt64(count - b * 64)) - 1)
      }
    }
    self.init(words: all ? nil : w)
  }

  /// An all-null bitmap of `count` rows.
  public static func allNull(_ count: Int) -> Validity {
    Validity(words: [UInt64](repeating: 0, count: (count + 63) / 64))
  }

  /// Whether any row may be null.
  @inlinable public var hasNulls: Bool { words != nil }

  /// Whether row `i` holds a value.
  @inlinable public func isValid(_ i: Int) -> Bool {
    guard let words else { return true }
    return words[i >> 6] & (1 << UInt64(i & 63)) != 0
  }

  /// Number of null rows among the first `count`.
  public func nullCount(_ count: Int) -> Int {
    guard let words else { return 0 }
    var valid = 0
    for (wi, w) in words.enumerated() {
      let bitsHere = min(64, count - wi * 64)
      if bitsHere <= 0 { break }
      let mask: UInt64 = bitsHere == 64 ? ~0 : (1 << UInt64(bitsHere)) - 1
      valid += (w & mask).nonzeroBitCount
    }
    return count - valid
  }

  /// Rows valid in either bitmap (of `count` rows).
  public static func or(_ a: Validity, _ b: Validity, count: Int) -> Validity {
    guard let aw = a.words, let bw = b.words else { return .allValid }
    let words = zip(aw, bw).map { $0 | $1 }
    return Validity(count: count) { words[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
  }

  /// Rows valid in both bitmaps.
  public static func and(_ a: Validity, _ b: Validity) -> Validity {
    guard let aw = a.words else { return b }
    guard let bw = b.words else { return a }
    return Validity(words: zip(aw, bw).map { $0 & $1 })
  }
}

/// Builds a validity bitmap row by row. Until the first null it only counts rows; the
/// bitmap is made (all ones so far) when a null arrives, so an all-valid column costs no
/// bitmap at all.
public struct ValidityBuilder: Sendable {
  private var words: [UInt64] = []
  private var anyNull = false
  private var capacity = 0
  /// Rows appended so far.
  public private(set) var count = 0

  /// An empty builder.
  public init(capacity: Int = 0) { self.capacity = capacity }

  /// Makes room for `rows` more rows.
  public mutating func reserve(_ rows: Int) {
    capacity = count + rows
    if anyNull { words.reserveCapacity((capacity + 63) / 64) }
  }

  /// Appends one row's flag.
  @inline(__always) public mutating func append(_ valid: Bool) {
    if !anyNull {
      if valid {
        count += 1
        return
      }
      startBitmap()
    }
    if count & 63 == 0 { words.append(0) }
    if valid { words[count >> 6] |= 1 << UInt64(count & 63) }
    count += 1
  }

  /// The bitmap of the rows so far, all valid, at the first null.
  private mutating func startBitmap() {
    anyNull = true
    words.reserveCapacity((max(capacity, count + 1) + 63) / 64)
    words.append(contentsOf: repeatElement(~UInt64(0), count: count >> 6))
    if count & 63 != 0 { words.append((1 << UInt64(count & 63)) - 1) }
  }

  /// Appends the flags of `other`, word by word.
  public mutating func append(contentsOf other: ValidityBuilder) {
    if !other.anyNull && !anyNull {
      count += other.count
      return
    }
    if !anyNull { startBitmap() }
    var left = other.count
    var w = 0
    while left > 0 {
      let n = min(64, left)
      appendBits(other.anyNull ? other.words[w] : ~0, n)
      left -= n
      w += 1
    }
  }

  /// Appends the low `n` bits of `word` (1 ≤ n ≤ 64) once the bitmap exists.
  private mutating func appendBits(_ word: UInt64, _ n: Int) {
    let bits = n == 64 ? word : word & ((1 << UInt64(n)) - 1)
    let shift = count & 63
    if shift == 0 {
      words.append(bits)
    } else {
      words[words.count - 1] |= bits << UInt64(shift)
      if shift + n > 64 { words.append(bits >> UInt64(64 - shift)) }
    }
    count += n
  }

  /// The finished bitmap.
  public func build() -> Validity { anyNull ? Validity(words: words) : .allValid }
}
