/// Dense ids for 64-bit keys, numbered by first appearance: an open-addressing hash table
/// (linear probing, doubled at half full), for the groupings whose keys are too spread for
/// a direct array. A key's slot is the top bits of its high half folded onto its low half
/// times an odd constant: the top bits of a product depend on every bit below them, so keys
/// that differ only in their high bits (whole-number floats, whose low mantissa bits are all
/// zero) spread as well as consecutive ints. (Measured: with the product's middle bits
/// instead, 101 whole-number floats all fell in one slot's chain, and grouping 10M rows by
/// them took 0.45 s.)
struct IdTable {
  private var keys: [UInt64]
  private var ids: [Int]
  private var mask: Int
  /// 64 minus the table's bits: a product shifted right by this many is a slot.
  private var shift: UInt64
  private(set) var count = 0

  /// A table sized for about `expected` distinct keys.
  init(expected: Int) {
    var capacity = 1 << 10
    while capacity < 2 * min(max(expected, 1), 1 << 40) && capacity < 1 << 20 { capacity <<= 1 }
    keys = [UInt64](repeating: 0, count: capacity)
    ids = [Int](repeating: -1, count: capacity)
    mask = capacity - 1
    shift = UInt64(64 - capacity.trailingZeroBitCount)
  }

  @inline(__always) private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
    Int(truncatingIfNeeded: ((key ^ (key &>> 32)) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
  }

  /// `out[i]` = the id of `key(i)` (new keys given the next ids in order), or -1 where
  /// `key(i)` is nil (a null). The table is grown first to hold every key of the batch
  /// new, so the loop runs on its buffers.
  @inline(__always)
  mutating func ids(into out: UnsafeMutableBufferPointer<Int>, _ key: (Int) -> UInt64?) {
    ids(into: out, nullId: -1, key)
  }

  /// The same into a buffer of another integer type (`nullId` where `key(i)` is nil).
  @inline(__always)
  mutating func ids<Id: FixedWidthInteger>(
    into out: UnsafeMutableBufferPointer<Id>, nullId: Id, _ key: (Int) -> UInt64?
  ) {
    while 2 * (count + out.count) > mask + 1 { grow() }
    let (mask, shift) = (self.mask, self.shift)
    var next = count
    keys.withUnsafeMutableBufferPointer { keys in
      ids.withUnsafeMutableBufferPointer { ids in
        for i in 0..<out.count {
          guard let k = key(i) else {
            out[i] = nullId
            continue
          }
          var j = IdTable.slot(k, shift)
          while true {
            let found = ids[j]
            if found < 0 {
              keys[j] = k
              ids[j] = next
              out[i] = Id(truncatingIfNeeded: next)
              next += 1
              break
            }
            if keys[j] == k {
              out[i] = Id(truncatingIfNeeded: found)
              break
            }
            j = (j + 1) & mask
          }
        }
      }
    }
    count = next
  }

  /// `out[i]` = the id of `key(i)` (or -1 for nil) for every row of `out`, however many: a
  /// batch of `chunk` rows at a time, so that growing the table ahead of each batch asks
  /// for room for that many new keys, not for every row's. Throws when `cancellation` is
  /// set, checked between batches.
  mutating func number(
    into out: UnsafeMutableBufferPointer<Int>, cancellation: Cancellation? = nil,
    _ key: (Int) -> UInt64?
  ) throws(EngineError) {
    let chunk = Tuning.chunkRows
    var start = 0
    while start < out.count {
      if cancellation?.isCancelled == true { throw .cancelled }
      let end = min(out.count, start + chunk)
      let from = start
      ids(into: UnsafeMutableBufferPointer(rebasing: out[start..<end])) { key(from + $0) }
      start = end
    }
  }

  /// The keys in order of their ids.
  func keysById() -> [UInt64] {
    var out = [UInt64](repeating: 0, count: count)
    for j in ids.indices where ids[j] >= 0 { out[ids[j]] = keys[j] }
    return out
  }

  private mutating func grow() {
    let oldKeys = keys
    let oldIds = ids
    let capacity = (mask + 1) * 2
    keys = [UInt64](repeating: 0, count: capacity)
    ids = [Int](repeating: -1, count: capacity)
    mask = capacity - 1
    shift -= 1
    for j in oldIds.indices where oldIds[j] >= 0 {
      var i = IdTable.slot(oldKeys[j], shift)
      while ids[i] >= 0 { i = (i + 1) & mask }
      keys[i] = oldKeys[j]
      ids[i] = oldIds[j]
    }
  }
}
