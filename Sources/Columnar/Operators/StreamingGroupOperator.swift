/// `group` with small keys (see `SlotGrouping`) and aggregates that fold a row at a time,
/// over every row (or only the rows given, for `filter | group`), a chunk at a time: each
/// chunk's groups are found and fed to the aggregates while in cache, with no group id
/// kept per row. The groups come out in ascending order of their keys.
public enum StreamingGroupOperator {
  /// The key columns, then one column per aggregate, one row per group; nil when the
  /// keys are too wide for slots (and one key too spread is not few enough to hash) or an
  /// aggregate cannot fold its argument's type.
  public static func run(
    keys: [Column], rows: [Int]?, rowCount: Int, aggregates: [AggregateInput],
    _ context: OperatorContext
  ) throws(EngineError) -> (columns: [Column], count: Int)? {
    let n = rows?.count ?? rowCount
    var found = SlotGrouping(keys: keys, rows: n, selected: rows, direct: true)
    if found == nil { found = try ranked(keys, rows: rows, n: n, context) }
    guard var slots = found, let accumulators = try accumulators(aggregates) else { return nil }
    try slots.feed(
      rows: n, selected: rows, to: accumulators, chunk: Tuning.chunkRows,
      spread: n >= Tuning.spreadAggregatesFrom ? Tuning.spreadChunkRows : nil,
      checkEvery: Tuning.chunksPerCancelCheck, cancellation: context.cancellation)
    // No keys: one group, of every row (even of none).
    let order =
      keys.isEmpty
      ? [0]
      : slots.groupsInKeyOrder()
        ?? HashGroupOperator.keyOrder(
          keys, Grouping(ids: [], count: slots.count, firstRows: slots.firstRows))
    var columns = slots.keys(keys, order: order)
    // Groups in slot order (an int key): each accumulator writes its groups' results
    // straight, reading its slots in order; every slot a group, the columns are the
    // answer's as they are. Otherwise (text, in its values' order) the results are
    // written in slot order and then gathered: read at random, the compact column misses
    // the cache less than the slots.
    let ascending = zip(order, order.dropFirst()).allSatisfy { $0 < $1 }
    let groups = keys.isEmpty ? 1 : slots.count
    let finishing = Finishing(
      accumulators: accumulators, groups: groups, order: order, ascending: ascending)
    // Over many groups, the accumulators finish on every core (each reads its own states).
    let finished = Parallel.map(
      accumulators.count, spread: groups >= Tuning.finishAggregatesApartFrom
    ) { i in Result { () throws(EngineError) in try finishing.finish(i) } }
    for result in finished { columns.append(try result.get()) }
    try context.checkCancelled()
    return (columns, order.count)
  }

  /// The accumulators' results, the groups `order` in that order (each accumulator read by
  /// one thread).
  private struct Finishing: @unchecked Sendable {
    let accumulators: [GroupAccumulator]
    let groups: Int
    let order: [Int]
    /// Whether `order` ascends.
    let ascending: Bool

    func finish(_ i: Int) throws(EngineError) -> Column {
      let a = accumulators[i]
      if ascending && order.count == groups { return try a.finish(groups: groups) }
      if ascending { return try a.finish(groups: groups, order: order) }
      return try a.finish(groups: groups).gather(order)
    }
  }

  /// Each aggregate's accumulator, its arguments evaluated now; nil when one cannot fold a
  /// row at a time.
  static func accumulators(_ aggregates: [AggregateInput]) throws(EngineError)
    -> [GroupAccumulator]?
  {
    var out: [GroupAccumulator] = []
    for a in aggregates {
      let (argument, position) = try a.columns()
      guard let kind = a.kind.streamed,
        let accumulator = Accumulators.make(kind, argument, second: position)
      else { return nil }
      out.append(accumulator)
    }
    return out
  }

  /// Keys too spread for slots (floats, ints of a wide range) whose rows sampled show few
  /// values (`Grouping.fewGroups`, the rule by which `group` hashes rather than sorts) are
  /// numbered by the rank of their values (`SlotKey.ranked`), then taken as slots with the
  /// other keys; nil when a key is not small and not few.
  private static func ranked(_ keys: [Column], rows: [Int]?, n: Int, _ context: OperatorContext)
    throws(EngineError) -> SlotGrouping?
  {
    var parts: [SlotGrouping.SlotKey] = []
    var rankedAny = false
    for column in keys {
      if let part = SlotGrouping.SlotKey(column, selected: rows) {
        parts.append(part)
        continue
      }
      guard
        let distinct = try Grouping.fewGroups([column], rows: rows, count: n, context.cancellation),
        let part = try SlotGrouping.SlotKey.ranked(
          column, selected: rows, limit: max(1 << 16, 4 * distinct), context.cancellation)
      else { return nil }
      parts.append(part)
      rankedAny = true
    }
    guard rankedAny else { return nil }
    context.note("keys too spread for slots: numbered by the rank of their values")
    return SlotGrouping(
      parts: parts, hasNulls: keys.first?.validity.hasNulls ?? false, rows: n, direct: true)
  }
}
