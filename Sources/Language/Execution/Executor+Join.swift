import Columnar

extension Executor {
  /// Hash join: rows in left order, each left row's matches in right order.
  /// With `only`, just those output columns (by index, in that order) are built.
  func join(_ l: Table, _ r: Table, _ spec: JoinSpec, only: [Int]?) throws(EngineError) -> Table {
    let (left, lk, rk, kept, schema) = (
      spec.left, spec.leftKeys, spec.rightKeys, spec.rightKept, spec.schema
    )
    let width = only?.count ?? l.columns.count + kept.count
    let (li, ri) = try HashJoin.match(
      left: lk.map { l.columns[$0] }, right: rk.map { r.columns[$0] }, leftCount: l.rowCount,
      rightCount: r.rowCount, keepUnmatched: left, cancellation: cancellation,
      bytesPerRow: 16 + 9 * width, byteLimit: memoryLimit)
    try checkCancelled()
    let outputs = only ?? Array(0..<(l.columns.count + kept.count))
    // The output columns, each side's gathered together (`Column.gather`). When every left row
    // comes once, in order (a left join, or an inner join where all match, on a unique
    // right key), the left columns are the output's as they are.
    let whole = li.count == l.rowCount && li.elementsEqual(0..<l.rowCount)
    let leftOutputs = outputs.filter { $0 < l.columns.count }
    let rightOutputs = outputs.filter { $0 >= l.columns.count }.map { kept[$0 - l.columns.count] }
    let leftColumns =
      whole
      ? leftOutputs.map { l.columns[$0] }
      : try Column.gather(leftOutputs.map { l.columns[$0] }, at: li, cancellation: cancellation)
    let rightColumns = try Column.gather(
      rightOutputs.map { r.columns[$0] }, at: ri, cancellation: cancellation)
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
    return Table(names: outputs.map { schema.names[$0] }, columns: columns, rowCount: li.count)
  }

  /// `pivot`: one column per distinct key value (ascending), one row per combination of the
  /// other columns (ascending), each cell the aggregate of the values that fall in it.
  func pivot(_ t: Table, _ rowKeys: [Int], _ key: Int, _ value: Int, _ kind: AggregateKind)
    throws(EngineError) -> Table
  {
    let rowCols = rowKeys.map { t.columns[$0] }
    let keyCol = t.columns[key]
    var rowGroups = try Grouping(keys: rowCols, rowCount: t.rowCount, cancellation: cancellation)
    if rowKeys.isEmpty {
      rowGroups = Grouping(keys: [], rowCount: 0)
      rowGroups.ids = [Int](repeating: 0, count: t.rowCount)
      rowGroups.count = t.rowCount > 0 ? 1 : 0
      rowGroups.firstRows = t.rowCount > 0 ? [0] : []
    }
    let rowOrder = rowKeys.isEmpty ? Array(0..<rowGroups.count) : groupOrder(rowCols, rowGroups)
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
    let keyOrder = groupOrder([keyCol], keyGroups)
    let cells = Grouping(
      keys: [.int(TypedColumn(rowGroups.ids)), .int(TypedColumn(keyGroups.ids))],
      rowCount: t.rowCount)
    // As in `group`: the common aggregates fold each row into its cell by the cells' ids;
    // the others get the member lists (or only their bounds) they need.
    let valueType = t.columns[value].type
    let streams = Aggregation.streams(kind, valueType)
    var (offsets, rows) = ([Int](), [Int]())
    if !streams && Aggregation.scatters(kind, valueType) {
      offsets = cells.memberOffsets()
    } else if !streams {
      (offsets, rows) = cells.members()
    }
    let aggregated = finite(
      try Aggregation(
        offsets: offsets, rows: rows, ascii: asciiCharts, ids: cells.ids,
        groups: streams ? cells.count : nil
      ).compute(kind, t.columns[value], fraction: 0, type: valueType))
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
