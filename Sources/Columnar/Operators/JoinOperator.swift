/// Hash join: rows in left order, each left row's matches in right order (a left join
/// keeps the left rows that match nothing, with nulls on the right).
public enum JoinOperator {
  /// The joined table of `l` and `r` on `leftKeys == rightKeys` (column indices): the
  /// output columns are `l`'s, then `r`'s columns `rightKept`, named `names`; with `only`,
  /// just those output columns (by index, in that order) are built.
  public static func run(
    _ l: Table, _ r: Table, leftKeys: [Int], rightKeys: [Int], rightKept: [Int],
    keepUnmatched: Bool, names: [String], only: [Int]?, _ context: OperatorContext
  ) throws(EngineError) -> Table {
    let cancellation = context.cancellation
    let width = only?.count ?? l.columns.count + rightKept.count
    let pairs = try HashJoin.match(
      left: leftKeys.map { l.columns[$0] }, right: rightKeys.map { r.columns[$0] },
      leftCount: l.rowCount, rightCount: r.rowCount, keepUnmatched: keepUnmatched,
      cancellation: cancellation, bytesPerRow: 16 + 9 * width, byteLimit: context.memoryLimit)
    try context.checkCancelled()
    let outputs = only ?? Array(0..<(l.columns.count + rightKept.count))
    // The output columns, each side's gathered together (`Column.gather`). When every left row
    // comes once, in order (a left join, or an inner join where all match, on a unique
    // right key), the left columns are the output's as they are.
    let whole = pairs.leftIsEveryRow
    let leftOutputs = outputs.filter { $0 < l.columns.count }
    let rightOutputs = outputs.filter { $0 >= l.columns.count }.map {
      rightKept[$0 - l.columns.count]
    }
    let leftColumns =
      whole
      ? leftOutputs.map { l.columns[$0] }
      : try Column.gather(
        leftOutputs.map { l.columns[$0] }, at: pairs.left, cancellation: cancellation)
    let rightColumns = try Column.gather(
      rightOutputs.map { r.columns[$0] }, at: pairs.right, cancellation: cancellation)
    var (nextLeft, nextRight) = (0, 0)
    var columns: [Column] = []
    for o in outputs {
      if o < l.columns.count {
        columns.append(leftColumns[nextLeft])
        nextLeft += 1
      } else {
        columns.append(rightColumns[nextRight])
        nextRight += 1
      }
    }
    return Table(names: outputs.map { names[$0] }, columns: columns, rowCount: pairs.count)
  }
}
