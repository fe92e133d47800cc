extension HashJoin {
  /// Buckets for a join on several keys, each of which is small on the right side: a text
  /// key (its distinct right values, matched through the two dictionaries) or an int or
  /// date key (the range of its right values). Each row's keys combine into one slot of a
  /// table sized to the product of those counts, and the slot's bucket is found by an
  /// array lookup — no key encoded, concatenated or hashed. Nil when a key is of another
  /// kind, or the table would be large next to the right side.
  static func slottedBuckets(
    left: [Column], right: [Column], leftCount: Int, rightCount: Int,
    cancellation: Cancellation?
  ) throws(EngineError) -> (left: [Int], right: [Int], count: Int)? {
    var keys: [KeySlots] = []
    var product = 1
    for (l, r) in zip(left, right) {
      guard let k = KeySlots(l, r, rightCount: rightCount) else { return nil }
      let (p, overflow) = product.multipliedReportingOverflow(by: max(k.size, 1))
      guard !overflow, p <= max(1 << 22, 2 * rightCount) else { return nil }
      product = p
      keys.append(k)
    }
    // Each side's rows' slots, a key at a time (-1 once any key is null or absent).
    var rightSlots = [Int](repeating: 0, count: rightCount)
    var leftSlots = [Int](repeating: 0, count: leftCount)
    for k in keys {
      if cancellation?.isCancelled == true { throw .cancelled }
      k.accumulate(&rightSlots, left: false)
      k.accumulate(&leftSlots, left: true)
    }
    if cancellation?.isCancelled == true { throw .cancelled }
    var table = [Int](repeating: -1, count: product)
    var count = 0
    for r in 0..<rightCount where rightSlots[r] >= 0 {
      let s = rightSlots[r]
      if table[s] < 0 {
        table[s] = count
        count += 1
      }
      rightSlots[r] = table[s]
    }
    table.withUnsafeBufferPointer { table in
      leftSlots.withUnsafeMutableBufferPointer { slots in
        for i in 0..<slots.count where slots[i] >= 0 { slots[i] = table[slots[i]] }
      }
    }
    return (leftSlots, rightSlots, count)
  }

  /// One key of a join as slots `0..<size` shared by both sides.
  enum KeySlots {
    /// Each side's codes mapped to the index of their text among the right's distinct
    /// texts (-1: the left text is not on the right).
    case text(TextColumn, leftMap: [Int], TextColumn, rightMap: [Int], size: Int)
    /// Ints (or dates) as their offset from the right's smallest.
    case ints(TypedColumn<Int>, TypedColumn<Int>, lo: Int, size: Int)

    var size: Int {
      switch self {
      case .text(_, _, _, _, let size), .ints(_, _, _, let size): size
      }
    }

    init?(_ l: Column, _ r: Column, rightCount: Int) {
      switch (l, r) {
      case (.text(let lc), .text(let rc)):
        var index: [String: Int] = [:]
        index.reserveCapacity(rc.dictionary.count)
        let rightMap = rc.dictionary.map { s -> Int in
          if let i = index[s] { return i }
          index[s] = index.count
          return index.count - 1
        }
        self = .text(
          lc, leftMap: lc.dictionary.map { index[$0] ?? -1 }, rc, rightMap: rightMap,
          size: index.count)
      case (.int(let lc), .int(let rc)), (.date(let lc), .date(let rc)):
        guard let (lo, hi) = HashJoin.directRange(rc, rightCount) else { return nil }
        self = .ints(lc, rc, lo: lo, size: hi - lo + 1)
      default:
        return nil
      }
    }

    /// `slots[i] = slots[i] * size + slot(i)` on one side's rows, -1 kept and made where
    /// the row's key is null or (on the left) not among the right's.
    func accumulate(_ slots: inout [Int], left: Bool) {
      slots.withUnsafeMutableBufferPointer { out in
        switch self {
        case .text(let lc, let leftMap, let rc, let rightMap, let size):
          let (c, map) = left ? (lc, leftMap) : (rc, rightMap)
          c.codes.withUnsafeBufferPointer { codes in
            map.withUnsafeBufferPointer { map in
              for i in 0..<out.count where out[i] >= 0 {
                let s = c.validity.isValid(i) ? map[Int(codes[i])] : -1
                out[i] = s < 0 ? -1 : out[i] &* size &+ s
              }
            }
          }
        case .ints(let lc, let rc, let lo, let size):
          let c = left ? lc : rc
          let width = UInt(bitPattern: size &- 1)
          c.values.withUnsafeBufferPointer { v in
            for i in 0..<out.count where out[i] >= 0 {
              let s = v[i] &- lo
              let ok = UInt(bitPattern: s) <= width && c.validity.isValid(i)
              out[i] = ok ? out[i] &* size &+ s : -1
            }
          }
        }
      }
    }
  }
}
