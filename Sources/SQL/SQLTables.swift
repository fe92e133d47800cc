import Columnar

/// A table as SQL statements that make it on a server: `CREATE TABLE` with pantau's types,
/// then the rows in order. A server need not keep rows in the order they were inserted
/// (PostgreSQL puts a row wherever a page has room), so the table also gets a column,
/// `rowColumn`, numbering the rows from 1; the compiler reads the order from it when told
/// (`SQLCompiler.orderColumns`).
public enum SQLTables {
  /// The statements, `;`-terminated, `rowsPerInsert` rows to an `INSERT`.
  public static func script(
    _ name: String, _ table: Table, _ dialect: SQLDialect, rowColumn: String? = "_row",
    rowsPerInsert: Int = 500
  ) -> String {
    var columns = zip(table.names, table.columns).map { n, c in
      "\(dialect.quote(n)) \(dialect.typeName(c.type))"
    }
    if let rowColumn { columns.append("\(dialect.quote(rowColumn)) \(dialect.typeName(.int))") }
    var out = "CREATE TABLE \(dialect.quote(name)) (\(columns.joined(separator: ", ")));\n"
    var start = 0
    while start < table.rowCount {
      let end = min(table.rowCount, start + max(1, rowsPerInsert))
      var rows: [String] = []
      for r in start..<end {
        var cells = table.columns.map { c in dialect.literal(c.value(at: r), type: c.type) }
        if rowColumn != nil { cells.append(String(r + 1)) }
        rows.append("(" + cells.joined(separator: ", ") + ")")
      }
      out +=
        "INSERT INTO \(dialect.quote(name)) VALUES\n  " + rows.joined(separator: ",\n  ")
        + ";\n"
      start = end
    }
    return out
  }
}

extension SQLDialect {
  /// A value as an SQL literal of the given type.
  public func literal(_ v: Value, type: DataType) -> String {
    switch v {
    case .null: "NULL"
    case .int(let i): String(i)
    case .float(let d): CellText.format(d)
    case .text(let s): text(s)
    case .bool(let b): self == .sqlite ? (b ? "1" : "0") : (b ? "TRUE" : "FALSE")
    case .date(let d): date(d)
    }
  }
}
