import Columnar

extension Executor {
  /// `filter | group`: the passing rows are grouped in place, streamed; when the keys are
  /// too wide for slots, the passing rows of the columns the group reads are gathered and
  /// grouped by hash.
  func filteredGroup(
    _ t: Table, _ predicate: BoundExpr, _ filterSpan: SourceSpan, _ spec: GroupSpec,
    _ plan: PhysicalPlan
  ) throws(EngineError) -> Table {
    let rows = try at(filterSpan) { () throws(EngineError) in try selection(t, predicate) }
    try checkCancelled()
    let all = rows.count == t.rowCount
    if let g = try streamedGroup(t, all ? nil : rows, spec, plan.schema) { return g }
    profile?.note(plan.id, "keys too wide for slots: gathered and grouped by hash")
    let used = spec.used
    let picked = t.selecting(used)
    return try group(all ? picked : picked.gather(rows), spec.remapped(to: used), plan.schema)
  }

  /// `join | group`: without the joined table when every right key is unique (see
  /// `joinedGroup`), else the join of only the columns the group reads, grouped by hash.
  func joinGroup(
    _ l: Table, _ r: Table, _ join: JoinSpec, _ joinSpan: SourceSpan, _ spec: GroupSpec,
    _ plan: PhysicalPlan
  ) throws(EngineError) -> Table {
    if let t = try joinedGroup(l, r, join, joinSpan, spec, plan.schema) { return t }
    profile?.note(plan.id, "a right key is not unique: joined, then grouped by hash")
    try checkCancelled()
    let used = spec.used
    let t = try at(joinSpan) { () throws(EngineError) in
      try self.join(l, r, join, only: used)
    }
    return try group(t, spec.remapped(to: used), plan.schema)
  }

  /// `group` with small keys (see `SlotGrouping`) and streaming aggregates, over the rows of
  /// `t` (or just `rows`), a chunk at a time: each chunk's groups are found and fed to the
  /// aggregates while in cache, with no group id kept per row. The planner has checked the
  /// shape (`Planner.streams`; with `rows`, keys and arguments are columns). Nil when the
  /// keys' range is too wide for slots.
  func streamedGroup(
    _ t: Table, _ rows: [Int]?, _ spec: GroupSpec, _ schema: Schema
  ) throws(EngineError) -> Table? {
    let (keys, aggregates, outputs) = (spec.keys, spec.aggregates, spec.outputs)
    var keyColumns: [Column] = []
    for k in keys { keyColumns.append(try evaluate(k, t)) }
    let n = rows?.count ?? t.rowCount
    var found = SlotGrouping(keys: keyColumns, rows: n, selected: rows, direct: true)
    if found == nil { found = try hashedSlots(keyColumns, rows: rows, n: n) }
    guard var slots = found else { return nil }
    var accumulators: [GroupAccumulator] = []
    for a in aggregates {
      let argument = try a.argument.map { e throws(EngineError) in try evaluate(e, t) }
      let second = try a.position.map { e throws(EngineError) in try evaluate(e, t) }
      guard let kind = a.kind.streamed,
        let accumulator = Accumulators.make(kind, argument, second: second)
      else {
        return nil
      }
      accumulators.append(accumulator)
    }
    try slots.feed(
      rows: n, selected: rows, to: accumulators, chunk: Tuning.chunkRows,
      spread: n >= Tuning.spreadAggregatesFrom ? Tuning.spreadChunkRows : nil,
      checkEvery: Tuning.chunksPerCancelCheck, cancellation: cancellation)
    let order =
      slots.groupsInKeyOrder()
      ?? groupOrder(
        keyColumns, Grouping(ids: [], count: slots.count, firstRows: slots.firstRows))
    var columns = slots.keys(keyColumns, order: order)
    for a in accumulators {
      columns.append(finite(try a.finish(groups: slots.count).gather(order)))
      try checkCancelled()
    }
    var out: [Column] = []
    for e in outputs { out.append(try evaluate(e, columns: columns, count: order.count)) }
    return Table(names: schema.names, columns: out, rowCount: order.count)
  }

  /// One key too spread for slots (floats, ints of a wide range) is grouped by hashing its
  /// values as the rows stream, when the rows sampled show few groups: the same sample on
  /// which `group` would choose hashing over sorting (`Grouping.byKeyOrder`).
  private func hashedSlots(_ keys: [Column], rows: [Int]?, n: Int) throws(EngineError)
    -> SlotGrouping?
  {
    guard keys.count == 1 else { return nil }
    let sample = Tuning.sortedGroupingSample
    let distinct = try Grouping.sampledGroups(keys, rows: rows, sample: sample, cancellation)
    guard n < sample || Double(distinct) < Tuning.sortedGroupingShare * Double(sample) else {
      return nil
    }
    profile?.note(notices.node, "one key too spread for slots: its values hashed")
    return SlotGrouping(hashing: keys[0], expected: 2 * distinct)
  }
}
