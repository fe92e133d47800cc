/// `join … | group …` without building the joined table: an inner join whose group keys
/// are right columns, with aggregates that fold a row at a time over left columns, when
/// every right key turns out unique.
///
/// The right rows are grouped by the keys (a few rows), each left row's group is looked up
/// through its join bucket, and the aggregates run in one pass over the left rows. A left
/// row with no match falls in an extra group that is dropped, as are groups no left row
/// reached, so the result is the one the joined table would give, row for row: the rows of
/// each group are seen in left order either way.
public enum JoinGroupOperator {
  /// The group keys, then one column per aggregate, one row per group reached, in
  /// ascending order of the keys. `groupKeys` are over the right rows, the aggregates'
  /// arguments over the left rows.
  ///
  /// Nil when a right key repeats, when an aggregate cannot fold its argument's type, or
  /// when the unmatched rows' sums overflow (the joined table has no such rows, so nothing
  /// overflowed there): then the caller builds the join. An error of the join's own (its
  /// keys' memory) is reported through `context.failedInFusedStage` first.
  public static func run(
    leftKeys: [Column], rightKeys: [Column], leftCount: Int, rightCount: Int,
    groupKeys: () throws(EngineError) -> [Column],
    aggregates: [AggregateInput], _ context: OperatorContext
  ) throws(EngineError) -> (columns: [Column], count: Int)? {
    let cancellation = context.cancellation
    let (leftBuckets, rightBuckets, bucketCount) = try context.inFusedStage {
      () throws(EngineError) in
      try HashJoin.probe(
        left: leftKeys, right: rightKeys, leftCount: leftCount, rightCount: rightCount,
        cancellation: cancellation)
    }
    guard let rightRow = HashJoin.uniqueRightRows(rightBuckets, count: bucketCount),
      let accumulators = try StreamingGroupOperator.accumulators(aggregates)
    else { return nil }
    try context.checkCancelled()
    // Group the right rows by the keys, numbered in the order of the keys.
    let keys = try groupKeys()
    let grouping = try Grouping(keys: keys, rowCount: rightCount, cancellation: cancellation)
    let order = HashGroupOperator.keyOrder(keys, grouping)
    var position = [Int](repeating: 0, count: grouping.count)
    for (p, g) in order.enumerated() { position[g] = p }
    let unmatched = grouping.count
    // Each bucket's group, and one more entry: the group of left rows with no bucket.
    let bucketGroup = rightRow.map { $0 < 0 ? unmatched : position[grouping.ids[$0]] } + [unmatched]
    // The left rows a chunk at a time: bucket, then group, then every aggregate.
    // The rows each group receives: a `count()` among the aggregates counts them already.
    let rowCounter = aggregates.firstIndex { $0.kind == .count && $0.argumentType == nil }
    let counter = rowCounter.flatMap { accumulators[$0] as? CountAccumulator }
    let rowsIn = counter ?? CountAccumulator(.allValid)
    // A float key's groups show the value of the first left row's match, as the joined
    // table does (0.0 and -0.0 are one key): the first left row of each group is kept.
    let floatKeys = keys.contains { $0.type == .float }
    let firstLeft = try leftBuckets.feed(
      rows: leftCount, groupOf: bucketGroup, groups: unmatched + 1,
      to: counter == nil ? [rowsIn] + accumulators : accumulators, firstRows: floatKeys,
      chunk: Tuning.chunkRows,
      spread: leftCount >= Tuning.spreadAggregatesFrom ? Tuning.spreadChunkRows : nil,
      checkEvery: Tuning.chunksPerCancelCheck, cancellation: cancellation)
    let fed = rowsIn.counts
    let counts = fed + [Int](repeating: 0, count: max(0, unmatched - fed.count))
    let reached = (0..<unmatched).filter { counts[$0] > 0 }
    var shown = reached.map { grouping.firstRows[order[$0]] }
    if floatKeys {
      for (i, p) in reached.enumerated() {
        shown[i] = rightRow[leftBuckets.bucket(of: firstLeft[p])]
      }
    }
    var columns = keys.map { $0.gather(shown) }
    for a in accumulators {
      let finished: Column
      do throws(EngineError) {
        finished = try a.finish(groups: unmatched + 1)
      } catch {
        // An overflow may lie in the unmatched rows alone: the joined table decides.
        if case .overflow = error { return nil }
        throw error
      }
      columns.append(finished.gather(reached))
      try context.checkCancelled()
    }
    return (columns, reached.count)
  }
}
