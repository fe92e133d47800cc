/// `distinct`: each distinct row once, in order of first appearance.
public enum DistinctOperator {
  /// The first row of each distinct combination of `keys`, in table order: small keys
  /// numbered through their slots; else many distinct rows (by the group's sample) are
  /// found by sorting, as `group` finds many groups, their first rows then put back in
  /// table order by marking them; few, by hashing.
  public static func rows(_ keys: [Column], rowCount n: Int, _ context: OperatorContext)
    throws(EngineError) -> [Int]
  {
    let cancellation = context.cancellation
    if let dense = try Grouping.dense(keys, rowCount: n, cancellation: cancellation) {
      return dense.firstRows
    }
    if let sorted = try Grouping.byKeyOrder(
      keys: keys, rowCount: n, sample: Tuning.sortedGroupingSample,
      distinctShare: Tuning.sortedGroupingShare, needs: (ids: false, firstRows: true, keys: false),
      cancellation: cancellation)
    {
      context.note("\(sorted.grouping.count) distinct rows: sorted, not hashed")
      var first = [Bool](repeating: false, count: n)
      for r in sorted.grouping.firstRows { first[r] = true }
      return first.indices.filter { first[$0] }
    }
    return try Grouping(keys: keys, rowCount: n, cancellation: cancellation).firstRows
  }
}
