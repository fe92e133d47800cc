import Columnar
import Language

/// A pipeline compiled to one SQL statement, with the places where the dialect cannot
/// match pantau exactly.
public struct CompiledSQL: Sendable {
  /// The statement, `;`-terminated.
  public var text: String
  /// Where the dialect's answer may differ from pantau's (shown as warnings).
  public var warnings: [Diagnostic]
}

/// Compiles checked plans to SQL: one common table expression per stage, named after it,
/// so that a reader can follow the pipeline in the SQL.
///
/// pantau's stages keep a row order (a filter keeps it, a sort makes it, a join follows the
/// left rows); SQL tables have none. Every CTE therefore carries a column `_row` that
/// numbers its rows in pantau's order, and the statement ends with `ORDER BY _row`.
public struct SQLCompiler: Sendable {
  /// The target.
  public var dialect: SQLDialect
  /// The plans of `let` tables, with the source each was checked from: a pipeline that
  /// reads one gets it as a CTE.
  public var lets: [String: (plan: Plan, source: SourceText?)]
  /// The source the plans were checked from, for CTE names taken from stage keywords.
  public var source: SourceText?
  /// Tables whose row order a column holds (as `SQLTables.script` writes them); other
  /// tables are read in the engine's storage order.
  public var orderColumns: [String: String] = [:]
  /// Tables that are read through an expression per column (a server table whose types
  /// are cast to pantau's), by the name the plan scans.
  public var tableSources: [String: SQLTableSource] = [:]
  /// Whether the final SELECT casts every column to the SQL type of its pantau type, so
  /// that a client reading the rows sees exactly `bigint`, `double precision`, `text`,
  /// `boolean` and `date`.
  public var typedOutput = false

  /// A compiler for one dialect.
  public init(
    dialect: SQLDialect, lets: [String: (plan: Plan, source: SourceText?)] = [:],
    source: SourceText? = nil
  ) {
    self.dialect = dialect
    self.lets = lets
    self.source = source
  }

  /// The SQL of a checked pipeline. A chart or save at the end stays pantau's: the SQL
  /// gives the table it would draw or write, and a warning says so.
  public func compile(_ checked: CheckedPipeline) throws(Diagnostic) -> CompiledSQL {
    var out = try compile(checked.plan)
    switch checked.terminal {
    case .show: break
    case .save(_, let span, _):
      out.warnings.append(
        Diagnostic(
          "the SQL gives the table; writing the file is pantau's", at: span, severity: .warning))
    case .chart(let request):
      out.warnings.append(
        Diagnostic(
          "the SQL gives the table; the \(request.kind.rawValue) chart is drawn by pantau",
          at: request.span, severity: .warning))
    }
    return out
  }

  /// The SQL of a plan.
  public func compile(_ plan: Plan) throws(Diagnostic) -> CompiledSQL {
    let b = SQLBuilder(dialect: dialect, lets: lets, source: source)
    b.orderColumns = orderColumns
    b.tableSources = tableSources
    let rel = try b.relation(plan)
    var text = "WITH\n"
    text += b.ctes.map { "  \($0.name) AS (\n\($0.body)\n  )" }.joined(separator: ",\n")
    var outputs = rel.columns
    if typedOutput {
      outputs = zip(rel.columns, plan.schema.fields).map { name, field in
        "CAST(\(name) AS \(dialect.typeName(field.type))) AS \(name)"
      }
    }
    text += "\nSELECT" + b.list(outputs, indent: 2) + "\nFROM \(rel.name)\nORDER BY _row;"
    return CompiledSQL(text: text, warnings: b.warnings)
  }
}

/// How a table is read when it is not a plain table of the dialect: the relation, one SQL
/// expression per column of the plan's schema, and the `ORDER BY` that numbers its rows
/// (empty when the rows have no order).
public struct SQLTableSource: Sendable {
  public var relation: String
  public var columns: [String]
  public var order: String

  public init(relation: String, columns: [String], order: String) {
    self.relation = relation
    self.columns = columns
    self.order = order
  }

  /// A CTE name part for a table name (letters, digits and `_` kept).
  static func cteName(_ name: String) -> String {
    String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
  }
}

/// A CTE as the next stage sees it: its name and its columns (SQL names, in schema order;
/// `_row` is always there too).
struct Relation {
  var name: String
  var columns: [String]
}

/// The state of one compilation.
final class SQLBuilder {
  let dialect: SQLDialect
  let lets: [String: (plan: Plan, source: SourceText?)]
  var source: SourceText?
  var ctes: [(name: String, body: String)] = []
  var taken: Set<String> = []
  private var counter = 0
  var warnings: [Diagnostic] = []
  private var warned: Set<String> = []
  private var letRelations: [String: Relation] = [:]
  var orderColumns: [String: String] = [:]
  var tableSources: [String: SQLTableSource] = [:]

  init(dialect: SQLDialect, lets: [String: (plan: Plan, source: SourceText?)], source: SourceText?)
  {
    self.dialect = dialect
    self.lets = lets
    self.source = source
  }

  /// A warning that the dialect may answer differently here (once per kind).
  func caveat(_ message: String, at span: SourceSpan?) {
    guard warned.insert(message).inserted else { return }
    warnings.append(Diagnostic(message, at: span, severity: .warning))
  }

  /// The error for something the dialect cannot say.
  func unsupported(_ what: String, at span: SourceSpan?, hint: String) -> Diagnostic {
    Diagnostic(
      "\(what) has no \(dialect.displayName) form", at: span, label: "not expressible in SQL",
      hints: [hint])
  }

  /// Adds a CTE named after its stage and its place (`filter_1`, `group_2`); returns the
  /// name. A `let` keeps its own name.
  func add(_ base: String, _ lines: [String], numbered: Bool = true) -> String {
    var name = base
    if numbered {
      counter += 1
      name = "\(base)_\(counter)"
    }
    var k = 2
    while taken.contains(name) {
      name = "\(base)_\(k)"
      k += 1
    }
    taken.insert(name)
    ctes.append((name, lines.map { "    " + $0 }.joined(separator: "\n")))
    return name
  }

  /// A CTE name for a stage: its keyword as written, else what the operator is.
  func stageName(_ plan: Plan, _ fallback: String) -> String {
    guard let source else { return fallback }
    let text = source.slice(plan.span)
    let word = text.prefix { $0.isLetter || $0 == "_" }.lowercased()
    return word.isEmpty || !SQLDialect.isBare(word + "_x") ? fallback : word
  }

  /// Items separated by commas, on one line when short, else one per line.
  func list(_ items: [String], indent: Int = 4) -> String {
    let line = items.joined(separator: ", ")
    if line.count <= 80 && !line.contains("\n") { return " " + line }
    let pad = String(repeating: " ", count: indent + 2)
    return "\n" + items.map { pad + $0 }.joined(separator: ",\n")
  }

  /// SQL names of a schema's columns; `_row` is the compiler's own.
  func columnNames(_ schema: Schema, at span: SourceSpan) throws(Diagnostic) -> [String] {
    for name in schema.names where name == "_row" || name == "_part" {
      throw Diagnostic(
        "a column called \(name) clashes with the row-order column of the SQL", at: span,
        hints: ["rename it first: derive \(name.dropFirst())_ = \(name) | drop \(name)"])
    }
    return schema.names.map { name in
      name.hasPrefix("#w") ? "_w" + name.dropFirst(2) : dialect.quote(name)
    }
  }

  /// `e AS name`, or the name alone when e is that column already.
  func aliased(_ sql: String, _ name: String) -> String {
    sql == name ? sql : "\(sql) AS \(name)"
  }

  /// One key of an `ORDER BY`: nulls last unless asked otherwise, text by code points.
  func orderTerm(_ sql: String, _ type: DataType, descending: Bool, nullsFirst: Bool = false)
    -> String
  {
    let key = type == .text ? dialect.byCodePoint(sql) : sql
    return key + (descending ? " DESC" : "") + (nullsFirst ? " NULLS FIRST" : " NULLS LAST")
  }

  func orderTerms(_ keys: [BoundOrder], _ columns: [String]) throws(Diagnostic) -> [String] {
    var out: [String] = []
    for k in keys {
      let s = try sql(k.expr, columns)
      out.append(
        orderTerm(
          wrap(s, above: 5), k.expr.type, descending: k.descending, nullsFirst: k.nullsFirst))
    }
    return out
  }

  func relation(_ plan: Plan) throws(Diagnostic) -> Relation {
    let columns = try columnNames(plan.schema, at: plan.span)
    switch plan.op {
    case .scan(_, let name):
      return try scan(name, plan)
    case .filter(let input, let predicate):
      let p = try relation(input)
      let name = add(
        stageName(plan, "filter"),
        ["SELECT *", "FROM \(p.name)", "WHERE \(try expression(predicate, p.columns))"])
      return Relation(name: name, columns: p.columns)
    case .project(let input, let exprs):
      let p = try relation(input)
      var items: [String] = []
      for (e, n) in zip(exprs, columns) { items.append(aliased(try expression(e, p.columns), n)) }
      let name = add(
        stageName(plan, "select"), ["SELECT" + list(items + ["_row"]), "FROM \(p.name)"])
      return Relation(name: name, columns: columns)
    case .window(let input, let partition, let order, let calls):
      return try window(input, partition, order, calls, plan, columns)
    case .sort(let input, let keys):
      let p = try relation(input)
      let terms = try orderTerms(keys, p.columns) + ["_row"]
      let number = "ROW_NUMBER() OVER (ORDER BY \(terms.joined(separator: ", "))) AS _row"
      let name = add(
        stageName(plan, "sort"), ["SELECT" + list(p.columns + [number]), "FROM \(p.name)"])
      return Relation(name: name, columns: p.columns)
    case .take(let input, let n):
      let p = try relation(input)
      let name = add(
        stageName(plan, "take"), ["SELECT *", "FROM \(p.name)", "ORDER BY _row", "LIMIT \(n)"])
      return Relation(name: name, columns: p.columns)
    case .group(let input, let keys, let aggregates, let outputs):
      return try group(input, keys, aggregates, outputs, plan, columns)
    case .rank(let input, let e, let desc, let partition, let limit, _, let exact):
      return try rank(input, e, desc, partition, limit, exact, plan, columns)
    case .join(let l, let r, let left, let lk, let rk, let kept):
      return try join(l, r, left, lk, rk, kept, plan, columns)
    case .distinct(let input, let cols):
      let p = try relation(input)
      let keys = cols.isEmpty ? p.columns : cols.map { p.columns[$0] }
      let name = add(
        stageName(plan, "distinct"),
        [
          "SELECT" + list(keys + ["MIN(_row) AS _row"]), "FROM \(p.name)",
          "GROUP BY " + keys.joined(separator: ", "),
        ])
      return Relation(name: name, columns: keys)
    case .append(let l, let r, let lm, let rm):
      return try append(l, r, lm, rm, plan, columns)
    case .pivot:
      throw unsupported(
        "a pivot whose columns are not known yet", at: plan.span,
        hint: "pivot's columns come from the data: run it once in pantau first")
    case .pivoted(let pivot, let table):
      return try pivoted(pivot, table, plan, columns)
    case .describe(let input):
      return try describe(input, plan)
    }
  }

  private func scan(_ name: String, _ plan: Plan) throws(Diagnostic) -> Relation {
    let columns = try columnNames(plan.schema, at: plan.span)
    if let (letPlan, letSource) = lets[name] {
      if let known = letRelations[name] { return known }
      let outer = source
      source = letSource
      defer { source = outer }
      let inner = try relation(letPlan)
      let cte = add(dialect.quote(name), ["SELECT *", "FROM \(inner.name)"], numbered: false)
      let r = Relation(name: cte, columns: inner.columns)
      letRelations[name] = r
      return r
    }
    if let source = tableSources[name] {
      let items = zip(source.columns, columns).map { aliased($0, $1) }
      let number = "ROW_NUMBER() OVER (\(source.order)) AS _row"
      let cte = add(
        "from_" + SQLTableSource.cteName(name),
        ["SELECT" + list(items + [number]), "FROM \(source.relation)"],
        numbered: false)
      return Relation(name: cte, columns: columns)
    }
    let isTable =
      name.first.map { $0.isLetter || $0 == "_" } == true
      && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    if isTable {
      let order =
        orderColumns[name].map { "ORDER BY \(dialect.quote($0))" } ?? dialect.storageOrder()
      let number = "ROW_NUMBER() OVER (\(order)) AS _row"
      let cte = add(
        "from_" + name, ["SELECT" + list(columns + [number]), "FROM \(dialect.quote(name))"],
        numbered: false)
      return Relation(name: cte, columns: columns)
    }
    guard dialect == .duckdb else {
      throw unsupported(
        "reading a file", at: plan.span,
        hint: "\(dialect.displayName) reads its own tables: load the file there first")
    }
    let lower = name.lowercased()
    let reader =
      lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
      ? "read_json_auto" : lower.hasSuffix(".parquet") ? "read_parquet" : "read_csv"
    if lower.hasSuffix(".xlsx") {
      throw unsupported(
        "reading a workbook", at: plan.span,
        hint: "save it as CSV, or load it with DuckDB's excel extension")
    }
    caveat(
      "DuckDB sniffs the file by its own rules; the SQL converts each column to pantau's type",
      at: plan.span)
    var items: [String] = []
    for (c, f) in zip(columns, plan.schema.fields) {
      items.append("CAST(\(c) AS \(dialect.typeName(f.type))) AS \(c)")
    }
    let cte = add(
      "from_file",
      [
        "SELECT" + list(items + ["ROW_NUMBER() OVER () AS _row"]),
        "FROM \(reader)(\(dialect.text(name)))",
      ])
    return Relation(name: cte, columns: columns)
  }

  private func join(
    _ l: Plan, _ r: Plan, _ left: Bool, _ lk: [Int], _ rk: [Int], _ kept: [Int], _ plan: Plan,
    _ columns: [String]
  ) throws(Diagnostic) -> Relation {
    let a = try relation(l)
    let b = try relation(r)
    var items = a.columns.map { "l.\($0)" }
    for (k, out) in zip(kept, columns.dropFirst(a.columns.count)) {
      let src = "r.\(b.columns[k])"
      items.append(b.columns[k] == out ? src : "\(src) AS \(out)")
    }
    items.append("ROW_NUMBER() OVER (ORDER BY l._row, r._row) AS _row")
    let on = zip(lk, rk).map { "l.\(a.columns[$0]) = r.\(b.columns[$1])" }
    let name = add(
      stageName(plan, "join"),
      [
        "SELECT" + list(items), "FROM \(a.name) AS l",
        "\(left ? "LEFT JOIN" : "JOIN") \(b.name) AS r ON " + on.joined(separator: " AND "),
      ])
    return Relation(name: name, columns: columns)
  }

  private func append(
    _ l: Plan, _ r: Plan, _ lm: [Int], _ rm: [Int], _ plan: Plan, _ columns: [String]
  ) throws(Diagnostic) -> Relation {
    let a = try relation(l)
    let b = try relation(r)
    func side(_ rel: Relation, _ map: [Int], _ from: Schema, _ part: Int) -> String {
      var source = [Int](repeating: -1, count: columns.count)
      for (i, o) in map.enumerated() where o >= 0 { source[o] = i }
      var items: [String] = []
      for (o, field) in plan.schema.fields.enumerated() {
        let type = dialect.typeName(field.type)
        if source[o] < 0 {
          items.append("CAST(NULL AS \(type)) AS \(columns[o])")
        } else if from.fields[source[o]].type != field.type {
          items.append("CAST(\(rel.columns[source[o]]) AS \(type)) AS \(columns[o])")
        } else {
          items.append(aliased(rel.columns[source[o]], columns[o]))
        }
      }
      return "SELECT" + list(items + ["\(part) AS _part", "_row"]) + " FROM \(rel.name)"
    }
    let both = add(
      "append_rows",
      [side(a, lm, l.schema, 0), "UNION ALL", side(b, rm, r.schema, 1)])
    let number = "ROW_NUMBER() OVER (ORDER BY _part, _row) AS _row"
    let name = add(
      stageName(plan, "append"), ["SELECT" + list(columns + [number]), "FROM \(both)"])
    return Relation(name: name, columns: columns)
  }
}
