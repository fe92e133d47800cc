import Columnar

extension Checker {
  func checkJoin(
    _ left: Bool, _ source: PipelineSource, _ on: [(Name, Name)], _ input: Plan,
    _ span: SourceSpan
  ) throws(Diagnostic) -> Plan {
    let right = try checkSource(source)
    var leftKeys: [Int] = []
    var rightKeys: [Int] = []
    var droppedRight = Set<Int>()
    for (a, b) in on {
      var li = input.schema.index(of: a.text)
      var ri = right.schema.index(of: b.text)
      if li == nil || ri == nil, a.text != b.text,
        let sl = input.schema.index(of: b.text), let sr = right.schema.index(of: a.text)
      {
        li = sl
        ri = sr
      }
      guard let li else {
        throw .unknownColumn(a.text, at: a.span, available: input.schema.names)
      }
      guard let ri else {
        throw .unknownColumn(b.text, at: b.span, available: right.schema.names)
      }
      let lt = input.schema.fields[li].type
      let rt = right.schema.fields[ri].type
      guard DataType.common(lt, rt) != nil else {
        throw .joinKeyMismatch(a.text, lt, b.text, rt, at: a.span.merged(b.span))
      }
      leftKeys.append(li)
      rightKeys.append(ri)
      if a.text == b.text { droppedRight.insert(ri) }
    }
    let kept = right.schema.fields.indices.filter { !droppedRight.contains($0) }
    var fields = input.schema.fields
    let suffix = "_" + sourceName(source)
    for r in kept {
      var f = right.schema.fields[r]
      if fields.contains(where: { $0.name == f.name }) {
        var name = f.name + suffix
        var k = 2
        while fields.contains(where: { $0.name == name }) || right.schema.index(of: name) != nil {
          name = f.name + suffix + "_\(k)"
          k += 1
        }
        f.name = name
      }
      fields.append(f)
    }
    return Plan(
      op: .join(
        input, right, left: left, leftKeys: leftKeys, rightKeys: rightKeys, rightKept: kept),
      schema: Schema(fields), span: span)
  }

  /// Pivot's output columns come from the data, so the input runs now and later stages are
  /// checked against the real result.
  func checkPivot(
    _ key: Name, _ value: Name, _ agg: Name?, _ input: Plan, _ span: SourceSpan
  ) throws(Diagnostic) -> Plan {
    let k = try resolve(key, in: input.schema)
    let v = try resolve(value, in: input.schema)
    guard k != v else { throw .pivotSameColumn(value) }
    var kind = AggregateKind.sum
    if let agg {
      guard let named = AggregateKind.named(agg.text), named != .quantile else {
        throw .unknownFunction(
          agg.text, at: agg.span,
          known: AggregateKind.allCases.filter { $0 != .quantile }.map(\.rawValue))
      }
      kind = named
    }
    let valueType = input.schema.fields[v].type
    if [.sum, .avg, .median, .stddev, .spark].contains(kind), !valueType.isNumeric {
      throw .needsNumber(BoundExpr(.column(v), valueType, value.span), kind.rawValue)
    }
    let rowKeys = input.schema.fields.indices.filter { $0 != k && $0 != v }
    let plan = Plan(
      op: .pivot(input, rowKeys: rowKeys, key: k, value: v, aggregate: kind),
      schema: Schema(rowKeys.map { input.schema.fields[$0] }), span: span)
    guard let runPivot = context.runPivot else { return plan }
    let table = try runPivot(plan)
    return Plan(op: .pivoted(plan, table), schema: table.schema, span: span)
  }

  func checkChart(_ spec: ChartSpec, plan: Plan, span: SourceSpan) throws(Diagnostic)
    -> ChartRequest
  {
    var columns: [Int] = []
    for n in spec.columns { columns.append(try resolve(n, in: plan.schema)) }
    let types = columns.map { plan.schema.fields[$0].type }
    func numeric(_ k: Int, _ role: String) throws(Diagnostic) {
      guard types[k].isNumeric else {
        throw .chartNeedsNumber(spec.kind, role, spec.columns[k], types[k])
      }
    }
    switch spec.kind {
    case .trend:
      guard [.int, .float, .date].contains(types[0]) else {
        throw .chartNeedsNumber(spec.kind, "x (a number, year or date)", spec.columns[0], types[0])
      }
      try numeric(1, "y")
    case .bar: try numeric(1, "the value")
    case .hist: try numeric(0, "the column")
    }
    let series = try spec.series.map { n throws(Diagnostic) in try resolve(n, in: plan.schema) }
    func option(_ e: Expr?, _ what: String, _ range: ClosedRange<Int>) throws(Diagnostic) -> Int? {
      guard let e else { return nil }
      let v = try constantInt(e, what: what)
      guard range.contains(v) else { throw .optionOutOfRange(what, range, at: e.span) }
      return v
    }
    return ChartRequest(
      kind: spec.kind, columns: columns, series: series,
      width: try option(spec.width, "width", 10...1000),
      height: try option(spec.height, "height", 3...200),
      bins: try option(spec.bins, "bins", 1...1000), span: span)
  }
}
