import Columnar

extension Executor {
  /// Evaluates an expression over a table's rows.
  func evaluate(_ e: BoundExpr, _ t: Table) throws(EngineError) -> Column {
    try evaluate(e, columns: t.columns, count: t.rowCount)
  }

  /// Evaluates an expression over columns of `count` rows.
  func evaluate(_ e: BoundExpr, columns: [Column], count: Int) throws(EngineError) -> Column {
    try operand(e, columns, count).materialize(e.type, count)
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
      let a = try operand(l, cols, n)
      let b = try operand(r, cols, n)
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
