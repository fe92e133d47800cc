#if canImport(Glibc)
  import Glibc
#endif

/// A column of fixed-width values with a validity bitmap. A slot under a null holds a
/// placeholder (zero, false).
public struct TypedColumn<Element: Sendable & Hashable>: Sendable, Hashable {
  /// The values, one per row.
  public var values: [Element]
  /// Which rows hold a value.
  public var validity: Validity

  /// Makes a column.
  public init(_ values: [Element], validity: Validity = .allValid) {
    self.values = values
    self.validity = validity
  }

  /// The value at `i`, or `nil` when it is null.
  @inline(__always) public subscript(i: Int) -> Element? {
    validity.isValid(i) ? values[i] : nil
  }

  /// Makes a column from optionals, with `placeholder` under nulls.
  public init(optionals: [Element?], placeholder: Element) {
    var b = ValidityBuilder(capacity: optionals.count)
    var v: [Element] = []
    v.reserveCapacity(optionals.count)
    for o in optionals {
      b.append(o != nil)
      v.append(o ?? placeholder)
    }
    self.init(v, validity: b.build())
  }
}

/// A dictionary-encoded text column: a code per row into a list of distinct strings.
public struct TextColumn: Sendable, Hashable {
  /// The code of each row (an index into `dictionary`).
  public var codes: [UInt32]
  /// The distinct strings. May hold entries that no row uses.
  public var dictionary: [String]
  /// Which rows hold a value.
  public var validity: Validity

  /// Makes a text column from parts.
  public init(codes: [UInt32], dictionary: [String], validity: Validity = .allValid) {
    self.codes = codes
    self.dictionary = dictionary
    self.validity = validity
  }

  /// Encodes optional strings.
  public init(_ strings: [String?]) {
    var builder = TextColumnBuilder()
    for s in strings { builder.append(s) }
    self = builder.build()
  }

  /// The string at `i`, or `nil` when it is null.
  @inline(__always) public subscript(i: Int) -> String? {
    validity.isValid(i) ? dictionary[Int(codes[i])] : nil
  }

  /// For each dictionary entry, its position in code-point order (UTF-8 byte order).
  /// - Complexity: O(d log d) for d dictionary entries.
  public func sortRanks() -> [UInt32] {
    // The entries' bytes in one buffer, and each one's first eight bytes as a big-endian
    // word: most comparisons end on the words, the rest on the bytes after them.
    var starts = [Int](repeating: 0, count: dictionary.count + 1)
    var bytes: [UInt8] = []
    var heads = [UInt64](repeating: 0, count: dictionary.count)
    for (i, entry) in dictionary.enumerated() {
      bytes.append(contentsOf: entry.utf8)
      starts[i + 1] = bytes.count
      var head: UInt64 = 0
      for k in 0..<8 {
        let at = starts[i] + k
        head = head << 8 | UInt64(at < bytes.count ? bytes[at] : 0)
      }
      heads[i] = head
    }
    let order = bytes.withUnsafeBufferPointer { b in
      dictionary.indices.sorted { x, y in
        if heads[x] != heads[y] { return heads[x] < heads[y] }
        let (p, q) = (starts[x], starts[y])
        let (m, n) = (starts[x + 1] - p, starts[y + 1] - q)
        var k = 0
        while k < m && k < n {
          if b[p + k] != b[q + k] { return b[p + k] < b[q + k] }
          k += 1
        }
        return m < n
      }
    }
    var ranks = [UInt32](repeating: 0, count: dictionary.count)
    var rank: UInt32 = 0
    for (i, entry) in order.enumerated() {
      if i > 0 && dictionary[order[i - 1]] != dictionary[entry] { rank += 1 }
      ranks[entry] = rank
    }
    return ranks
  }
}

/// Builds a dictionary-encoded text column row by row.
public struct TextColumnBuilder: Sendable {
  private var codes: [UInt32] = []
  private var dictionary: [String] = []
  private var lookup: [String: UInt32] = [:]
  private var validity = ValidityBuilder()
  /// Raw-byte lookup for readers, so repeated values cost no String: an open-addressing
  /// table of codes by FNV-1a hash, each entry's bytes kept (in one buffer) to confirm.
  private var slots = [Int32](repeating: -1, count: 64)
  private var slotHashes: [UInt64] = []
  private var slotStarts: [Int] = [0]
  private var slotBytes: [UInt8] = []
  private var slotCodes: [UInt32] = []
  /// Values of at most seven bytes, keyed by their bytes and length packed in one word (exact,
  /// so no bytes to compare): an open-addressing table of keys (`UInt64.max`: empty) and codes.
  private var shortKeys = [UInt64](repeating: .max, count: 64)
  private var shortCodes = [UInt32](repeating: 0, count: 64)
  private var shortCount = 0

  /// An empty builder.
  public init() {}

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
  public mutating func append(bytes p: UnsafeBufferPointer<UInt8>) {
    if p.count <= 7 {
      appendShort(p)
      return
    }
    let h = TextColumnBuilder.hash(p)
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: h) & mask
    let known: UInt32? = slots.withUnsafeBufferPointer { slots in
      slotHashes.withUnsafeBufferPointer { hashes in
        while true {
          let e = Int(slots[i])
          if e < 0 { return nil }
          if hashes[e] == h && matches(e, p) { return slotCodes[e] }
          i = (i + 1) & mask
        }
      }
    }
    if let known { return appendValid(known) }
    let c = code(for: String(decoding: p, as: UTF8.self))
    let e = slotHashes.count
    slotHashes.append(h)
    slotCodes.append(c)
    slotBytes.append(contentsOf: p)
    slotStarts.append(slotBytes.count)
    slots[i] = Int32(e)
    if slotHashes.count * 2 > slots.count { grow() }
    appendValid(c)
  }

  /// Appends a row holding the value of code `c`.
  @inline(__always) private mutating func appendValid(_ c: UInt32) {
    codes.append(c)
    validity.append(true)
  }

  private mutating func appendShort(_ p: UnsafeBufferPointer<UInt8>) {
    var key = UInt64(p.count) << 56
    for i in 0..<p.count { key |= UInt64(p[i]) << UInt64(8 * i) }
    append(packed: key, bytes: p)
  }

  /// Appends a value of at most seven bytes given with its packed key: the bytes in order
  /// from the lowest byte up, the length in the top byte (a reader that may load eight bytes
  /// at once packs it without a loop).
  public mutating func append(packed key: UInt64, bytes p: UnsafeBufferPointer<UInt8>) {
    let mask = shortKeys.count - 1
    var i = TextColumnBuilder.slot(key) & mask
    let found: UInt32? = shortKeys.withUnsafeBufferPointer { keys in
      while true {
        let k = keys[i]
        if k == key { return shortCodes[i] }
        if k == .max { return nil }
        i = (i + 1) & mask
      }
    }
    if let found { return appendValid(found) }
    let c = code(for: String(decoding: p, as: UTF8.self))
    shortKeys[i] = key
    shortCodes[i] = c
    shortCount += 1
    if shortCount * 2 > shortKeys.count { growShort() }
    appendValid(c)
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

  @inline(__always) private static func slot(_ key: UInt64) -> Int {
    let h = key &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: h ^ (h >> 29))
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
    var bigger = [Int32](repeating: -1, count: slots.count * 2)
    let mask = bigger.count - 1
    for (e, h) in slotHashes.enumerated() {
      var i = Int(truncatingIfNeeded: h) & mask
      while bigger[i] >= 0 { i = (i + 1) & mask }
      bigger[i] = Int32(e)
    }
    slots = bigger
  }

  /// The code of `s`, adding it to the dictionary when new.
  public mutating func code(for s: String) -> UInt32 {
    if let c = lookup[s] { return c }
    let c = UInt32(dictionary.count)
    dictionary.append(s)
    lookup[s] = c
    return c
  }

  /// The finished column. The dictionary is never empty when there are rows, so every
  /// code (null rows hold code 0) indexes it.
  public func build() -> TextColumn {
    TextColumn(
      codes: codes, dictionary: dictionary.isEmpty && !codes.isEmpty ? [""] : dictionary,
      validity: validity.build())
  }
}
