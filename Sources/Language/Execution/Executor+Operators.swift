import Columnar

/// The bridge from a physical plan's nodes to Columnar's operators: each node's
/// expressions are evaluated here, over the node's input, and the columns handed to its
/// operator; the operator's float results are made finite here (the language has no
/// infinities), counted at the running stage.
extension Executor {
  /// The context the running operator is given.
  var context: OperatorContext {
    let (profile, node) = (profile, notices.node)
    return OperatorContext(
      cancellation: cancellation, memoryLimit: memoryLimit, asciiCharts: asciiCharts,
      note: { profile?.note(node, $0) })
  }

  /// The rows of `t` whose condition is true (null counts as false): the conjuncts the
  /// kernels test directly become mask conditions, the others are evaluated in turn (by
  /// chunks of rows on every core when they read numbers only).
  func selection(_ t: Table, _ predicate: BoundExpr) throws(EngineError) -> [Int] {
    var simple: [MaskCondition] = []
    var computed: [BoundExpr] = []
    for conjunct in Executor.conjuncts(predicate) {
      if let s = try simpleConditions(conjunct, t) {
        simple += s
      } else {
        computed.append(conjunct)
      }
    }
    var filter = FilterOperator(count: t.rowCount, conditions: simple)
    for conjunct in computed {
      try checkCancelled()
      // A condition of numbers over many rows, evaluated a chunk at a time on every core.
      if case .bool(let b)? = try byChunks(conjunct, t.columns, t.rowCount) {
        filter.and(b)
        continue
      }
      switch try operand(conjunct, t.columns, t.rowCount) {
      case .scalar(.bool(true)): continue
      case .column(.bool(let b)): filter.and(b)
      case .scalar, .column: return []
      }
    }
    try checkCancelled()
    return filter.rows()
  }

  /// The operands of a chain of `and`s (the expression itself when it is not one).
  static func conjuncts(_ e: BoundExpr) -> [BoundExpr] {
    if case .binary(.and, let l, let r) = e.kind { return conjuncts(l) + conjuncts(r) }
    return [e]
  }

  /// `sort`, or `sort … | take k`.
  func sort(_ t: Table, _ keys: [BoundOrder], limit: Int?) throws(EngineError) -> Table {
    let sortKeys = try keys.map { k throws(EngineError) in
      SortKey(try evaluate(k.expr, t), descending: k.descending, nullsFirst: k.nullsFirst)
    }
    return t.gather(SortOperator.order(sortKeys, count: t.rowCount, limit: limit))
  }

  /// `filter … | sort … | take k`: the sort keys are built for the rows that pass only,
  /// and only the best k rows of the other columns are gathered.
  func filteredTop(
    _ t: Table, _ predicate: BoundExpr, _ filterSpan: SourceSpan, _ keys: [BoundOrder],
    _ limit: Int
  ) throws(EngineError) -> Table {
    let rows = try at(filterSpan) { () throws(EngineError) in try selection(t, predicate) }
    var leading: SortKey?
    if keys.allSatisfy(\.expr.isColumn), case .column(let c) = keys.first?.expr.kind {
      leading = SortKey(
        t.columns[c], descending: keys[0].descending, nullsFirst: keys[0].nullsFirst)
    }
    let used = Set(keys.flatMap(\.expr.columns)).sorted()
    let map = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($0.element, $0.offset) })
    let best = try SortOperator.top(
      rows: rows, leading: leading, alone: keys.count == 1, limit: limit
    ) {
      (rows) throws(EngineError) in
      let picked = Table(
        names: used.map { t.names[$0] }, columns: used.map { t.columns[$0] },
        rowCount: t.rowCount
      ).gather(rows)
      return try keys.map { k throws(EngineError) in
        SortKey(
          try evaluate(k.expr.remapped(map), picked), descending: k.descending,
          nullsFirst: k.nullsFirst)
      }
    }
    return t.gather(best)
  }

  /// `group` by hashing or sorting the keys, with any aggregates.
  func group(_ t: Table, _ spec: GroupSpec, _ schema: Schema) throws(EngineError) -> Table {
    var keyColumns: [Column] = []
    for k in spec.keys { keyColumns.append(try evaluate(k, t)) }
    let aggregates = aggregateInputs(spec.aggregates, over: t)
    let (columns, count) = try HashGroupOperator.run(
      keys: keyColumns, rowCount: t.rowCount, aggregates: aggregates, context)
    return try groupOutputs(columns, count, keys: spec.keys.count, spec, schema)
  }

  /// `group` with small keys and aggregates that fold a row at a time, over the rows of
  /// `t` (or just `rows`). Nil when the keys are too wide for slots.
  func streamedGroup(_ t: Table, _ rows: [Int]?, _ spec: GroupSpec, _ schema: Schema)
    throws(EngineError) -> Table?
  {
    var keyColumns: [Column] = []
    for k in spec.keys { keyColumns.append(try evaluate(k, t)) }
    guard
      let (columns, count) = try StreamingGroupOperator.run(
        keys: keyColumns, rows: rows, rowCount: t.rowCount,
        aggregates: aggregateInputs(spec.aggregates, over: t), context)
    else { return nil }
    return try groupOutputs(columns, count, keys: spec.keys.count, spec, schema)
  }

  /// The aggregates as the group operators take them, their arguments evaluated over `t`
  /// when the operator comes to each.
  private func aggregateInputs(_ aggregates: [AggregateCall], over t: Table) -> [AggregateInput] {
    aggregates.map { a in
      AggregateInput(
        kind: a.kind, type: a.type, argumentType: a.argument?.type, fraction: a.fraction,
        separator: a.separator, column: a.argument.flatMap(\.columnIndex)
      ) { () throws(EngineError) in
        (
          try a.argument.map { e throws(EngineError) in try self.evaluate(e, t) },
          try a.position.map { e throws(EngineError) in try self.evaluate(e, t) }
        )
      }
    }
  }

  /// A group's output columns from its keys and aggregates (the aggregates made finite).
  private func groupOutputs(
    _ columns: [Column], _ count: Int, keys: Int, _ spec: GroupSpec, _ schema: Schema
  ) throws(EngineError) -> Table {
    let columns = columns.enumerated().map { $0.offset < keys ? $0.element : finite($0.element) }
    var out: [Column] = []
    for e in spec.outputs { out.append(try evaluate(e, columns: columns, count: count)) }
    return Table(names: schema.names, columns: out, rowCount: count)
  }

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

  /// `join | group`: without the joined table when every right key is unique
  /// (`JoinGroupOperator`), else the join of only the columns the group reads, grouped by
  /// hash.
  func joinGroup(
    _ l: Table, _ r: Table, _ join: JoinSpec, _ joinSpan: SourceSpan, _ spec: GroupSpec,
    _ plan: PhysicalPlan
  ) throws(EngineError) -> Table {
    var context = context
    context.failedInFusedStage = { [failure] in
      if failure.span == nil { failure.span = joinSpan }
    }
    // The group keys are right columns: over the right table, by their places there.
    var toRight: [Int: Int] = [:]
    for (j, column) in join.rightKept.enumerated() { toRight[l.columns.count + j] = column }
    if let (columns, count) = try JoinGroupOperator.run(
      leftKeys: join.leftKeys.map { l.columns[$0] },
      rightKeys: join.rightKeys.map { r.columns[$0] }, leftCount: l.rowCount,
      rightCount: r.rowCount,
      groupKeys: { () throws(EngineError) in
        var keys: [Column] = []
        for k in spec.keys { keys.append(try evaluate(k.remapped(toRight), r)) }
        return keys
      },
      aggregates: aggregateInputs(spec.aggregates, over: l), context)
    {
      return try groupOutputs(columns, count, keys: spec.keys.count, spec, plan.schema)
    }
    profile?.note(plan.id, "a right key is not unique: joined, then grouped by hash")
    try checkCancelled()
    let used = spec.used
    let t = try at(joinSpan) { () throws(EngineError) in
      try self.join(l, r, join, only: used)
    }
    return try group(t, spec.remapped(to: used), plan.schema)
  }

  /// Hash join (with `only`, just those output columns).
  func join(_ l: Table, _ r: Table, _ spec: JoinSpec, only: [Int]?) throws(EngineError) -> Table {
    try JoinOperator.run(
      l, r, leftKeys: spec.leftKeys, rightKeys: spec.rightKeys, rightKept: spec.rightKept,
      keepUnmatched: spec.left, names: spec.schema.names, only: only, context)
  }

  /// `rank`/`top`.
  func rank(_ t: Table, _ spec: RankSpec, _ plan: PhysicalPlan) throws(EngineError) -> Table {
    var partition: [Column] = []
    for p in spec.partition { partition.append(try evaluate(p, t)) }
    return try RankOperator.run(
      t, partition: partition, key: try evaluate(spec.expr, t), descending: spec.descending,
      limit: spec.limit, exact: spec.exact, streamed: spec.streamed,
      name: plan.schema.names.last ?? "rank", context)
  }

  /// Window functions per partition (or, with `limit`, `row_number()` exact up to it; with
  /// `grouped`, aggregates over whole partitions folded by each row's partition).
  func window(
    _ t: Table, _ partition: [BoundExpr], _ order: [BoundOrder], _ calls: [WindowCall],
    limit: WindowLimit? = nil, grouped: Bool = false, _ schema: Schema
  ) throws(EngineError) -> Table {
    var partitionColumns: [Column] = []
    for p in partition { partitionColumns.append(try evaluate(p, t)) }
    var keys: [SortKey] = []
    for o in order {
      keys.append(
        SortKey(try evaluate(o.expr, t), descending: o.descending, nullsFirst: o.nullsFirst))
    }
    if let limit, let first = keys.first {
      return try WindowOperator.firstRowNumbers(
        t, partition: partitionColumns, key: first, limit: limit.count,
        streamed: limit.streamed, names: schema.names, context)
    }
    let inputs = calls.map { call in
      WindowInput(
        function: call.function, offset: call.offset, fraction: call.fraction, type: call.type,
        separator: call.separator
      ) { () throws(EngineError) in
        (
          try call.argument.map { e throws(EngineError) in try self.evaluate(e, t) },
          try call.position.map { e throws(EngineError) in try self.evaluate(e, t) }
        )
      }
    }
    var out =
      grouped
      ? try PartitionAggregateOperator.run(
        t, partition: partitionColumns, inputs, names: schema.names, context)
      : try WindowOperator.run(
        t, partition: partitionColumns, order: keys, inputs, names: schema.names, context)
    for i in t.columns.count..<out.columns.count { out.columns[i] = finite(out.columns[i]) }
    return out
  }

  /// `pivot`.
  func pivot(_ t: Table, _ rowKeys: [Int], _ key: Int, _ value: Int, _ kind: AggregateKind)
    throws(EngineError) -> Table
  {
    var out = try PivotOperator.run(t, rowKeys: rowKeys, key: key, value: value, kind, context)
    for i in rowKeys.count..<out.columns.count { out.columns[i] = finite(out.columns[i]) }
    return out
  }

  /// `distinct` of the given columns (every column when none are given).
  func distinct(_ t: Table, _ columns: [Int]) throws(EngineError) -> Table {
    let cols = columns.isEmpty ? Array(t.columns.indices) : columns
    let keys = cols.map { t.columns[$0] }
    let picked = Table(names: cols.map { t.names[$0] }, columns: keys, rowCount: t.rowCount)
    return picked.gather(try DistinctOperator.rows(keys, rowCount: t.rowCount, context))
  }

  /// `append`: output column `i` from the left's column `lm.firstIndex(of: i)` and the
  /// right's `rm.firstIndex(of: i)`.
  func append(_ l: Table, _ r: Table, _ lm: [Int], _ rm: [Int], _ schema: Schema) -> Table {
    AppendOperator.run(
      l, r, leftColumns: schema.fields.indices.map { lm.firstIndex(of: $0) },
      rightColumns: schema.fields.indices.map { rm.firstIndex(of: $0) },
      fields: schema.fields.map { ($0.name, $0.type) })
  }
}
