/// Hash join kernel.
public enum HashJoin {
  /// Matching row pairs for an equi-join on the given key columns. Rows come in left order,
  /// each left row's matches in right order; with `keepUnmatched` a left row with no match
  /// appears once with right index -1. Null keys never match.
  /// - Complexity: O(n + m + output) expected.
  public static func match(
    left: [Column], right: [Column], leftCount: Int, rightCount: Int, keepUnmatched: Bool
  ) -> (left: [Int], right: [Int]) {
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
    let groups = Grouping(encoded: combined, rowCount: leftCount + rightCount)
    var head = [Int](repeating: -1, count: groups.count)
    var next = [Int](repeating: -1, count: rightCount)
    for r in stride(from: rightCount - 1, through: 0, by: -1) where !anyNull[leftCount + r] {
      let g = groups.ids[leftCount + r]
      next[r] = head[g]
      head[g] = r
    }
    var outLeft: [Int] = []
    var outRight: [Int] = []
    outLeft.reserveCapacity(leftCount)
    outRight.reserveCapacity(leftCount)
    for l in 0..<leftCount {
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
      }
    }
    return (outLeft, outRight)
  }
}
