/// Dense ids for 64-bit keys, numbered by first appearance: an open-addressing hash table
/// (linear probing, a multiplicative hash, doubled at half full), for the groupings whose
/// keys are too spread for a direct array.
struct IdTable {
  private var keys: [UInt64]
  private var ids: [Int]
  private var mask: Int
  private(set) var count = 0

  /// A table sized for about `expected` distinct keys.
  init(expected: Int) {
    var capacity = 1 << 10
    while capacity < 2 * min(max(expected, 1), 1 << 40) && capacity < 1 << 20 { capacity <<= 1 }
    keys = [UInt64](repeating: 0, count: capacity)
    ids = [Int](repeating: -1, count: capacity)
    mask = capacity - 1
  }

  @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
  }

  /// The id of `key`, given the next one when it is new.
  @inline(__always) mutating func id(_ key: UInt64) -> Int {
    var i = IdTable.slot(key, mask)
    while true {
      let found = ids[i]
      if found < 0 { break }
      if keys[i] == key { return found }
      i = (i + 1) & mask
    }
    keys[i] = key
    ids[i] = count
    count += 1
    if count * 2 > mask + 1 { grow() }
    return count - 1
  }

  private mutating func grow() {
    let oldKeys = keys
    let oldIds = ids
    let capacity = (mask + 1) * 2
    keys = [UInt64](repeating: 0, count: capacity)
    ids = [Int](repeating: -1, count: capacity)
    mask = capacity - 1
    for j in oldIds.indices where oldIds[j] >= 0 {
      var i = IdTable.slot(oldKeys[j], mask)
      while ids[i] >= 0 { i = (i + 1) & mask }
      keys[i] = oldKeys[j]
      ids[i] = oldIds[j]
    }
  }
}
