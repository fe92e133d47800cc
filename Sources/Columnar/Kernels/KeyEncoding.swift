/// A column's rows encoded as order-preserving 64-bit keys: equal values get equal keys and
/// `a < b` exactly when `key(a) < key(b)`. Text uses code-point order, floats treat -0.0 as
/// 0.0 and put NaN above every number.
struct EncodedKeys: Sendable {
  /// One key per row (unspecified under a null).
  var keys: [UInt64]
  /// Which rows hold a value.
  var validity: Validity

  /// Encodes a column.
  /// - Complexity: O(n), plus O(d log d) for a text column's dictionary.
  init(_ column: Column) {
    switch column {
    case .int(let c), .date(let c):
      keys = c.values.map { EncodedKeys.encode($0) }
      validity = c.validity
    case .float(let c):
      keys = c.values.map { EncodedKeys.encode($0) }
      validity = c.validity
    case .bool(let c):
      keys = c.values.map { $0 ? 1 : 0 }
      validity = c.validity
    case .text(let c):
      let ranks = c.sortRanks()
      keys = c.codes.map { UInt64(ranks[Int($0)]) }
      validity = c.validity
    }
  }

  /// Encodes from parts.
  init(keys: [UInt64], validity: Validity) {
    self.keys = keys
    self.validity = validity
  }

  /// The order-preserving key of an integer.
  @inline(__always) static func encode(_ v: Int) -> UInt64 {
    UInt64(bitPattern: Int64(v)) ^ (1 << 63)
  }

  /// The order-preserving key of a double.
  @inline(__always) static func encode(_ v: Double) -> UInt64 {
    // Without a branch: -0.0 + 0.0 is 0.0; a negative number's bits are all flipped (its
    // sign copied into every bit), a positive one's sign bit set.
    let bits = (v + 0.0).bitPattern
    let flip = UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | (1 << 63)
    return v.isNaN ? UInt64.max : bits ^ flip
  }

  /// Keys for a join between two columns: both sides in one key space (text matched by
  /// string, ints widened to floats when the other side is float).
  static func joint(_ left: Column, _ right: Column) -> (EncodedKeys, EncodedKeys) {
    switch (left, right) {
    case (.text(let l), .text(let r)):
      var space: [String: UInt64] = [:]
      for s in l.dictionary where space[s] == nil { space[s] = UInt64(space.count) }
      for s in r.dictionary where space[s] == nil { space[s] = UInt64(space.count) }
      let lmap = l.dictionary.map { space[$0] ?? 0 }
      let rmap = r.dictionary.map { space[$0] ?? 0 }
      return (
        EncodedKeys(keys: l.codes.map { lmap[Int($0)] }, validity: l.validity),
        EncodedKeys(keys: r.codes.map { rmap[Int($0)] }, validity: r.validity)
      )
    case (.int, .float), (.float, .int):
      return (EncodedKeys(left.widened(to: .float)), EncodedKeys(right.widened(to: .float)))
    default:
      return (EncodedKeys(left), EncodedKeys(right))
    }
  }

  /// The keys of `self` followed by those of `other`.
  func concatenated(with other: EncodedKeys) -> EncodedKeys {
    var b = ValidityBuilder(capacity: keys.count + other.keys.count)
    for i in keys.indices { b.append(validity.isValid(i)) }
    for i in other.keys.indices { b.append(other.validity.isValid(i)) }
    return EncodedKeys(keys: keys + other.keys, validity: b.build())
  }
}
