import Columnar

extension Executor {
  /// `group`: one row per key combination, ordered by the keys ascending (nulls last).
  func group(_ t: Table, _ spec: GroupSpec, _ schema: Schema) throws(EngineError) -> Table {
    let (keys, aggregates, outputs) = (spec.keys, spec.aggregates, spec.outputs)
    var keyColumns: [Column] = []
    for k in keys { keyColumns.append(try evaluate(k, t)) }
    // Many groups: found by sorting, already numbered in key order.
    var sorted = try Grouping.byKeyOrder(
      keys: keyColumns, rowCount: t.rowCount, sample: Tuning.sortedGroupingSample,
      distinctShare: Tuning.sortedGroupingShare, cancellation: cancellation)
    var grouping: Grouping
    if let s = sorted {
      profile?.note(notices.node, "\(s.grouping.count) groups: sorted, not hashed")
      grouping = s.grouping
    } else {
      grouping = try Grouping(
        keys: keyColumns, rowCount: t.rowCount, cancellation: cancellation, keyOrder: true)
    }
    if keys.isEmpty {
      grouping = Grouping(keys: [], rowCount: 0)
      grouping.ids = [Int](repeating: 0, count: t.rowCount)
      grouping.count = 1
      grouping.firstRows = [0]
    }
    try checkCancelled()
    if sorted == nil && !keys.isEmpty {
      let order = grouping.keyOrder ?? groupOrder(keyColumns, grouping)
      var rank = [Int](repeating: 0, count: grouping.count)
      for (position, g) in order.enumerated() { rank[g] = position }
      for r in grouping.ids.indices { grouping.ids[r] = rank[grouping.ids[r]] }
      grouping.firstRows = order.map { grouping.firstRows[$0] }
    }
    try checkCancelled()
    // Sorted groups come with their member rows (the streaming aggregates still fold by
    // id: measured faster than reading each group's rows in turn). What no aggregate needs
    // is let go at once: at millions of groups these lists are the size of the table.
    let needsMembers = aggregates.contains { !Aggregation.streams($0.kind, $0.argument?.type) }
    // Aggregates that place their values group by group need where each group begins, not
    // the list of its rows.
    let needsRows = aggregates.contains {
      !Aggregation.streams($0.kind, $0.argument?.type)
        && !Aggregation.scatters($0.kind, $0.argument?.type)
    }
    var (offsets, rows) = ([Int](), [Int]())
    if let s = sorted, needsMembers {
      (offsets, rows) = (s.offsets, needsRows ? s.rows : [])
    } else if needsRows {
      (offsets, rows) = grouping.members()
    } else if needsMembers {
      offsets = grouping.memberOffsets()
    }
    // The sorted grouping read its groups' keys back from its sorted words.
    let sortedKeys = sorted?.keys ?? keyColumns.map { _ in nil }
    sorted = nil
    try checkCancelled()
    let groupCount = grouping.count
    var columns = zip(keyColumns, sortedKeys).map { $1 ?? $0.gather(grouping.firstRows) }
    // The keys are out: at millions of groups the first rows are a table column's size.
    grouping.firstRows = []
    let aggregation = Aggregation(
      offsets: offsets, rows: rows, ascii: asciiCharts, ids: grouping.ids,
      groups: needsMembers ? nil : groupCount)
    let placed = PlacedValues()
    for a in aggregates {
      let arg = try a.argument.map { e throws(EngineError) in try evaluate(e, t) }
      var aggregation = aggregation
      if case .column(let c)? = a.argument?.kind { aggregation.placed = (placed, c) }
      aggregation.positions = try a.position.map { e throws(EngineError) in try evaluate(e, t) }
      aggregation.separator = a.separator
      columns.append(
        finite(try aggregation.compute(a.kind, arg, fraction: a.fraction, type: a.type)))
      try checkCancelled()
    }
    var out: [Column] = []
    for e in outputs { out.append(try evaluate(e, columns: columns, count: groupCount)) }
    return Table(names: schema.names, columns: out, rowCount: groupCount)
  }

  /// The groups in ascending order of their keys (nulls last).
  func groupOrder(_ keyColumns: [Column], _ g: Grouping) -> [Int] {
    let firsts = keyColumns.map { $0.gather(g.firstRows) }
    return Sorting.permutation(firsts.map { SortKey($0) }, count: g.count)
  }

  /// `describe`: one row per column with its profile.
  func describe(_ t: Table) -> Table {
    var names = TextColumnBuilder()
    var types = TextColumnBuilder()
    var counts: [Int] = []
    var nulls: [Int] = []
    var distinct: [Int] = []
    var mins = TextColumnBuilder()
    var maxs = TextColumnBuilder()
    var means: [Double?] = []
    let all = Aggregation(offsets: [0, t.rowCount], rows: Array(0..<t.rowCount))
    for (name, c) in zip(t.names, t.columns) {
      names.append(name)
      types.append(c.type.rawValue)
      let nullCount = c.validity.nullCount(t.rowCount)
      nulls.append(nullCount)
      counts.append(t.rowCount - nullCount)
      let d = try? all.compute(.countDistinct, c, fraction: 0, type: .int)
      distinct.append(
        d.map { col -> Int in if case .int(let v) = col.value(at: 0) { v } else { 0 } } ?? 0)
      let lo = (try? all.compute(.min, c, fraction: 0, type: c.type))?.value(at: 0) ?? .null
      let hi = (try? all.compute(.max, c, fraction: 0, type: c.type))?.value(at: 0) ?? .null
      mins.append(lo.isNull ? nil : CellText.format(lo))
      maxs.append(hi.isNull ? nil : CellText.format(hi))
      if c.type.isNumeric,
        case .float(let m)? = (try? all.compute(.avg, c, fraction: 0, type: .float))?
          .value(at: 0)
      {
        means.append(m)
      } else {
        means.append(nil)
      }
    }
    return Table([
      ("name", .text(names.build())), ("type", .text(types.build())),
      ("count", .int(TypedColumn(counts))), ("nulls", .int(TypedColumn(nulls))),
      ("distinct", .int(TypedColumn(distinct))), ("min", .text(mins.build())),
      ("max", .text(maxs.build())), ("mean", .float(TypedColumn(optionals: means, placeholder: 0))),
    ])
  }
}
