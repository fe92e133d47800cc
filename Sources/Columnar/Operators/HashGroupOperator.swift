/// `group` by any keys, with any aggregates: every row's key combination numbered (by
/// hashing, or by sorting the packed keys when a sample shows many groups), the groups put
/// in ascending order of their keys (nulls last), then each aggregate computed.
public enum HashGroupOperator {
  /// The groups of `keys` over `rowCount` rows (one group of every row when there are no
  /// keys): the key columns, then one column per aggregate, one row per group.
  public static func run(
    keys keyColumns: [Column], rowCount n: Int, aggregates: [AggregateInput],
    _ context: OperatorContext
  ) throws(EngineError) -> (columns: [Column], count: Int) {
    let cancellation = context.cancellation
    // Aggregates that do not stream read each row's group (the streamed ones fold sorted
    // groups' member lists, or each row by its group when the groups were hashed).
    let needsMembers = aggregates.contains { !$0.kind.streams(over: $0.argumentType) }
    // Many groups: found by sorting, already numbered in key order. Their first rows are
    // wanted for a key that is not read back from its packed words (a float).
    var sorted = try Grouping.byKeyOrder(
      keys: keyColumns, rowCount: n, sample: Tuning.sortedGroupingSample,
      distinctShare: Tuning.sortedGroupingShare,
      needs: (needsMembers, keyColumns.contains { !PackedColumns.readsBack($0.type) }, true),
      cancellation: cancellation)
    var grouping: Grouping
    if let s = sorted {
      context.note("\(s.grouping.count) groups: sorted, not hashed")
      grouping = s.grouping
    } else {
      grouping = try Grouping(
        keys: keyColumns, rowCount: n, cancellation: cancellation, keyOrder: true)
    }
    if keyColumns.isEmpty {
      grouping = Grouping(keys: [], rowCount: 0)
      grouping.ids = [Int](repeating: 0, count: n)
      grouping.count = 1
      grouping.firstRows = [0]
    }
    try context.checkCancelled()
    if sorted == nil && !keyColumns.isEmpty {
      let order = grouping.keyOrder ?? keyOrder(keyColumns, grouping)
      var rank = [Int](repeating: 0, count: grouping.count)
      for (position, g) in order.enumerated() { rank[g] = position }
      for r in grouping.ids.indices { grouping.ids[r] = rank[grouping.ids[r]] }
      grouping.firstRows = order.map { grouping.firstRows[$0] }
    }
    try context.checkCancelled()
    // Sorted groups come with their member rows, which the streamed aggregates fold a block
    // of groups at a time. Hashed groups' member lists are made only when an aggregate
    // needs them (at millions of groups they are the size of the table); one that places
    // its values group by group needs where each group begins, not the list of its rows.
    let needsRows = aggregates.contains {
      !$0.kind.streams(over: $0.argumentType)
        && !Aggregation.scatters($0.kind, $0.argumentType)
    }
    var (offsets, rows) = ([Int](), [Int]())
    let sortedGroups = sorted != nil
    if let s = sorted {
      // (Where each group begins is kept whatever the aggregates: a plain `count()` is
      // read off it, with no pass.)
      let folds = aggregates.contains { $0.kind.streams(over: $0.argumentType) }
      (offsets, rows) = (s.offsets, needsRows || folds ? s.rows : [])
    } else if needsRows {
      (offsets, rows) = grouping.members()
    } else if needsMembers {
      offsets = grouping.memberOffsets()
    }
    // A sorted grouping read its groups' keys back from their words; a key it cannot read
    // back (a float) is gathered, as a hashed grouping's keys are.
    var columns = keyColumns.indices.map { k in
      sorted?.keys[k] ?? keyColumns[k].gather(grouping.firstRows)
    }
    sorted = nil
    try context.checkCancelled()
    let groupCount = grouping.count
    // The keys are out: at millions of groups the first rows are a table column's size.
    grouping.firstRows = []
    do {
      var aggregation = Aggregation(
        offsets: offsets, rows: rows, ascii: context.asciiCharts,
        ids: sortedGroups && !needsMembers ? nil : grouping.ids,
        groups: needsMembers || sortedGroups ? nil : groupCount)
      aggregation.sorted = sortedGroups
      let lanes = lanes(aggregates)
      // Sorted groups' streamed aggregates each fold on every core already; beside an
      // aggregate that does not stream (on one core), each still takes a lane.
      if n >= Tuning.splitRows && lanes.count > 1 && (!sortedGroups || needsMembers) {
        columns += try apart(aggregates, lanes, aggregation)
      } else {
        let placed = PlacedValues()
        for a in aggregates {
          columns.append(
            try compute(a, try a.columns(), aggregation, placed: placed))
          try context.checkCancelled()
        }
      }
      try context.checkCancelled()
    }
    return (columns, groupCount)
  }

  /// One aggregate's column, computed over `inputs` (its argument and position);
  /// aggregates of one input column share `placed`.
  private static func compute(
    _ a: AggregateInput, _ inputs: (argument: Column?, position: Column?),
    _ aggregation: Aggregation, placed: PlacedValues
  ) throws(EngineError) -> Column {
    var aggregation = aggregation
    if let c = a.column { aggregation.placed = (placed, c) }
    aggregation.positions = inputs.position
    aggregation.separator = a.separator
    return try aggregation.compute(a.kind, inputs.argument, fraction: a.fraction, type: a.type)
  }

  /// The aggregates in lanes that can run side by side: those of one input column together
  /// (in order, so that they place its values once), any other alone.
  private static func lanes(_ aggregates: [AggregateInput]) -> [[Int]] {
    var lanes: [[Int]] = []
    var laneOf: [Int: Int] = [:]
    for (i, a) in aggregates.enumerated() {
      if let c = a.column, let lane = laneOf[c] {
        lanes[lane].append(i)
      } else {
        if let c = a.column { laneOf[c] = lanes.count }
        lanes.append([i])
      }
    }
    return lanes
  }

  /// The aggregates computed on every core, a lane per thread. Their arguments are
  /// evaluated first, in turn; the errors come out as one after the other would give
  /// them: the first aggregate's whose argument or computation fails.
  private static func apart(
    _ aggregates: [AggregateInput], _ lanes: [[Int]], _ aggregation: Aggregation
  ) throws(EngineError) -> [Column] {
    let inputs = aggregates.map { a in
      Result { () throws(EngineError) in try a.columns() }
    }
    let shared = SharedAggregates(
      aggregates: aggregates, inputs: inputs, aggregation: aggregation)
    // Each aggregate's column, or the error of its argument or of its computation.
    let byLane = Parallel.map(lanes.count, spread: true) { lane in
      let placed = PlacedValues()
      return lanes[lane].map { i in
        (
          i,
          Result { () throws(EngineError) in
            try compute(
              shared.aggregates[i], try shared.inputs[i].get(), shared.aggregation,
              placed: placed)
          }
        )
      }
    }
    var columns: [Column] = []
    for (_, result) in byLane.joined().sorted(by: { $0.0 < $1.0 }) {
      columns.append(try result.get())
    }
    return columns
  }

  /// What the threads of `apart` read (each aggregate by one thread).
  private struct SharedAggregates: @unchecked Sendable {
    let aggregates: [AggregateInput]
    let inputs: [Result<(argument: Column?, position: Column?), EngineError>]
    let aggregation: Aggregation
  }

  /// The groups of `g` in ascending order of their keys (nulls last).
  public static func keyOrder(_ keyColumns: [Column], _ g: Grouping) -> [Int] {
    let firsts = keyColumns.map { $0.gather(g.firstRows) }
    return Sorting.permutation(firsts.map { SortKey($0) }, count: g.count)
  }
}
