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
  /// - Complexity: O(d · w) for d dictionary entries of at most 8w bytes (a radix sort
  ///   on their first bytes), plus a comparison sort of the entries that share those.
  public func sortRanks() -> [UInt32] {
    TextRanks(dictionary).ranks()
  }
}

/// The order of text values by their UTF-8 bytes: the first bytes of each value packed
/// big-endian into words (zero-padded) and radix-sorted, then the runs that tie on those
/// words (values longer than the words hold, or differing only in trailing zero bytes)
/// sorted by their bytes.
struct TextRanks {
  let values: [String]
  var bytes: [UInt8] = []
  var starts: [Int]

  init(_ values: [String]) {
    self.values = values
    starts = [Int](repeating: 0, count: values.count + 1)
    for (i, v) in values.enumerated() {
      bytes.append(contentsOf: v.utf8)
      starts[i + 1] = bytes.count
    }
  }

  /// Packed words per value: enough for the longest value, at most three (24 bytes).
  static let maxWords = 3

  func ranks() -> [UInt32] {
    let d = values.count
    guard d > 0 else { return [] }
    var longest = 0
    for i in 0..<d { longest = max(longest, starts[i + 1] - starts[i]) }
    let count = max(1, min(TextRanks.maxWords, (longest + 7) / 8))
    var words = [[UInt64]](repeating: [UInt64](repeating: 0, count: d), count: count)
    bytes.withUnsafeBufferPointer { b in
      for w in 0..<count {
        words[w].withUnsafeMutableBufferPointer { out in
          for i in 0..<d {
            let (from, to) = (starts[i] + 8 * w, starts[i + 1])
            var word: UInt64 = 0
            for k in 0..<8 {
              let at = from + k
              word = word << 8 | UInt64(at < to ? b[at] : 0)
            }
            out[i] = word
          }
        }
      }
    }
    let (radixOrder, sorted) = PackedSort.radixSort(
      words, bits: [Int](repeating: 64, count: count))
    var order = radixOrder
    // Runs that tie on every word: sort them by their bytes (beyond the words, and by
    // length when they differ only in trailing zeros).
    var i = 0
    while i < d {
      var j = i + 1
      while j < d && (0..<count).allSatisfy({ sorted[$0][j] == sorted[$0][i] }) { j += 1 }
      if j - i > 1 { order[i..<j].sort(by: less) }
      i = j
    }
    var ranks = [UInt32](repeating: 0, count: d)
    var rank: UInt32 = 0
    let packed = 8 * count
    for k in 0..<d {
      if k > 0 {
        let (x, y) = (order[k - 1], order[k])
        let tied = (0..<count).allSatisfy { sorted[$0][k] == sorted[$0][k - 1] }
        let length = starts[x + 1] - starts[x]
        // Tied words and one length within them: the same bytes.
        let equal =
          tied && length == starts[y + 1] - starts[y] && (length <= packed || same(x, y))
        if !equal { rank += 1 }
      }
      ranks[order[k]] = rank
    }
    return ranks
  }

  /// Whether value x's bytes come before value y's.
  func less(_ x: Int, _ y: Int) -> Bool {
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
  func same(_ x: Int, _ y: Int) -> Bool {
    let (p, q) = (starts[x], starts[y])
    let m = starts[x + 1] - p
    guard m == starts[y + 1] - q else { return false }
    for k in 0..<m where bytes[p + k] != bytes[q + k] { return false }
    return true
  }
}
