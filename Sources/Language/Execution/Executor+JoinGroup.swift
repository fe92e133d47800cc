import Columnar

extension Executor {
  /// `join … | group …` without building the joined table, when the join is inner, every
  /// right key is unique, the group keys are right columns and every aggregate is a streaming
  /// one over left columns (a fact table joined to a dimension and summed by its attributes).
  ///
  /// The right rows are grouped by the keys (a few rows), each left row's group is looked up
  /// through its join bucket, and the aggregates run in one pass over the left rows. A left
  /// row with no match falls in an extra group that is dropped, as are groups no left row
  /// reached, so the result is the one the joined table would give, row for row: the rows of
  /// each group are seen in left order either way. Nil when the shape does not fit.
  func joinedGroup(
    _ l: Table, _ r: Table, _ lk: [Int], _ rk: [Int], _ kept: [Int],
    _ keys: [BoundExpr], _ aggregates: [AggregateCall], _ outputs: [BoundExpr], _ schema: Schema
  ) throws(EngineError) -> Table? {
    let width = l.columns.count
    let keyColumns = Set(keys.flatMap(\.columns))
    let argumentColumns = Set(aggregates.flatMap(\.inputs).flatMap(\.columns))
    // Keys and arguments are columns: an expression would be evaluated on rows the join
    // drops.
    guard !keys.isEmpty, keys.allSatisfy(\.isColumn),
      aggregates.allSatisfy({ $0.argument?.isColumn ?? true })
        && aggregates.allSatisfy({ $0.position == nil }),
      keyColumns.allSatisfy({ $0 >= width }),
      argumentColumns.allSatisfy({ $0 < width }),
      aggregates.allSatisfy({ Aggregation.streams($0.kind, $0.argument?.type) })
    else { return nil }
    let (leftBuckets, rightBuckets, bucketCount) = try HashJoin.probe(
      left: lk.map { l.columns[$0] }, right: rk.map { r.columns[$0] }, leftCount: l.rowCount,
      rightCount: r.rowCount, cancellation: cancellation)
    guard let rightRow = HashJoin.uniqueRightRows(rightBuckets, count: bucketCount) else {
      return nil
    }
    var accumulators: [Accumulator] = []
    for a in aggregates {
      let argument = try a.argument.map { e throws(EngineError) in try evaluate(e, l) }
      guard let accumulator = Accumulators.make(a.kind, argument) else { return nil }
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
    let chunk = 4096
    var ids = [Int](repeating: 0, count: chunk)
    var start = 0
    while start < l.rowCount {
      if start & (16 * chunk - 1) == 0 { try checkCancelled() }
      let m = min(chunk, l.rowCount - start)
      ids.withUnsafeMutableBufferPointer { buffer in
        let part = UnsafeMutableBufferPointer(rebasing: buffer[0..<m])
        bucketGroup.withUnsafeBufferPointer { group in
          leftBuckets.read(start: start, into: part, through: group)
        }
        let done = UnsafeBufferPointer(part)
        if extraCount { rowsIn.add(done, groups: unmatched + 1, start: start) }
        for a in accumulators { a.add(done, groups: unmatched + 1, start: start) }
      }
      start += m
    }
    let counts = rowsIn.counts + [Int](repeating: 0, count: max(0, unmatched - rowsIn.counts.count))
    let kept = (0..<unmatched).filter { counts[$0] > 0 }
    var columns = rightKeys.map { $0.gather(kept.map { grouping.firstRows[order[$0]] }) }
    for a in accumulators {
      columns.append(finite(try a.finish(groups: unmatched + 1).gather(kept)))
      try checkCancelled()
    }
    var out: [Column] = []
    for e in outputs { out.append(try evaluate(e, columns: columns, count: kept.count)) }
    return Table(names: schema.names, columns: out, rowCount: kept.count)
  }
}
