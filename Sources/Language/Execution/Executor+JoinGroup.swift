import Columnar

extension Executor {
  /// `join … | group …` without building the joined table, for the shape of
  /// `Planner.joinGroupShape` (an inner join, group keys among the right columns, streaming
  /// aggregates over left columns), when every right key turns out unique.
  ///
  /// The right rows are grouped by the keys (a few rows), each left row's group is looked up
  /// through its join bucket, and the aggregates run in one pass over the left rows. A left
  /// row with no match falls in an extra group that is dropped, as are groups no left row
  /// reached, so the result is the one the joined table would give, row for row: the rows of
  /// each group are seen in left order either way. The unmatched rows' group is dropped
  /// too when its sums overflow (the joined table has no such rows, so nothing
  /// overflowed): then nil, and the caller builds the join. Nil when a right key repeats.
  func joinedGroup(
    _ l: Table, _ r: Table, _ join: JoinSpec, _ joinSpan: SourceSpan, _ spec: GroupSpec,
    _ schema: Schema
  ) throws(EngineError) -> Table? {
    let (lk, rk, kept) = (join.leftKeys, join.rightKeys, join.rightKept)
    let (keys, aggregates, outputs) = (spec.keys, spec.aggregates, spec.outputs)
    let width = l.columns.count
    let (leftBuckets, rightBuckets, bucketCount) = try at(joinSpan) { () throws(EngineError) in
      try HashJoin.probe(
        left: lk.map { l.columns[$0] }, right: rk.map { r.columns[$0] }, leftCount: l.rowCount,
        rightCount: r.rowCount, cancellation: cancellation)
    }
    guard let rightRow = HashJoin.uniqueRightRows(rightBuckets, count: bucketCount) else {
      return nil
    }
    var accumulators: [GroupAccumulator] = []
    for a in aggregates {
      let argument = try a.argument.map { e throws(EngineError) in try evaluate(e, l) }
      guard let kind = a.kind.streamed, let accumulator = Accumulators.make(kind, argument) else {
        return nil
      }
      accumulators.append(accumulator)
    }
    try checkCancelled()
    // Group the right rows by the keys, numbered in the order of the keys.
    var toRight: [Int: Int] = [:]
    for (j, column) in kept.enumerated() { toRight[width + j] = column }
    var rightKeys: [Column] = []
    for k in keys { rightKeys.append(try evaluate(k.remapped(toRight), r)) }
    let grouping = try Grouping(keys: rightKeys, rowCount: r.rowCount, cancellation: cancellation)
    let order = groupOrder(rightKeys, grouping)
    var position = [Int](repeating: 0, count: grouping.count)
    for (p, g) in order.enumerated() { position[g] = p }
    let unmatched = grouping.count
    // Each bucket's group, and one more entry: the group of left rows with no bucket.
    let bucketGroup = rightRow.map { $0 < 0 ? unmatched : position[grouping.ids[$0]] } + [unmatched]
    // The left rows a chunk at a time: bucket, then group, then every aggregate.
    // The rows each group receives: a `count()` among the aggregates counts them already.
    let counter = zip(aggregates, accumulators).first {
      $0.0.kind == .count && $0.0.argument == nil
    }
    let rowsIn = (counter?.1 as? CountAccumulator) ?? CountAccumulator(.allValid)
    let extraCount = counter == nil
    // A float key's groups show the value of the first left row's match, as the joined
    // table does (0.0 and -0.0 are one key): the first left row of each group is kept.
    let floatKeys = rightKeys.contains { $0.type == .float }
    let firstLeft = try leftBuckets.feed(
      rows: l.rowCount, groupOf: bucketGroup, groups: unmatched + 1,
      to: extraCount ? [rowsIn] + accumulators : accumulators, firstRows: floatKeys,
      chunk: Tuning.chunkRows,
      spread: l.rowCount >= Tuning.spreadAggregatesFrom ? Tuning.spreadChunkRows : nil,
      checkEvery: Tuning.chunksPerCancelCheck,
      cancellation: cancellation)
    let counts = rowsIn.counts + [Int](repeating: 0, count: max(0, unmatched - rowsIn.counts.count))
    let reached = (0..<unmatched).filter { counts[$0] > 0 }
    var shown = reached.map { grouping.firstRows[order[$0]] }
    if floatKeys {
      for (i, p) in reached.enumerated() {
        shown[i] = rightRow[leftBuckets.bucket(of: firstLeft[p])]
      }
    }
    var columns = rightKeys.map { $0.gather(shown) }
    for a in accumulators {
      let finished: Column
      do throws(EngineError) {
        finished = try a.finish(groups: unmatched + 1)
      } catch {
        // An overflow may lie in the unmatched rows alone: the joined table decides.
        if case .overflow = error { return nil }
        throw error
      }
      columns.append(finite(finished.gather(reached)))
      try checkCancelled()
    }
    var out: [Column] = []
    for e in outputs { out.append(try evaluate(e, columns: columns, count: reached.count)) }
    return Table(names: schema.names, columns: out, rowCount: reached.count)
  }
}
