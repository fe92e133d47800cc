/// Hash join kernel.
public enum HashJoin {
  /// Matching row pairs for an equi-join on the given key columns. Rows come in left order,
  /// each left row's matches in right order; with `keepUnmatched` a left row with no match
  /// appears once with right index -1. Null keys never match.
  /// - Complexity: O(n + m + output) expected.
  /// - Throws: `EngineError.cancelled` when `cancellation` is set while it runs, and
  ///   `.limit` when the output would need more than `byteLimit` bytes (`bytesPerRow` each).
  public static func match(
    left: [Column], right: [Column], leftCount: Int, rightCount: Int, keepUnmatched: Bool,
    cancellation: Cancellation? = nil, bytesPerRow: Int = 16, byteLimit: Int = .max
  ) throws(EngineError) -> (left: [Int], right: [Int]) {
    if left.count == 1,
      let direct = try directMatch(
        left[0], right[0], leftCount, rightCount, keepUnmatched, cancellation, bytesPerRow,
        byteLimit)
    {
      return direct
    }
    var combined: [EncodedKeys] = []
    var anyNull = [Bool](repeating: false, count: leftCount + rightCount)
    for (l, r) in zip(left, right) {
      let (el, er) = EncodedKeys.joint(l, r)
      let both = el.concatenated(with: er)
      if both.validity.hasNulls {
        for i in anyNull.indices where !both.validity.isValid(i) { anyNull[i] = true }
      }
      combined.append(both)
    }
    if cancellation?.isCancelled == true { throw .cancelled }
    let groups = try Grouping(
      encoded: combined, rowCount: leftCount + rightCount, cancellation: cancellation)
    var head = [Int](repeating: -1, count: groups.count)
    var next = [Int](repeating: -1, count: rightCount)
    for r in stride(from: rightCount - 1, through: 0, by: -1) where !anyNull[leftCount + r] {
      let g = groups.ids[leftCount + r]
      next[r] = head[g]
      head[g] = r
    }
    var matches = [Int](repeating: 0, count: groups.count)
    for r in 0..<rightCount where !anyNull[leftCount + r] {
      matches[groups.ids[leftCount + r]] += 1
    }
    var total = 0
    for l in 0..<leftCount {
      let m = anyNull[l] ? 0 : matches[groups.ids[l]]
      total += m == 0 && keepUnmatched ? 1 : m
    }
    try checkLimit(total, bytesPerRow, byteLimit)
    var outLeft: [Int] = []
    var outRight: [Int] = []
    outLeft.reserveCapacity(total)
    outRight.reserveCapacity(total)
    for l in 0..<leftCount {
      if l & 4095 == 0, cancellation?.isCancelled == true { throw .cancelled }
      var r = anyNull[l] ? -1 : head[groups.ids[l]]
      if r < 0 {
        if keepUnmatched {
          outLeft.append(l)
          outRight.append(-1)
        }
        continue
      }
      while r >= 0 {
        outLeft.append(l)
        outRight.append(r)
        r = next[r]
        if outLeft.count & 0xFFFF == 0, cancellation?.isCancelled == true { throw .cancelled }
      }
    }
    return (outLeft, outRight)
  }

  /// One integer key whose right-side values span a small range: a direct-address table
  /// (key − min → first right row, then a chain) instead of hashing.
  static func directMatch(
    _ left: Column, _ right: Column, _ leftCount: Int, _ rightCount: Int, _ keepUnmatched: Bool,
    _ cancellation: Cancellation?, _ bytesPerRow: Int, _ byteLimit: Int
  ) throws(EngineError) -> (left: [Int], right: [Int])? {
    guard case .int(let l) = left, case .int(let r) = right, rightCount > 0 else { return nil }
    var lo = Int.max
    var hi = Int.min
    for i in 0..<rightCount where r.validity.isValid(i) {
      lo = min(lo, r.values[i])
      hi = max(hi, r.values[i])
    }
    guard lo <= hi, hi.subtractingReportingOverflow(lo).partialValue < 1 << 22,
      !hi.subtractingReportingOverflow(lo).overflow
    else { return nil }
    var head = [Int](repeating: -1, count: hi - lo + 1)
    var next = [Int](repeating: -1, count: rightCount)
    var matches = [Int](repeating: 0, count: hi - lo + 1)
    for i in stride(from: rightCount - 1, through: 0, by: -1) where r.validity.isValid(i) {
      let k = r.values[i] - lo
      next[i] = head[k]
      head[k] = i
      matches[k] += 1
    }
    func slot(_ i: Int) -> Int {
      guard l.validity.isValid(i) else { return -1 }
      let v = l.values[i]
      return v >= lo && v <= hi ? v - lo : -1
    }
    var total = 0
    for i in 0..<leftCount {
      let s = slot(i)
      let m = s < 0 ? 0 : matches[s]
      total += m == 0 && keepUnmatched ? 1 : m
    }
    try checkLimit(total, bytesPerRow, byteLimit)
    var outLeft = [Int]()
    var outRight = [Int]()
    outLeft.reserveCapacity(total)
    outRight.reserveCapacity(total)
    for i in 0..<leftCount {
      if i & 0xFFFF == 0, cancellation?.isCancelled == true { throw .cancelled }
      let s = slot(i)
      var j = s < 0 ? -1 : head[s]
      if j < 0 {
        if keepUnmatched {
          outLeft.append(i)
          outRight.append(-1)
        }
        continue
      }
      while j >= 0 {
        outLeft.append(i)
        outRight.append(j)
        j = next[j]
      }
    }
    return (outLeft, outRight)
  }

  /// Refuses an output of `rows` rows that would need more than `byteLimit` bytes.
  static func checkLimit(_ rows: Int, _ bytesPerRow: Int, _ byteLimit: Int) throws(EngineError) {
    let (bytes, overflow) = rows.multipliedReportingOverflow(by: max(1, bytesPerRow))
    if overflow || bytes > byteLimit {
      throw .limit(
        reason:
          "the join would make \(rows) rows (about \(EngineError.size(overflow ? .max : bytes))), "
          + "over the memory limit of \(EngineError.size(byteLimit))")
    }
  }
}
