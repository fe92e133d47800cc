import Columnar

extension Executor {
  /// Evaluates an expression over a table's rows.
  func evaluate(_ e: BoundExpr, _ t: Table) throws(EngineError) -> Column {
    try evaluate(e, columns: t.columns, count: t.rowCount)
  }

  /// Evaluates an expression over columns of `count` rows.
  func evaluate(_ e: BoundExpr, columns: [Column], count: Int) throws(EngineError) -> Column {
    if let chunked = try byChunks(e, columns, count) { return chunked }
    return try operand(e, columns, count).materialize(e.type, count)
  }

  /// An expression of numbers over many rows evaluated a chunk of rows at a time on every
  /// core (`ChunkedColumns`), so that its intermediate columns stay in the cache; nil in
  /// the planner's general mode, for a text expression or one whose functions are not
  /// row by row, and when a chunk fails: the whole-column evaluation then raises the
  /// error where it arises first. Each row's value is what the whole-column evaluation
  /// gives (the same loops run on fewer rows), and the notices of float results made null
  /// are counted by chunk and kept in the order the whole-column evaluation records them.
  func byChunks(_ e: BoundExpr, _ columns: [Column], _ n: Int) throws(EngineError)
    -> Column?
  {
    guard planner.mode == .fast, n >= Tuning.chunkedExpressionsFrom, e.computes,
      e.evaluatesByRows(columns)
    else { return nil }
    let shared = SharedExecutor(executor: self)
    let built: (Column, [[(SourceSpan?, Int)]])
    do throws(EngineError) {
      built = try ChunkedColumns.build(
        e.type, count: n, chunk: Tuning.expressionChunkRows, inputs: columns,
        reading: Array(Set(e.columns)).sorted()
      ) { chunk, m throws(EngineError) in
        var worker = shared.executor
        worker.notices = Notices()
        worker.notices.stage = shared.executor.notices.stage
        let column = try worker.operand(e, chunk, m).materialize(e.type, m)
        return (column, worker.notices.order.map { ($0, worker.notices.counts[$0] ?? 0) })
      }
    } catch {
      if case .cancelled = error { throw error }
      return nil
    }
    var counts: [SourceSpan?: Int] = [:]
    var seen: [SourceSpan?] = []
    for said in built.1 {
      for (span, k) in said {
        if counts[span] == nil { seen.append(span) }
        counts[span, default: 0] += k
      }
    }
    let order = e.floatResultSpans
    let ranked = seen.enumerated().sorted { a, b in
      let x = a.element.flatMap { order.firstIndex(of: $0) } ?? order.count + a.offset
      let y = b.element.flatMap { order.firstIndex(of: $0) } ?? order.count + b.offset
      return x < y
    }
    for (_, span) in ranked { notices.record(counts[span] ?? 0, at: span) }
    return built.0
  }

  func operand(_ e: BoundExpr, _ cols: [Column], _ n: Int) throws(EngineError) -> Operand {
    switch e.kind {
    case .column(let i):
      return .column(cols[i])
    case .literal(let v):
      return .scalar(v)
    case .cast(let x):
      return cast(try operand(x, cols, n), from: x.type, to: e.type, n)
    case .unary(let op, let x):
      return try unary(op, try operand(x, cols, n), e.type, n)
    case .binary(let op, let l, let r):
      // An int side of float arithmetic is converted as the arithmetic reads it, not
      // widened into a column of its own first.
      let arithmetic = e.type == .float && op.isArithmetic
      let a = try operand(arithmetic ? l.uncastInt : l, cols, n)
      let b = try operand(arithmetic ? r.uncastInt : r, cols, n)
      let r = try binary(op, a, b, l.type, e.type, n)
      return e.type == .float ? finite(r, at: e.span, rows: n) : r
    case .function(let f, let args):
      var ops: [Operand] = []
      for a in args { ops.append(try operand(a, cols, n)) }
      return try callFunction(f, ops, args.map(\.type), e.type, n)
    case .isNull(let x, let negated):
      switch try operand(x, cols, n) {
      case .scalar(let v): return .scalar(.bool(v.isNull != negated))
      case .column(let c) where !c.validity.hasNulls:
        return .scalar(.bool(negated))
      case .column(let c):
        let valid = c.validity
        let flags = (0..<n).map { valid.isValid($0) == negated }
        return .column(.bool(TypedColumn(flags)))
      }
    case .inList(let x, let items, let negated):
      return try inList(x, items, negated, cols, n)
    case .inRange(let x, let lo, let hi, let negated):
      let v = try operand(x, cols, n)
      let ge = try binary(.greaterEqual, v, try operand(lo, cols, n), x.type, .bool, n)
      let le = try binary(.lessEqual, v, try operand(hi, cols, n), x.type, .bool, n)
      let both = try binary(.and, ge, le, .bool, .bool, n)
      return negated ? try unary(.not, both, .bool, n) : both
    }
  }

  private func cast(_ x: Operand, from: DataType, to: DataType, _ n: Int) -> Operand {
    switch (x, from, to) {
    case (.column(let c), .int, .float): return .column(c.widened(to: .float))
    case (.scalar(.int(let v)), .int, .float): return .scalar(.float(Double(v)))
    case (.scalar(.null), _, _): return .scalar(.null)
    default: return x
    }
  }

  private func unary(_ op: UnaryOperator, _ x: Operand, _ type: DataType, _ n: Int)
    throws(EngineError) -> Operand
  {
    switch (op, type) {
    case (.not, _):
      return .column(
        .bool(zipMap(x.bools, Side<Bool>.scalar(true), n, placeholder: false) { a, _ in !a }))
    case (.negate, .float):
      return .column(
        .float(zipMap(x.floats, Side<Double>.scalar(0), n, placeholder: 0) { a, _ in -a }))
    default:
      var overflow = false
      let r = zipMap(x.ints, Side<Int>.scalar(0), n, placeholder: 0) { a, _ -> Int? in
        let (v, o) = (0).subtractingReportingOverflow(a)
        if o { overflow = true }
        return v
      }
      if overflow { throw .overflow(operation: "negation") }
      return .column(.int(r))
    }
  }

  private func inList(
    _ x: BoundExpr, _ items: [BoundExpr], _ negated: Bool, _ cols: [Column], _ n: Int
  ) throws(EngineError) -> Operand {
    let v = try operand(x, cols, n)
    var result: Operand?
    for item in items {
      let eq = try binary(.equal, v, try operand(item, cols, n), x.type, .bool, n)
      result =
        try result.map { r throws(EngineError) in try binary(.or, r, eq, .bool, .bool, n) } ?? eq
    }
    guard let result else { return .scalar(.bool(negated)) }
    return negated ? try unary(.not, result, .bool, n) : result
  }
}

extension BoundExpr {
  /// The int expression under a widening to float, else the expression itself (the float
  /// arithmetic converts an int side as it reads it).
  var uncastInt: BoundExpr {
    if case .cast(let x) = kind, x.type == .int, type == .float { return x }
    return self
  }
}

/// The executor handed to the threads of a chunked evaluation. Each chunk evaluates with
/// notices of its own; the rest of what it holds (the plan's settings, the cancellation
/// flag, which is atomic) is only read while expressions are evaluated.
private struct SharedExecutor: @unchecked Sendable {
  let executor: Executor
}

extension BoundExpr {
  /// Whether evaluating it computes something (it is not a column or a constant as it is).
  var computes: Bool {
    switch kind {
    case .column, .literal: false
    default: true
    }
  }

  /// Whether every row's value depends on that row alone and costs no more on a chunk of
  /// rows than on all of them: no text anywhere (a text function runs once per dictionary
  /// entry, which a chunk would repeat), and functions of numbers only.
  func evaluatesByRows(_ columns: [Column]) -> Bool {
    guard type != .text else { return false }
    switch kind {
    case .column(let i): return i < columns.count && columns[i].type != .text
    case .literal: return true
    case .unary(_, let x), .cast(let x), .isNull(let x, _): return x.evaluatesByRows(columns)
    case .binary(_, let l, let r):
      return l.evaluatesByRows(columns) && r.evaluatesByRows(columns)
    case .function(let f, let args):
      switch f {
      case .abs, .round, .floor, .ceil, .sqrt, .ln, .exp, .pow, .if, .coalesce, .year, .month,
        .day, .int, .float:
        return args.allSatisfy { $0.evaluatesByRows(columns) }
      default: return false
      }
    case .inList(let x, let items, _):
      return x.evaluatesByRows(columns) && items.allSatisfy { $0.evaluatesByRows(columns) }
    case .inRange(let x, let lo, let hi, _):
      return x.evaluatesByRows(columns) && lo.evaluatesByRows(columns)
        && hi.evaluatesByRows(columns)
    }
  }

  /// The spans of its float arithmetic, in the order evaluation reaches them (operands
  /// first): where non-finite results are counted.
  var floatResultSpans: [SourceSpan] {
    switch kind {
    case .column, .literal: return []
    case .unary(_, let x), .cast(let x), .isNull(let x, _): return x.floatResultSpans
    case .binary(_, let l, let r):
      return l.floatResultSpans + r.floatResultSpans + (type == .float ? [span] : [])
    case .function(_, let args): return args.flatMap(\.floatResultSpans)
    case .inList(let x, let items, _): return x.floatResultSpans + items.flatMap(\.floatResultSpans)
    case .inRange(let x, let lo, let hi, _):
      return x.floatResultSpans + lo.floatResultSpans + hi.floatResultSpans
    }
  }
}
