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
    let (bytes, overflow) = total.multipliedReportingOverflow(by: max(1, bytesPerRow))
    if overflow || bytes > byteLimit {
      throw .limit(
        reason:
          "the join would make \(total) rows (about \(EngineError.size(overflow ? .max : bytes))), "
          + "over the memory limit of \(EngineError.size(byteLimit))")
    }
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
}
