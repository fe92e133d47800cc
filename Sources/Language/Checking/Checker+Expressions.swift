import Columnar

/// What names mean while binding an expression.
struct Scope {
  enum Mode {
    /// Row-wise: columns of `schema`; aggregates are errors.
    case row
    /// Group output: `schema` holds the keys; aggregates bind over `input`.
    case group(input: Schema)
    /// Derive with windows: `schema` is the input; window and aggregate calls are collected.
    case window
  }

  var schema: Schema
  var mode: Mode
}

/// Aggregate and window calls found while binding.
struct Collector {
  var aggregates: [AggregateCall] = []
  var windows: [WindowCall] = []
}

extension Checker {
  func bind(_ e: Expr, _ scope: Scope, _ c: inout Collector) throws(Diagnostic) -> BoundExpr {
    switch e.kind {
    case .column(let name):
      guard let i = scope.schema.index(of: name) else {
        if case .group(let input) = scope.mode, input.index(of: name) != nil {
          throw .notAKey(name, at: e.span, keys: scope.schema.names)
        }
        throw .unknownColumn(name, at: e.span, available: scope.schema.names)
      }
      return BoundExpr(.column(i), scope.schema.fields[i].type, e.span)
    case .literal(let v):
      return BoundExpr(.literal(v), v.type ?? .text, e.span)
    case .parameter(let name):
      guard let v = context.catalog.parameters[name] else { throw .unsetParameter(name, e.span) }
      return BoundExpr(.literal(v), v.type ?? .text, e.span)
    case .unary(let op, let operand):
      return try bindUnary(op, operand, e.span, scope, &c)
    case .binary(let op, let l, let r):
      return try bindBinary(op, l, r, e.span, scope, &c)
    case .call(let name, let args):
      return try bindCall(name, args, e.span, scope, &c)
    case .inList(let x, let items, let negated):
      let bx = try bind(x, scope, &c)
      var bound: [BoundExpr] = []
      var type = bx.type
      for item in items {
        let bi = try bind(item, scope, &c)
        guard let t = unify(type, bi) else { throw .mismatch(bx, bi, "in", at: item.span) }
        type = t
        bound.append(bi)
      }
      return BoundExpr(
        .inList(bx.cast(to: type), bound.map { $0.cast(to: type) }, negated: negated), .bool,
        e.span)
    case .inRange(let x, let lo, let hi, let negated):
      let bx = try bind(x, scope, &c)
      let bl = try bind(lo, scope, &c)
      let bh = try bind(hi, scope, &c)
      guard let t1 = unify(bx.type, bl), let t = unify(t1, bh) else {
        throw .mismatch(bx, bl, "in", at: e.span)
      }
      return BoundExpr(
        .inRange(bx.cast(to: t), bl.cast(to: t), bh.cast(to: t), negated: negated), .bool, e.span)
    }
  }

  /// The type both can be brought to, treating a null literal as fitting anything.
  func unify(_ t: DataType, _ b: BoundExpr) -> DataType? {
    b.isNullLiteral ? t : DataType.common(t, b.type)
  }

  private func bindUnary(
    _ op: UnaryOperator, _ operand: Expr, _ span: SourceSpan, _ scope: Scope, _ c: inout Collector
  ) throws(Diagnostic) -> BoundExpr {
    let b = try bind(operand, scope, &c)
    switch op {
    case .not:
      guard b.type == .bool || b.isNullLiteral else { throw .needsBool(b, "not") }
      return BoundExpr(.unary(.not, b.cast(to: .bool)), .bool, span)
    case .negate:
      guard b.type.isNumeric || b.isNullLiteral else { throw .needsNumber(b, "-") }
      return BoundExpr(.unary(.negate, b), b.isNullLiteral ? .int : b.type, span)
    }
  }

  private func bindBinary(
    _ op: BinaryOperator, _ l: Expr, _ r: Expr, _ span: SourceSpan, _ scope: Scope,
    _ c: inout Collector
  ) throws(Diagnostic) -> BoundExpr {
    var bl = try bind(l, scope, &c)
    var br = try bind(r, scope, &c)
    if op == .equal || op == .notEqual {
      if br.isNullLiteral { return BoundExpr(.isNull(bl, negated: op == .notEqual), .bool, span) }
      if bl.isNullLiteral { return BoundExpr(.isNull(br, negated: op == .notEqual), .bool, span) }
    }
    if bl.isNullLiteral { bl = bl.cast(to: br.type) }
    if br.isNullLiteral { br = br.cast(to: bl.type) }
    switch op {
    case .and, .or:
      guard bl.type == .bool else { throw .needsBool(bl, op.rawValue) }
      guard br.type == .bool else { throw .needsBool(br, op.rawValue) }
      return BoundExpr(.binary(op, bl, br), .bool, span)
    case .contains, .like, .ilike:
      guard bl.type == .text, br.type == .text else {
        throw .mismatch(bl, br, op.rawValue, at: span)
      }
      return BoundExpr(.binary(op, bl, br), .bool, span)
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
      guard let t = DataType.common(bl.type, br.type) else {
        throw .mismatch(bl, br, op.rawValue, at: span)
      }
      return BoundExpr(.binary(op, bl.cast(to: t), br.cast(to: t)), .bool, span)
    case .add, .subtract, .multiply, .divide, .modulo:
      return try bindArithmetic(op, bl, br, span)
    }
  }

  private func bindArithmetic(
    _ op: BinaryOperator, _ bl: BoundExpr, _ br: BoundExpr, _ span: SourceSpan
  ) throws(Diagnostic) -> BoundExpr {
    switch (bl.type, br.type, op) {
    case (.text, .text, .add):
      return BoundExpr(.binary(op, bl, br), .text, span)
    case (.date, .int, .add), (.date, .int, .subtract):
      return BoundExpr(.binary(op, bl, br), .date, span)
    case (.int, .date, .add):
      return BoundExpr(.binary(op, br, bl), .date, span)
    case (.date, .date, .subtract):
      return BoundExpr(.binary(op, bl, br), .int, span)
    default:
      break
    }
    guard bl.type.isNumeric else { throw .needsNumber(bl, op.rawValue) }
    guard br.type.isNumeric else { throw .needsNumber(br, op.rawValue) }
    if op == .divide {
      return BoundExpr(.binary(op, bl.cast(to: .float), br.cast(to: .float)), .float, span)
    }
    let t: DataType = bl.type == .int && br.type == .int ? .int : .float
    return BoundExpr(.binary(op, bl.cast(to: t), br.cast(to: t)), t, span)
  }
}
