import Columnar
import Language

/// One aggregate as SQL sees it: its argument already written out.
struct AggregateInput {
  var kind: AggregateKind
  var argument: String?
  var argumentType: DataType?
  var position: String?
  var fraction: Double
  var separator: String
  var type: DataType
  var span: SourceSpan?
}

extension SQLBuilder {
  func group(
    _ input: Plan, _ keys: [BoundExpr], _ aggregates: [AggregateCall], _ outputs: [BoundExpr],
    _ plan: Plan, _ columns: [String]
  ) throws(Diagnostic) -> Relation {
    var p = try relation(input)
    var keySQL: [String] = []
    for k in keys { keySQL.append(try expression(k, p.columns)) }
    // SQLite has no ordered aggregates: first, last and quantiles come from window columns
    // computed on the rows before they are grouped.
    var prepared: [Int: String] = [:]
    if dialect == .sqlite {
      (p, prepared) = try sqlitePrepared(p, keySQL, aggregates, plan)
    }
    var aggSQL: [String] = []
    for (j, call) in aggregates.enumerated() {
      if let ready = prepared[j] {
        aggSQL.append(ready)
        continue
      }
      var arg: String?
      if let a = call.argument { arg = try expression(a, p.columns) }
      var pos: String?
      if let x = call.position { pos = try expression(x, p.columns) }
      let spec = AggregateInput(
        kind: call.kind, argument: arg, argumentType: call.argument?.type, position: pos,
        fraction: call.fraction, separator: call.separator, type: call.type,
        span: call.argument?.span ?? plan.span)
      aggSQL.append(try aggregate(spec))
    }
    let orderTerms = zip(keySQL, keys).map { orderTerm($0, $1.type, descending: false) }
    let number =
      keys.isEmpty
      ? "1 AS _row" : "ROW_NUMBER() OVER (ORDER BY \(orderTerms.joined(separator: ", "))) AS _row"
    let groupBy = keys.isEmpty ? [] : ["GROUP BY " + keySQL.joined(separator: ", ")]
    let trivial =
      outputs.count == keys.count + aggregates.count
      && outputs.enumerated().allSatisfy { i, e in
        if case .column(i) = e.kind { return true }
        return false
      }
    let keyNames = Array(columns.prefix(keys.count))
    if trivial {
      let items =
        zip(keySQL, keyNames).map { aliased($0, $1) }
        + zip(aggSQL, columns.dropFirst(keys.count)).map { "\($0) AS \($1)" }
      let name = add(
        stageName(plan, "group"), ["SELECT" + list(items + [number]), "FROM \(p.name)"] + groupBy)
      return Relation(name: name, columns: columns)
    }
    let aggNames = aggSQL.indices.map { "_a\($0)" }
    let items =
      zip(keySQL, keyNames).map { aliased($0, $1) } + zip(aggSQL, aggNames).map { "\($0) AS \($1)" }
    let inner = add(
      stageName(plan, "group") + "_aggregates",
      ["SELECT" + list(items + [number]), "FROM \(p.name)"] + groupBy)
    var outs: [String] = []
    for (e, n) in zip(outputs, columns) {
      outs.append(aliased(try expression(e, keyNames + aggNames), n))
    }
    let name = add(stageName(plan, "group"), ["SELECT" + list(outs + ["_row"]), "FROM \(inner)"])
    return Relation(name: name, columns: columns)
  }

  /// The SQL of one aggregate; over a window (`over` its `OVER (…)` clause), the clause
  /// follows each aggregate call, inside any cast or case around it.
  func aggregate(_ a: AggregateInput, over: String? = nil) throws(Diagnostic) -> String {
    let windowed = over != nil
    func w(_ call: String) -> String { over.map { "\(call) \($0)" } ?? call }
    let x = a.argument ?? "*"
    let isInt = a.argumentType == .int
    func needs(_ ok: Bool, _ hint: String) throws(Diagnostic) {
      if !ok {
        throw unsupported(
          "\(a.kind.rawValue)\(windowed ? " over a window" : "")", at: a.span, hint: hint)
      }
    }
    switch a.kind {
    case .count:
      return w(a.argument == nil ? "COUNT(*)" : "COUNT(\(x))")
    case .countDistinct:
      try needs(!windowed || dialect == .duckdb, "count the distinct values in a group, then join")
      return w("COUNT(DISTINCT \(x))")
    case .sum:
      if isInt && (dialect == .duckdb || dialect == .postgres) {
        return "CAST(\(w("SUM(\(x))")) AS \(dialect.typeName(.int)))"
      }
      return w("SUM(\(x))")
    case .avg:
      return dialect == .postgres ? "CAST(\(w("AVG(\(x))")) AS double precision)" : w("AVG(\(x))")
    case .min, .max:
      if dialect == .postgres && a.argumentType == .bool {
        return w(a.kind == .min ? "bool_and(\(x))" : "bool_or(\(x))")
      }
      let arg = a.argumentType == .text ? dialect.byCodePoint(x) : x
      return w("\(a.kind == .min ? "MIN" : "MAX")(\(arg))")
    case .median, .quantile:
      let p = CellText.format(a.kind == .median ? 0.5 : a.fraction)
      switch dialect {
      case .duckdb: return w("quantile_cont(\(x), \(p))")
      case .postgres:
        try needs(!windowed, "PostgreSQL has no windowed percentile_cont: group, then join")
        return "percentile_cont(\(p)) WITHIN GROUP (ORDER BY \(x))"
      case .spark: return w("percentile(\(x), \(p))")
      case .sqlite:
        try needs(false, "SQLite has no quantile aggregate")
        return ""
      }
    case .stddev, .var:
      let name = a.kind == .stddev ? "stddev_samp" : "var_samp"
      switch dialect {
      case .postgres: return "CAST(\(w("\(name)(\(x))")) AS double precision)"
      case .sqlite:
        let v = "CAST(\(x) AS REAL)"
        let variance =
          "max(0, (\(w("SUM(\(v) * \(v))")) - \(w("SUM(\(v))")) * \(w("SUM(\(v))")) / "
          + "\(w("COUNT(\(x))"))) / (\(w("COUNT(\(x))")) - 1))"
        caveat("SQLite has no variance: the SQL uses sums of squares, less exact", at: a.span)
        return "CASE WHEN \(w("COUNT(\(x))")) > 1 THEN "
          + (a.kind == .stddev ? "sqrt(\(variance))" : variance) + " END"
      default: return w("\(name)(\(x))")
      }
    case .mode:
      switch dialect {
      case .postgres:
        try needs(!windowed, "PostgreSQL's mode is not a window function: group, then join")
        return "mode() WITHIN GROUP (ORDER BY \(x))"
      case .duckdb:
        caveat("DuckDB's mode picks any of equally frequent values; pantau the least", at: a.span)
        return w("mode(\(x))")
      case .spark:
        caveat("Spark's mode picks any of equally frequent values; pantau the least", at: a.span)
        return w("mode(\(x))")
      case .sqlite:
        try needs(false, "SQLite has no mode aggregate")
        return ""
      }
    case .first, .last:
      let first = a.kind == .first
      let filter = "FILTER (WHERE \(x) IS NOT NULL)"
      switch dialect {
      case .duckdb: return "\(first ? "arg_min" : "arg_max")(\(x), _row) \(filter)"
      case .postgres:
        return "(array_agg(\(x) ORDER BY _row\(first ? "" : " DESC")) \(filter))[1]"
      case .spark: return "\(first ? "min_by" : "max_by")(\(x), _row) \(filter)"
      case .sqlite:
        try needs(false, "SQLite has no ordered aggregates here")
        return ""
      }
    case .stringAgg:
      let sep = dialect.text(a.separator)
      let text = textOf(.atom(x), a.argumentType ?? .text, at: a.span).text
      switch dialect {
      case .duckdb: return w("string_agg(\(text), \(sep) ORDER BY _row)")
      case .postgres:
        try needs(!windowed, "PostgreSQL orders string_agg only inside group")
        return "string_agg(\(text), \(sep) ORDER BY _row)"
      case .sqlite:
        try needs(!windowed, "SQLite orders group_concat only inside group")
        return "group_concat(\(text), \(sep))"
      case .spark:
        try needs(!windowed, "Spark orders collected values only inside group")
        return "array_join(transform(array_sort(collect_list(named_struct('r', _row, 'v', "
          + "\(text))) FILTER (WHERE \(x) IS NOT NULL)), s -> s.v), \(sep))"
      }
    case .corr, .covarSamp, .covarPop, .regrSlope, .regrIntercept, .regrR2:
      try needs(dialect != .sqlite, "SQLite has no \(a.kind.rawValue)")
      let call = w("\(a.kind.rawValue)(\(x), \(a.position ?? "NULL"))")
      if dialect == .duckdb {
        // DuckDB gives NaN where a column is constant; pantau (and SQL's standard) null.
        return "CASE WHEN isnan(\(call)) THEN NULL ELSE \(call) END"
      }
      return call
    case .spark:
      try needs(false, "spark() draws text in pantau; compute it there")
      return ""
    }
  }

  /// For SQLite: a CTE over the input that adds, per aggregate that needs an order (first,
  /// last, median, quantile, string_agg), window columns over the group's rows; and the
  /// aggregate SQL that reads them.
  private func sqlitePrepared(
    _ p: Relation, _ keySQL: [String], _ aggregates: [AggregateCall], _ plan: Plan
  ) throws(Diagnostic) -> (Relation, [Int: String]) {
    let partition = keySQL.isEmpty ? "" : "PARTITION BY \(keySQL.joined(separator: ", "))"
    let part = partition.isEmpty ? "" : partition + " "
    var extra: [String] = []
    var ready: [Int: String] = [:]
    var ordered = false
    for (j, call) in aggregates.enumerated() {
      guard let arg = call.argument else { continue }
      let x = try expression(arg, p.columns)
      switch call.kind {
      case .first, .last:
        let dir = call.kind == .first ? "_row" : "_row DESC"
        extra.append(
          "FIRST_VALUE(\(x)) OVER (\(part)ORDER BY (\(x)) IS NULL, \(dir) ROWS BETWEEN "
            + "UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS _f\(j)")
        ready[j] = "MIN(_f\(j))"
      case .median, .quantile:
        let f = CellText.format(call.kind == .median ? 0.5 : call.fraction)
        extra.append("CAST(\(x) AS REAL) AS _v\(j)")
        extra.append("ROW_NUMBER() OVER (\(part)ORDER BY (\(x)) IS NULL, \(x)) AS _r\(j)")
        extra.append("COUNT(\(x)) OVER (\(partition)) AS _c\(j)")
        let h = "CAST(\(f) * (_c\(j) - 1) AS INTEGER)"
        let lo = "MAX(CASE WHEN _r\(j) = \(h) + 1 THEN _v\(j) END)"
        let hi = "MAX(CASE WHEN _r\(j) = min(\(h) + 2, _c\(j)) THEN _v\(j) END)"
        let frac = "(\(f) * (MAX(_c\(j)) - 1) - CAST(\(f) * (MAX(_c\(j)) - 1) AS INTEGER))"
        ready[j] = "\(lo) + (\(hi) - \(lo)) * \(frac)"
      case .stringAgg:
        ordered = true
      default: break
      }
    }
    guard !extra.isEmpty || ordered else { return (p, [:]) }
    var lines = ["SELECT" + list(["*"] + extra), "FROM \(p.name)"]
    if ordered { lines.append("ORDER BY _row") }
    let name = add(stageName(plan, "group") + "_rows", lines)
    return (Relation(name: name, columns: p.columns), ready)
  }

  func pivoted(_ pivot: Plan, _ table: Table, _ plan: Plan, _ columns: [String])
    throws(Diagnostic) -> Relation
  {
    guard case .pivot(let input, let rowKeys, let key, let value, let kind) = pivot.op else {
      throw unsupported("this pivot", at: plan.span, hint: "run it in pantau")
    }
    let p = try relation(input)
    let keyType = input.schema.fields[key].type
    let keyCol = p.columns[key]
    let rowCols = rowKeys.map { p.columns[$0] }
    var items = rowCols
    let valueNames = Array(table.names.dropFirst(rowKeys.count))
    for (i, (name, out)) in zip(valueNames, columns.dropFirst(rowKeys.count)).enumerated() {
      let test: String
      // A null key's column is called null and comes last (keys ascend, nulls last).
      if name == "null" && (keyType != .text || i == valueNames.count - 1) {
        test = "\(keyCol) IS NULL"
      } else {
        test = "\(keyCol) = \(literal(Self.value(name, keyType), type: keyType).text)"
      }
      let spec = AggregateInput(
        kind: kind, argument: "CASE WHEN \(test) THEN \(p.columns[value]) END",
        argumentType: input.schema.fields[value].type, position: nil, fraction: 0.5,
        separator: ",", type: .text, span: plan.span)
      if dialect == .sqlite && [.first, .last, .median, .mode].contains(kind) {
        throw unsupported(
          "pivot with \(kind.rawValue)", at: plan.span, hint: "SQLite has no ordered aggregates")
      }
      items.append("\(try aggregate(spec)) AS \(out)")
    }
    let terms = zip(rowCols, rowKeys).map {
      orderTerm($0, input.schema.fields[$1].type, descending: false)
    }
    let number =
      rowKeys.isEmpty
      ? "1 AS _row" : "ROW_NUMBER() OVER (ORDER BY \(terms.joined(separator: ", "))) AS _row"
    var lines = ["SELECT" + list(items + [number]), "FROM \(p.name)"]
    lines.append(
      rowKeys.isEmpty ? "HAVING COUNT(*) > 0" : "GROUP BY " + rowCols.joined(separator: ", "))
    let name = add(stageName(plan, "pivot"), lines)
    return Relation(name: name, columns: columns)
  }

  /// A pivot column's name back as the key value it stands for.
  static func value(_ name: String, _ type: DataType) -> Value {
    switch type {
    case .int: Int(name).map(Value.int) ?? .text(name)
    case .float: Double(name).map(Value.float) ?? .text(name)
    case .bool: .bool(name == "true")
    case .date: CivilDate.parse(name).map(Value.date) ?? .text(name)
    case .text: .text(name)
    }
  }

  func describe(_ input: Plan, _ plan: Plan) throws(Diagnostic) -> Relation {
    let p = try relation(input)
    let out = try columnNames(plan.schema, at: plan.span)
    var selects: [String] = []
    for (i, (c, field)) in zip(p.columns, input.schema.fields).enumerated() {
      func bound(_ f: String) throws(Diagnostic) -> String {
        let spec = AggregateInput(
          kind: f == "min" ? .min : .max, argument: c, argumentType: field.type, position: nil,
          fraction: 0, separator: "", type: field.type, span: plan.span)
        let agg = try aggregate(spec)
        return textOf(.atom(agg), field.type, at: plan.span).text
      }
      let mean =
        field.type.isNumeric
        ? (dialect == .postgres ? "CAST(AVG(\(c)) AS double precision)" : "AVG(\(c))")
        : "CAST(NULL AS \(dialect.typeName(.float)))"
      let items = [
        "\(dialect.text(field.name)) AS \(out[0])",
        "\(dialect.text(field.type.rawValue)) AS \(out[1])",
        "COUNT(\(c)) AS \(out[2])", "COUNT(*) - COUNT(\(c)) AS \(out[3])",
        "COUNT(DISTINCT \(c)) AS \(out[4])", "\(try bound("min")) AS \(out[5])",
        "\(try bound("max")) AS \(out[6])", "\(mean) AS \(out[7])", "\(i + 1) AS _row",
      ]
      selects.append("SELECT" + list(items) + "\n    FROM \(p.name)")
    }
    if selects.isEmpty {
      let nulls = zip(out, plan.schema.fields).map {
        "CAST(NULL AS \(dialect.typeName($1.type))) AS \($0)"
      }
      selects.append("SELECT" + list(nulls + ["0 AS _row"]) + " FROM \(p.name) WHERE 1 = 0")
    }
    let name = add(
      stageName(plan, "describe"), [selects.joined(separator: "\n    UNION ALL\n    ")])
    return Relation(name: name, columns: out)
  }
}
