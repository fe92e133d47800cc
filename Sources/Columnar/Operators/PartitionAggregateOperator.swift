/// Aggregates over whole partitions, as `derive share = x / sum(x) by region` asks (a
/// window with no order): the partitions are numbered as `group` numbers its groups, each
/// aggregate folds every row into its partition's state in one pass, in table order, and
/// each row takes its partition's result. No sort, and no member lists: the window
/// operator's route for them sorts the rows by partition and reads each partition's rows
/// at random. Each partition sees its rows in table order on both routes, so the results
/// are the same to the bit.
public enum PartitionAggregateOperator {
  /// Whether `function` over an argument of `type` (nil: none) runs here: an aggregate that
  /// folds a row at a time, or the first or last value.
  public static func folds(_ function: WindowFunction, over type: DataType?) -> Bool {
    function.aggregate?.streams(over: type) ?? false
  }

  /// `t` with one column more per call (each one `folds`), named `names` in all.
  public static func run(
    _ t: Table, partition: [Column], _ calls: [WindowInput], names: [String],
    _ context: OperatorContext
  ) throws(EngineError) -> Table {
    let n = t.rowCount
    let partitions = try Grouping(
      keys: partition, rowCount: n, cancellation: context.cancellation)
    try context.checkCancelled()
    var columns = t.columns
    for call in calls {
      let (argument, position) = try call.columns()
      guard let kind = call.function.aggregate, kind.streams(over: argument?.type) else {
        throw .invalidValue(
          reason: "a window function that does not fold a row at a time", hint: "run it as a window"
        )
      }
      var aggregation = Aggregation(
        offsets: [], rows: [], ascii: context.asciiCharts, ids: partitions.ids,
        groups: partitions.count)
      aggregation.positions = position
      let results = try aggregation.compute(
        kind, argument, fraction: call.fraction, type: call.type)
      columns.append(results.gather(partitions.ids))
      try context.checkCancelled()
    }
    return Table(names: names, columns: columns, rowCount: n)
  }
}
