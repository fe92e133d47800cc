import Columnar

extension Executor {
  /// `group` over its input, choosing the cheapest way: over a join, without building the
  /// joined table when the shape allows; over a filter, on the passing rows in place; with
  /// small keys and streaming aggregates, a chunk of rows at a time; else by the general
  /// kernel over only the columns it reads.
  func groupStage(
    _ input: Plan, _ keys: [BoundExpr], _ aggregates: [AggregateCall], _ outputs: [BoundExpr],
    _ schema: Schema
  ) throws(EngineError) -> Table {
    let used = Set(keys.flatMap(\.columns) + aggregates.flatMap(\.inputs).flatMap(\.columns))
      .sorted()
    switch input.op {
    case .join(let l, let r, let left, let lk, let rk, let kept):
      let (lt, rt) = (try execute(l), try execute(r))
      if !left,
        let t = try joinedGroup(lt, rt, lk, rk, kept, keys, aggregates, outputs, schema)
      {
        return t
      }
      try checkCancelled()
      let t = try join(lt, rt, left, lk, rk, kept, input.schema, only: used)
      return try group(t, used, keys, aggregates, outputs, schema)
    case .filter(let inner, let predicate):
      let t = try execute(inner)
      try checkCancelled()
      let rows = try selection(t, predicate)
      let all = rows.count == t.rowCount
      if let g = try streamedGroup(t, all ? nil : rows, keys, aggregates, outputs, schema) {
        return g
      }
      let picked = Table(
        names: used.map { t.names[$0] }, columns: used.map { t.columns[$0] }, rowCount: t.rowCount)
      return try group(all ? picked : picked.gather(rows), used, keys, aggregates, outputs, schema)
    default:
      let t = try execute(input)
      if let g = try streamedGroup(t, nil, keys, aggregates, outputs, schema) { return g }
      return try group(t, keys, aggregates, outputs, schema)
    }
  }

  /// `group` over a table holding only the `used` columns of the group's input.
  private func group(
    _ t: Table, _ used: [Int], _ keys: [BoundExpr], _ aggregates: [AggregateCall],
    _ outputs: [BoundExpr], _ schema: Schema
  ) throws(EngineError) -> Table {
    let map = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($0.element, $0.offset) })
    let k = keys.map { $0.remapped(map) }
    let a = aggregates.map { call in
      var c = call
      c.argument = call.argument?.remapped(map)
      c.position = call.position?.remapped(map)
      return c
    }
    return try group(t, k, a, outputs, schema)
  }

  /// `group` with small keys (see `SlotGrouping`) and streaming aggregates, over the rows of
  /// `t` (or just `rows`), a chunk at a time: each chunk's groups are found and fed to the
  /// aggregates while in cache, with no group id kept per row. With `rows`, keys and
  /// arguments must be columns (an expression would be evaluated on every row of `t`). Nil
  /// when it does not apply.
  func streamedGroup(
    _ t: Table, _ rows: [Int]?, _ keys: [BoundExpr], _ aggregates: [AggregateCall],
    _ outputs: [BoundExpr], _ schema: Schema
  ) throws(EngineError) -> Table? {
    guard !keys.isEmpty,
      aggregates.allSatisfy({ Aggregation.streams($0.kind, $0.argument?.type) }),
      rows == nil
        || keys.allSatisfy(\.isColumn)
          && aggregates.allSatisfy({
            ($0.argument?.isColumn ?? true) && ($0.position?.isColumn ?? true)
          })
    else { return nil }
    var keyColumns: [Column] = []
    for k in keys { keyColumns.append(try evaluate(k, t)) }
    let n = rows?.count ?? t.rowCount
    guard var slots = SlotGrouping(keys: keyColumns, rows: n, selected: rows) else { return nil }
    var accumulators: [Accumulator] = []
    for a in aggregates {
      let argument = try a.argument.map { e throws(EngineError) in try evaluate(e, t) }
      let second = try a.position.map { e throws(EngineError) in try evaluate(e, t) }
      guard let accumulator = Accumulators.make(a.kind, argument, second: second) else {
        return nil
      }
      accumulators.append(accumulator)
    }
    let chunk = 4096
    var ids = [Int](repeating: 0, count: chunk)
    let selected = rows ?? []
    var start = 0
    while start < n {
      if start & (16 * chunk - 1) == 0 { try checkCancelled() }
      let m = min(chunk, n - start)
      ids.withUnsafeMutableBufferPointer { buffer in
        let part = UnsafeMutableBufferPointer(rebasing: buffer[0..<m])
        if rows == nil {
          slots.ids(start: start, into: part)
          for a in accumulators {
            a.add(UnsafeBufferPointer(part), groups: slots.count, start: start)
          }
        } else {
          selected.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            slots.ids(selected: base + start, into: part)
            for a in accumulators {
              a.add(UnsafeBufferPointer(part), groups: slots.count, selected: base + start)
            }
          }
        }
      }
      start += m
    }
    let firstRows = slots.firstRows
    let order = groupOrder(
      keyColumns, Grouping(ids: [], count: firstRows.count, firstRows: firstRows))
    var columns = keyColumns.map { $0.gather(order.map { firstRows[$0] }) }
    for a in accumulators {
      columns.append(finite(try a.finish(groups: firstRows.count).gather(order)))
      try checkCancelled()
    }
    var out: [Column] = []
    for e in outputs { out.append(try evaluate(e, columns: columns, count: order.count)) }
    return Table(names: schema.names, columns: out, rowCount: order.count)
  }
}
