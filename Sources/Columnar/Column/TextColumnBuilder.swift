/// Builds a dictionary-encoded text column row by row.
///
/// Values are told apart by their UTF-8 bytes, in three open-addressing tables: values of
/// at most seven bytes keyed by their bytes and length packed in one word, values of eight
/// to fifteen bytes by theirs in two words (both exact, so no bytes to compare, and a probe
/// reads one slot), longer ones by a hash of their bytes, each entry's bytes kept (in one
/// buffer) to confirm. A reader hands bytes, so a repeated value costs no `String`; a
/// `String` is made once per distinct value. Invalid UTF-8 is repaired with U+FFFD, and
/// the repaired value shares the code of the same text given validly.
public struct TextColumnBuilder: Sendable {
  private var codes: [UInt32] = []
  private var dictionary: [String] = []
  private var validity = ValidityBuilder()
  /// Long values' slots: the entry in the low 32 bits, the top of its hash above (so a
  /// probe rarely reads an entry that is not the one sought); `.max` is empty.
  private var slots = [UInt64](repeating: .max, count: 64)
  private var slotHashes: [UInt64] = []
  private var slotStarts: [Int] = [0]
  private var slotBytes: [UInt8] = []
  private var slotCodes: [UInt32] = []
  private var shortKeys = [UInt64](repeating: .max, count: 64)
  private var shortCodes = [UInt32](repeating: 0, count: 64)
  private var shortCount = 0
  /// Values of eight to fifteen bytes: three words a slot, their first eight bytes, the
  /// rest with the length in the top byte (so never 0, which marks an empty slot), and the
  /// code.
  private var midSlots = [UInt64](repeating: 0, count: 3 * 64)
  private var midCount = 0

  /// An empty builder.
  public init() {}

  /// The distinct values so far.
  var distinctCount: Int { dictionary.count }

  /// Appends a string or a null.
  public mutating func append(_ s: String?) {
    guard let s else {
      codes.append(0)
      validity.append(false)
      return
    }
    appendValid(code(for: s))
  }

  /// Makes room for `rows` more rows.
  public mutating func reserve(_ rows: Int) {
    codes.reserveCapacity(codes.count + rows)
    validity.reserve(rows)
  }

  /// Appends the rows of `other`, its codes moved into this dictionary.
  public mutating func append(contentsOf other: TextColumnBuilder) {
    let remap = other.dictionary.map { code(for: $0) }
    if remap.isEmpty {
      codes.append(contentsOf: repeatElement(0, count: other.codes.count))
    } else {
      remap.withUnsafeBufferPointer { m in
        codes.append(contentsOf: other.codes.lazy.map { m[Int($0)] })
      }
    }
    validity.append(contentsOf: other.validity)
  }

  /// Appends a UTF-8 value given as bytes (invalid UTF-8 is repaired with U+FFFD).
  mutating func append(bytes p: UnsafeBufferPointer<UInt8>) {
    appendValid(code(bytes: p))
  }

  /// Appends the cells `first..<count` of `p`, cell k spanning `starts[k * stride]` to
  /// `ends[k * stride]` (empty: null). The codes are written in place, not appended one
  /// by one. A value of at most seven bytes whose eight bytes from its start lie in `p` is
  /// packed with one load; one of eight to fifteen bytes, in its two words.
  mutating func append(
    cells p: UnsafeBufferPointer<UInt8>, starts: UnsafePointer<Int>, ends: UnsafePointer<Int>,
    stride: Int, from first: Int, count: Int
  ) {
    guard first < count, let base = p.baseAddress else { return }
    // (Moved out while the dictionary grows, so that each write is a plain store.)
    var out = codes
    codes = []
    let at = out.count - first
    out.append(contentsOf: repeatElement(0, count: count - first))
    out.withUnsafeMutableBufferPointer { out in
      for k in first..<count {
        let (s, e) = (starts[k * stride], ends[k * stride])
        let n = e - s
        if n == 0 {
          validity.append(false)
          continue
        }
        let bytes = UnsafeBufferPointer(rebasing: p[s..<e])
        if n <= 7, s + 8 <= p.count {
          let w = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: s, as: UInt64.self)
          let key = UInt64(littleEndian: w) & ((1 << UInt64(8 * n)) - 1) | UInt64(n) << 56
          out[at + k] = code(packed: key, bytes: bytes)
        } else if n >= 8 && n <= 15 {
          let (w0, w1) = TextColumnBuilder.words(p, s, e)
          out[at + k] = code(mid: w0, w1, bytes: bytes)
        } else {
          out[at + k] = code(bytes: bytes)
        }
        validity.append(true)
      }
    }
    codes = out
  }

  /// The code of `s`, adding it to the dictionary when new.
  public mutating func code(for s: String) -> UInt32 {
    var bytes = s
    return bytes.withUTF8 { code(bytes: $0, valid: s) }
  }

  /// The finished column. The dictionary is never empty when there are rows, so every
  /// code (null rows hold code 0) indexes it.
  public func build() -> TextColumn {
    TextColumn(
      codes: codes, dictionary: dictionary.isEmpty && !codes.isEmpty ? [""] : dictionary,
      validity: validity.build())
  }

  /// Appends a row holding the value of code `c`.
  @inline(__always) private mutating func appendValid(_ c: UInt32) {
    codes.append(c)
    validity.append(true)
  }

  /// The code of the value with bytes `p`; `valid` is its `String` when the caller has one
  /// (the bytes are then valid UTF-8).
  @inline(__always)
  private mutating func code(bytes p: UnsafeBufferPointer<UInt8>, valid: String? = nil)
    -> UInt32
  {
    if p.count <= 7 {
      var key = UInt64(p.count) << 56
      for i in 0..<p.count { key |= UInt64(p[i]) << UInt64(8 * i) }
      return code(packed: key, bytes: p, valid: valid)
    }
    if p.count <= 15 {
      let (w0, w1) = TextColumnBuilder.words(p, 0, p.count)
      return code(mid: w0, w1, bytes: p, valid: valid)
    }
    let h = TextColumnBuilder.hash(p)
    if let c = findLong(p, h) { return c }
    let c = newCode(p, valid)
    // Found after `newCode`: a repaired value may have added entries.
    let free = freeLong(h)
    let e = slotHashes.count
    slotHashes.append(h)
    slotCodes.append(c)
    slotBytes.append(contentsOf: p)
    slotStarts.append(slotBytes.count)
    slots[free] = TextColumnBuilder.tagged(e, h)
    if slotHashes.count * 2 > slots.count { grow() }
    return c
  }

  @inline(__always)
  private mutating func code(
    packed key: UInt64, bytes p: UnsafeBufferPointer<UInt8>, valid: String? = nil
  ) -> UInt32 {
    if let c = findShort(key) { return c }
    let c = newCode(p, valid)
    let mask = shortKeys.count - 1
    var i = TextColumnBuilder.slot(key) & mask
    while shortKeys[i] != .max { i = (i + 1) & mask }
    shortKeys[i] = key
    shortCodes[i] = c
    shortCount += 1
    if shortCount * 2 > shortKeys.count { growShort() }
    return c
  }

  @inline(__always)
  private mutating func code(
    mid w0: UInt64, _ w1: UInt64, bytes p: UnsafeBufferPointer<UInt8>, valid: String? = nil
  ) -> UInt32 {
    if let c = findMid(w0, w1) { return c }
    // Placed after `newCode`: a repaired value may have added entries.
    let c = newCode(p, valid)
    let mask = midSlots.count / 3 - 1
    var i = TextColumnBuilder.slot(w0, w1) & mask
    while midSlots[3 * i + 1] != 0 { i = (i + 1) & mask }
    midSlots[3 * i] = w0
    midSlots[3 * i + 1] = w1
    midSlots[3 * i + 2] = UInt64(c)
    midCount += 1
    if midCount * 2 > midSlots.count / 3 { growMid() }
    return c
  }

  @inline(__always)
  private func findMid(_ w0: UInt64, _ w1: UInt64) -> UInt32? {
    let mask = midSlots.count / 3 - 1
    var i = TextColumnBuilder.slot(w0, w1) & mask
    return midSlots.withUnsafeBufferPointer { s in
      while true {
        let k1 = s[3 * i + 1]
        if k1 == 0 { return nil }
        if k1 == w1 && s[3 * i] == w0 { return UInt32(truncatingIfNeeded: s[3 * i + 2]) }
        i = (i + 1) & mask
      }
    }
  }

  private mutating func growMid() {
    let old = midSlots
    midSlots = [UInt64](repeating: 0, count: old.count * 2)
    let mask = midSlots.count / 3 - 1
    for e in 0..<old.count / 3 where old[3 * e + 1] != 0 {
      var i = TextColumnBuilder.slot(old[3 * e], old[3 * e + 1]) & mask
      while midSlots[3 * i + 1] != 0 { i = (i + 1) & mask }
      midSlots[3 * i] = old[3 * e]
      midSlots[3 * i + 1] = old[3 * e + 1]
      midSlots[3 * i + 2] = old[3 * e + 2]
    }
  }

  /// The code for bytes not in the tables: a new dictionary entry when they are valid
  /// UTF-8, else the code of their repaired text.
  private mutating func newCode(_ p: UnsafeBufferPointer<UInt8>, _ valid: String?) -> UInt32 {
    if let valid {
      dictionary.append(valid)
      return UInt32(dictionary.count - 1)
    }
    let s = String(decoding: p, as: UTF8.self)
    if s.utf8.elementsEqual(p) {
      dictionary.append(s)
      return UInt32(dictionary.count - 1)
    }
    return code(for: s)
  }

  @inline(__always)
  private func findShort(_ key: UInt64) -> UInt32? {
    let mask = shortKeys.count - 1
    var i = TextColumnBuilder.slot(key) & mask
    return shortKeys.withUnsafeBufferPointer { keys in
      while true {
        let k = keys[i]
        if k == key { return shortCodes[i] }
        if k == .max { return nil }
        i = (i + 1) & mask
      }
    }
  }

  /// The code of a long value, if it is in the table.
  @inline(__always)
  private func findLong(_ p: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> UInt32? {
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: h) & mask
    let tag = h >> 32
    return slots.withUnsafeBufferPointer { slots in
      while true {
        let s = slots[i]
        if s == .max { return nil }
        if s >> 32 == tag, matches(Int(s & 0xFFFF_FFFF), p) {
          return slotCodes[Int(s & 0xFFFF_FFFF)]
        }
        i = (i + 1) & mask
      }
    }
  }

  /// The first free slot on the probe path of hash `h`.
  private func freeLong(_ h: UInt64) -> Int {
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: h) & mask
    while slots[i] != .max { i = (i + 1) & mask }
    return i
  }

  private mutating func growShort() {
    let oldKeys = shortKeys
    let oldCodes = shortCodes
    shortKeys = [UInt64](repeating: .max, count: oldKeys.count * 2)
    shortCodes = [UInt32](repeating: 0, count: oldKeys.count * 2)
    let mask = shortKeys.count - 1
    for (key, c) in zip(oldKeys, oldCodes) where key != .max {
      var i = TextColumnBuilder.slot(key) & mask
      while shortKeys[i] != .max { i = (i + 1) & mask }
      shortKeys[i] = key
      shortCodes[i] = c
    }
  }

  @inline(__always) private static func slot(_ w0: UInt64, _ w1: UInt64) -> Int {
    let h = (w0 &* 0x9E37_79B9_7F4A_7C15 ^ w1) &* 0xC2B2_AE3D_27D4_EB4F
    return Int(truncatingIfNeeded: h ^ (h >> 31))
  }

  @inline(__always) private static func slot(_ key: UInt64) -> Int {
    let h = key &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }

  /// The bytes `p[s..<e]`, at most fifteen, in two words: the first eight from the lowest
  /// byte up, then the rest with the length in the top byte of the second (the key of a
  /// value of eight to fifteen bytes, and a short cell kept whole by `TextPartitions`). Two
  /// loads when sixteen bytes from `s` lie inside `p`, else byte by byte.
  @inline(__always)
  static func words(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (UInt64, UInt64) {
    let n = e - s
    var w0: UInt64 = 0
    var w1: UInt64 = 0
    if s + 16 <= p.count, let base = p.baseAddress {
      let raw = UnsafeRawPointer(base + s)
      w0 = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
      w1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
      if n < 8 {
        w0 &= (1 << UInt64(8 * n)) &- 1
        w1 = 0
      } else {
        w1 &= (1 << UInt64(8 * (n - 8))) &- 1
      }
    } else {
      for i in 0..<n {
        let b = UInt64(p[s + i])
        if i < 8 { w0 |= b << UInt64(8 * i) } else { w1 |= b << UInt64(8 * (i - 8)) }
      }
    }
    return (w0, w1 | UInt64(n) << 56)
  }

  /// A hash of bytes, eight at a time.
  @inline(__always) static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(p.count)
    guard let base = p.baseAddress else { return h }
    let raw = UnsafeRawPointer(base)
    let n = p.count
    var i = 0
    while i + 8 <= n {
      h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 32
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n {
      tail |= UInt64(base[i]) << shift
      shift += 8
      i += 1
    }
    h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
    return h ^ (h >> 29)
  }

  private func matches(_ e: Int, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = slotStarts[e]
    let length = slotStarts[e + 1] - start
    guard length == p.count else { return false }
    guard length > 0, let q = p.baseAddress else { return true }
    return slotBytes.withUnsafeBufferPointer { b in
      guard let base = b.baseAddress else { return false }
      let x = UnsafeRawPointer(base + start)
      let y = UnsafeRawPointer(q)
      var k = 0
      while k + 8 <= length {
        if x.loadUnaligned(fromByteOffset: k, as: UInt64.self)
          != y.loadUnaligned(fromByteOffset: k, as: UInt64.self)
        {
          return false
        }
        k += 8
      }
      while k < length {
        if base[start + k] != q[k] { return false }
        k += 1
      }
      return true
    }
  }

  private mutating func grow() {
    var bigger = [UInt64](repeating: .max, count: slots.count * 2)
    let mask = bigger.count - 1
    for (e, h) in slotHashes.enumerated() {
      var i = Int(truncatingIfNeeded: h) & mask
      while bigger[i] != .max { i = (i + 1) & mask }
      bigger[i] = TextColumnBuilder.tagged(e, h)
    }
    slots = bigger
  }

  @inline(__always) private static func tagged(_ entry: Int, _ h: UInt64) -> UInt64 {
    (h >> 32) << 32 | UInt64(UInt32(truncatingIfNeeded: entry))
  }
}
