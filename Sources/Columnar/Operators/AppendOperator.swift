/// `append`: the rows of one table, then the other's.
public enum AppendOperator {
  /// `l`'s rows then `r`'s, as columns `fields` (name and type): output column `i` is
  /// `l`'s column `leftColumns[i]` and `r`'s column `rightColumns[i]` (nil: nulls on that
  /// side), each widened to its field's type and joined array to array.
  public static func run(
    _ l: Table, _ r: Table, leftColumns: [Int?], rightColumns: [Int?],
    fields: [(name: String, type: DataType)]
  ) -> Table {
    var columns: [Column] = []
    for (i, f) in fields.enumerated() {
      let left =
        leftColumns[i].map { l.columns[$0].widened(to: f.type) }
        ?? .nulls(f.type, count: l.rowCount)
      let right =
        rightColumns[i].map { r.columns[$0].widened(to: f.type) }
        ?? .nulls(f.type, count: r.rowCount)
      columns.append(left.appending(right))
    }
    return Table(names: fields.map(\.name), columns: columns, rowCount: l.rowCount + r.rowCount)
  }
}
