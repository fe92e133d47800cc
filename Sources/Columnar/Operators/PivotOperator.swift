/// `pivot`: one column per distinct key value (ascending), one row per combination of the
/// other columns (ascending), each cell the aggregate of the values that fall in it.
public enum PivotOperator {
  /// `t` pivoted: rows by the columns `rowKeys`, one column per value of column `key`, each
  /// cell `kind` of column `value` over the rows of that row and key.
  public static func run(
    _ t: Table, rowKeys: [Int], key: Int, value: Int, _ kind: AggregateKind,
    _ context: OperatorContext
  ) throws(EngineError) -> Table {
    let cancellation = context.cancellation
    let memoryLimit = context.memoryLimit
    let rowCols = rowKeys.map { t.columns[$0] }
    let keyCol = t.columns[key]
    var rowGroups = try Grouping(keys: rowCols, rowCount: t.rowCount, cancellation: cancellation)
    if rowKeys.isEmpty {
      rowGroups = Grouping(keys: [], rowCount: 0)
      rowGroups.ids = [Int](repeating: 0, count: t.rowCount)
      rowGroups.count = t.rowCount > 0 ? 1 : 0
      rowGroups.firstRows = t.rowCount > 0 ? [0] : []
    }
    let rowOrder =
      rowKeys.isEmpty
      ? Array(0..<rowGroups.count) : HashGroupOperator.keyOrder(rowCols, rowGroups)
    var rowPosition = [Int](repeating: 0, count: rowGroups.count)
    for (p, g) in rowOrder.enumerated() { rowPosition[g] = p }
    let keyGroups = try Grouping(keys: [keyCol], rowCount: t.rowCount, cancellation: cancellation)
    let (cellCount, overflow) = rowGroups.count.multipliedReportingOverflow(by: keyGroups.count)
    let (bytes, overflow2) = cellCount.multipliedReportingOverflow(by: 24)
    if overflow || overflow2 || bytes > memoryLimit {
      throw .limit(
        reason: "pivot would make \(rowGroups.count) rows × \(keyGroups.count) columns "
          + "(about \(EngineError.size(overflow || overflow2 ? .max : bytes))), over the memory limit of "
          + "\(EngineError.size(memoryLimit))")
    }
    let keyOrder = HashGroupOperator.keyOrder([keyCol], keyGroups)
    let cells = Grouping(
      keys: [.int(TypedColumn(rowGroups.ids)), .int(TypedColumn(keyGroups.ids))],
      rowCount: t.rowCount)
    // As in `group`: the common aggregates fold each row into its cell by the cells' ids;
    // the others get the member lists (or only their bounds) they need.
    let valueType = t.columns[value].type
    let streams = kind.streams(over: valueType)
    var (offsets, rows) = ([Int](), [Int]())
    if !streams && Aggregation.scatters(kind, valueType) {
      offsets = cells.memberOffsets()
    } else if !streams {
      (offsets, rows) = cells.members()
    }
    let aggregated = try Aggregation(
      offsets: offsets, rows: rows, ascii: context.asciiCharts, ids: cells.ids,
      groups: streams ? cells.count : nil
    ).compute(kind, t.columns[value], fraction: 0, type: valueType)
    let nRows = rowOrder.count
    var cellAt = [[Int]](
      repeating: [Int](repeating: -1, count: nRows), count: keyGroups.count)
    for (cell, first) in cells.firstRows.enumerated() {
      cellAt[keyGroups.ids[first]][rowPosition[rowGroups.ids[first]]] = cell
    }
    var names = rowKeys.map { t.names[$0] }
    var columns = rowCols.map { $0.gather(rowOrder.map { rowGroups.firstRows[$0] }) }
    for k in keyOrder {
      let v = keyCol.value(at: keyGroups.firstRows[k])
      var name = v.isNull ? "null" : CellText.format(v)
      while names.contains(name) { name += "_" }
      names.append(name)
      var column = aggregated.gather(cellAt[k])
      if kind == .count || kind == .countDistinct, case .int(let c) = column {
        column = .int(TypedColumn(c.values))
      }
      columns.append(column)
    }
    return Table(names: names, columns: columns, rowCount: nRows)
  }
}
