/// Grouping when every key is small: dictionary codes, or integers (and dates) within a
/// narrow range. Each row's keys combine into one slot of a table sized to the product of
/// the key ranges, and the slot's group is found by an array lookup — one pass over the rows
/// into one id array, with no hashing and no intermediate id vector per key.
extension Grouping {
  /// One key column as slots `0..<slots` (the last slot is null).
  private enum SlotKey {
    case codes([UInt32], Validity, slots: Int)
    case ints([Int], Validity, lo: Int, slots: Int)

    var slots: Int {
      switch self {
      case .codes(_, _, let s), .ints(_, _, _, let s): s
      }
    }

    init?(_ column: Column, rowCount: Int) {
      switch column {
      case .text(let c):
        self = .codes(c.codes, c.validity, slots: c.dictionary.count + 1)
      case .int(let c), .date(let c):
        var lo = Int.max
        var hi = Int.min
        c.values.withUnsafeBufferPointer { v in
          for r in 0..<rowCount where c.validity.isValid(r) {
            lo = min(lo, v[r])
            hi = max(hi, v[r])
          }
        }
        if lo > hi {
          self = .ints(c.values, c.validity, lo: 0, slots: 1)
          return
        }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow, span < 1 << 22 else { return nil }
        self = .ints(c.values, c.validity, lo: lo, slots: span + 2)
      default:
        return nil
      }
    }

    /// `acc[i] = acc[i] * slots + slot(start + i)` for the rows of one chunk.
    func accumulate(into acc: UnsafeMutableBufferPointer<Int>, start: Int, count: Int) {
      switch self {
      case .codes(let codes, let validity, let slots):
        codes.withUnsafeBufferPointer { codes in
          let null = slots - 1
          if let words = validity.words {
            for i in 0..<count {
              let r = start + i
              let valid = words[r >> 6] & (1 << UInt64(r & 63)) != 0
              acc[i] = acc[i] &* slots &+ (valid ? Int(codes[r]) : null)
            }
          } else {
            for i in 0..<count { acc[i] = acc[i] &* slots &+ Int(codes[start + i]) }
          }
        }
      case .ints(let values, let validity, let lo, let slots):
        values.withUnsafeBufferPointer { values in
          let null = slots - 1
          if let words = validity.words {
            for i in 0..<count {
              let r = start + i
              let valid = words[r >> 6] & (1 << UInt64(r & 63)) != 0
              acc[i] = acc[i] &* slots &+ (valid ? values[r] &- lo : null)
            }
          } else {
            for i in 0..<count { acc[i] = acc[i] &* slots &+ (values[start + i] &- lo) }
          }
        }
      }
    }
  }

  /// The grouping by small keys, or nil when a key is not small or the slot table would be
  /// large next to the rows.
  static func dense(_ keys: [Column], rowCount: Int, cancellation: Cancellation?)
    throws(EngineError) -> Grouping?
  {
    var parts: [SlotKey] = []
    var product = 1
    for column in keys {
      guard let part = SlotKey(column, rowCount: rowCount) else { return nil }
      let (p, overflow) = product.multipliedReportingOverflow(by: part.slots)
      guard !overflow, p <= max(1 << 16, min(rowCount, 1 << 22)) else { return nil }
      product = p
      parts.append(part)
    }
    var ids = [Int](repeating: 0, count: rowCount)
    var map = [Int](repeating: -1, count: product)
    var first: [Int] = []
    let chunk = 4096
    var acc = [Int](repeating: 0, count: chunk)
    for start in stride(from: 0, to: rowCount, by: chunk) {
      if cancellation?.isCancelled == true { throw .cancelled }
      let n = min(chunk, rowCount - start)
      acc.withUnsafeMutableBufferPointer { acc in
        for i in 0..<n { acc[i] = 0 }
        for part in parts { part.accumulate(into: acc, start: start, count: n) }
        map.withUnsafeMutableBufferPointer { map in
          ids.withUnsafeMutableBufferPointer { ids in
            for i in 0..<n {
              let k = acc[i]
              var id = map[k]
              if id < 0 {
                id = first.count
                map[k] = id
                first.append(start + i)
              }
              ids[start + i] = id
            }
          }
        }
      }
    }
    return Grouping(ids: ids, count: first.count, firstRows: first)
  }
}
