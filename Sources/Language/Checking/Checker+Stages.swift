import Columnar

extension Checker {
  func checkStage(_ stage: Stage, input: Plan) throws(Diagnostic) -> Plan {
    let span = stage.span
    switch stage.kind {
    case .filter(let e):
      var c = Collector()
      let b = try bind(e, Scope(schema: input.schema, mode: .row), &c)
      guard b.type == .bool || b.isNullLiteral else { throw .filterNeedsBool(b) }
      return Plan(op: .filter(input, b.cast(to: .bool)), schema: input.schema, span: span)
    case .select(let items): return try checkSelect(items, input, span)
    case .drop(let names): return try checkDrop(names, input, span)
    case .derive(let bindings, let by, let order):
      var plan = input
      for b in bindings { plan = try checkDerive(b, by: by, order: order, plan, span) }
      return plan
    case .sort(let items):
      let keys = try bindOrder(items, input.schema)
      return Plan(op: .sort(input, keys), schema: input.schema, span: span)
    case .take(let e):
      let n = try constantInt(e, what: "the row count of take")
      guard n >= 0 else { throw .negativeTake(n, at: e.span) }
      return Plan(op: .take(input, n), schema: input.schema, span: span)
    case .group(let keys, let aggregates): return try checkGroup(keys, aggregates, input, span)
    case .rank(let e, let desc, let by, let name):
      return try checkRank(
        e, desc, by, name?.text ?? "rank", limit: nil, input, span)
    case .top(let n, let e, let desc, let by, let ties):
      let limit = try constantInt(n, what: "the N of top")
      guard limit >= 0 else { throw .negativeTake(limit, at: n.span) }
      return try checkRank(e, desc, by, "rank", limit: limit, exact: !ties, input, span)
    case .join(let left, let source, let on): return try checkJoin(left, source, on, input, span)
    case .distinct(let names):
      let cols = try names.map { n throws(Diagnostic) in try resolve(n, in: input.schema) }
      let schema = cols.isEmpty ? input.schema : Schema(cols.map { input.schema.fields[$0] })
      return Plan(op: .distinct(input, columns: cols), schema: schema, span: span)
    case .append(let source): return try checkAppend(source, input, span)
    case .pivot(let key, let value, let agg): return try checkPivot(key, value, agg, input, span)
    case .describe:
      let fields = [
        Field("name", .text), Field("type", .text), Field("count", .int), Field("nulls", .int),
        Field("distinct", .int), Field("min", .text), Field("max", .text), Field("mean", .float),
      ]
      return Plan(op: .describe(input), schema: Schema(fields), span: span)
    case .save, .chart:
      throw .afterTerminal(stage.keywordSpan)
    }
  }

  func bindOrder(_ items: [OrderItem], _ schema: Schema) throws(Diagnostic) -> [BoundOrder] {
    var c = Collector()
    var out: [BoundOrder] = []
    for item in items {
      let b = try bind(item.expr, Scope(schema: schema, mode: .row), &c)
      out.append(BoundOrder(expr: b, descending: item.descending, nullsFirst: item.nullsFirst))
    }
    return out
  }

  func bindRow(_ exprs: [Expr], _ schema: Schema) throws(Diagnostic) -> [BoundExpr] {
    var c = Collector()
    var out: [BoundExpr] = []
    for e in exprs { out.append(try bind(e, Scope(schema: schema, mode: .row), &c)) }
    return out
  }

  private func checkSelect(_ items: [Binding], _ input: Plan, _ span: SourceSpan)
    throws(Diagnostic) -> Plan
  {
    var c = Collector()
    var exprs: [BoundExpr] = []
    var fields: [Field] = []
    for item in items {
      let b = try bind(item.expr, Scope(schema: input.schema, mode: .row), &c)
      if fields.contains(where: { $0.name == item.name.text }) {
        throw .duplicateColumn(item.name)
      }
      exprs.append(b)
      fields.append(Field(item.name.text, b.isNullLiteral ? .text : b.type))
    }
    return Plan(op: .project(input, exprs), schema: Schema(fields), span: span)
  }

  private func checkDrop(_ names: [Name], _ input: Plan, _ span: SourceSpan) throws(Diagnostic)
    -> Plan
  {
    var dropped = Set<Int>()
    for n in names { dropped.insert(try resolve(n, in: input.schema)) }
    let kept = input.schema.fields.indices.filter { !dropped.contains($0) }
    let exprs = kept.map { BoundExpr(.column($0), input.schema.fields[$0].type, span) }
    return Plan(
      op: .project(input, exprs), schema: Schema(kept.map { input.schema.fields[$0] }), span: span)
  }

  private func checkDerive(
    _ binding: Binding, by: [Expr], order: [OrderItem], _ input: Plan, _ span: SourceSpan
  ) throws(Diagnostic) -> Plan {
    var c = Collector()
    let b = try bind(binding.expr, Scope(schema: input.schema, mode: .window), &c)
    var source = input
    if !c.windows.isEmpty {
      let partition = try bindRow(by, input.schema)
      let keys = try bindOrder(order, input.schema)
      let fields =
        input.schema.fields
        + c.windows.enumerated().map { Field("#w\($0.offset)", $0.element.type) }
      source = Plan(
        op: .window(input, partition: partition, order: keys, calls: c.windows),
        schema: Schema(fields), span: span)
    } else if !by.isEmpty || !order.isEmpty {
      throw .byWithoutWindow(binding.expr.span)
    }
    let type = b.isNullLiteral ? DataType.text : b.type
    var exprs = input.schema.fields.indices.map {
      BoundExpr(.column($0), input.schema.fields[$0].type, span)
    }
    var fields = input.schema.fields
    if let existing = input.schema.index(of: binding.name.text) {
      exprs[existing] = b.cast(to: type)
      fields[existing] = Field(binding.name.text, type)
    } else {
      exprs.append(b.cast(to: type))
      fields.append(Field(binding.name.text, type))
    }
    return Plan(op: .project(source, exprs), schema: Schema(fields), span: span)
  }

  private func checkGroup(
    _ keys: [Binding], _ aggregates: [Binding], _ input: Plan, _ span: SourceSpan
  ) throws(Diagnostic) -> Plan {
    var keyExprs: [BoundExpr] = []
    var keyFields: [Field] = []
    var c = Collector()
    for k in keys {
      let b = try bind(k.expr, Scope(schema: input.schema, mode: .row), &c)
      if keyFields.contains(where: { $0.name == k.name.text }) { throw .duplicateColumn(k.name) }
      keyExprs.append(b)
      keyFields.append(Field(k.name.text, b.isNullLiteral ? .text : b.type))
    }
    let scope = Scope(schema: Schema(keyFields), mode: .group(input: input.schema))
    var outputs = keyFields.indices.map { BoundExpr(.column($0), keyFields[$0].type, span) }
    var fields = keyFields
    let items =
      aggregates.isEmpty
      ? [Binding(name: Name("n", span), expr: Expr(.call("count", []), span))] : aggregates
    for item in items {
      let b = try bind(item.expr, scope, &c)
      if fields.contains(where: { $0.name == item.name.text }) { throw .duplicateColumn(item.name) }
      outputs.append(b)
      fields.append(Field(item.name.text, b.isNullLiteral ? .text : b.type))
    }
    return Plan(
      op: .group(input, keys: keyExprs, aggregates: c.aggregates, outputs: outputs),
      schema: Schema(fields), span: span)
  }

  private func checkRank(
    _ e: Expr, _ desc: Bool, _ by: [Expr], _ name: String, limit: Int?, exact: Bool = false,
    _ input: Plan, _ span: SourceSpan
  ) throws(Diagnostic) -> Plan {
    var c = Collector()
    let b = try bind(e, Scope(schema: input.schema, mode: .row), &c)
    let partition = try bindRow(by, input.schema)
    var fields = input.schema.fields
    if let i = input.schema.index(of: name) { fields.remove(at: i) }
    fields.append(Field(name, .int))
    let keep = input.schema.index(of: name)
    // Only `top` passes a limit here, and it keeps the best rows: a row whose value is null
    // is not among them (the planner limits `rank … | filter r <= N`, which keeps nulls).
    let ranked =
      limit == nil
      ? input
      : Plan(
        op: .filter(input, BoundExpr(.isNull(b, negated: true), .bool, b.span)),
        schema: input.schema, span: span)
    return Plan(
      op: .rank(
        ranked, b, descending: desc, partition: partition, limit: limit, keepColumn: true,
        exact: exact),
      schema: Schema(fields), span: span
    ).replacingColumn(keep)
  }

  private func checkAppend(_ source: PipelineSource, _ input: Plan, _ span: SourceSpan)
    throws(Diagnostic) -> Plan
  {
    let right = try checkSource(source)
    var fields = input.schema.fields
    var rightMap: [Int] = []
    for f in right.schema.fields {
      if let i = fields.firstIndex(where: { $0.name == f.name }) {
        guard let t = DataType.common(fields[i].type, f.type) else {
          throw .appendMismatch(f.name, fields[i].type, f.type, at: span)
        }
        fields[i].type = t
        rightMap.append(i)
      } else {
        rightMap.append(fields.count)
        fields.append(f)
      }
    }
    return Plan(
      op: .append(input, right, leftMap: Array(input.schema.fields.indices), rightMap: rightMap),
      schema: Schema(fields), span: span)
  }
}

extension Plan {
  /// After a rank whose name replaces an existing column, moves the new column into that
  /// column's place.
  func replacingColumn(_ index: Int?) -> Plan {
    guard let index else { return self }
    let n = schema.fields.count
    var order = Array(0..<(n - 1))
    order.insert(n - 1, at: index)
    let exprs = order.map { BoundExpr(.column($0), schema.fields[$0].type, span) }
    return Plan(
      op: .project(self, exprs), schema: Schema(order.map { schema.fields[$0] }), span: span)
  }
}
