import Columnar

/// A type-checked expression: names resolved to column indices, operand types made equal by
/// explicit casts, so the executor never meets mixed types.
public struct BoundExpr: Sendable {
  /// The forms.
  public indirect enum Kind: Sendable {
    case column(Int)
    case literal(Value)
    case unary(UnaryOperator, BoundExpr)
    case binary(BinaryOperator, BoundExpr, BoundExpr)
    case function(ScalarFunction, [BoundExpr])
    case cast(BoundExpr)
    case isNull(BoundExpr, negated: Bool)
    case inList(BoundExpr, [BoundExpr], negated: Bool)
    case inRange(BoundExpr, BoundExpr, BoundExpr, negated: Bool)
  }

  /// The form.
  public var kind: Kind
  /// The result type.
  public var type: DataType
  /// Where it was written.
  public var span: SourceSpan
  /// Whether this is the literal `null`, whose type follows its context.
  var isNullLiteral: Bool {
    if case .literal(.null) = kind { return true }
    return false
  }

  init(_ kind: Kind, _ type: DataType, _ span: SourceSpan) {
    self.kind = kind
    self.type = type
    self.span = span
  }

  /// The expression converted to `target` (no-op when already of that type).
  func cast(to target: DataType) -> BoundExpr {
    if type == target { return self }
    if isNullLiteral { return BoundExpr(.literal(.null), target, span) }
    return BoundExpr(.cast(self), target, span)
  }

  /// Whether the expression is a column as it is. A fast path that evaluates expressions on
  /// other rows than the plan would (all rows instead of a filter's, say) takes only these,
  /// so an error such as an overflow is raised exactly when the plain plan raises it.
  var isColumn: Bool { columnIndex != nil }

  /// The column's index, when the expression is a column as it is.
  var columnIndex: Int? {
    if case .column(let i) = kind { return i }
    return nil
  }

  /// The column indices the expression reads.
  var columns: [Int] {
    switch kind {
    case .column(let i): [i]
    case .literal: []
    case .unary(_, let x), .cast(let x), .isNull(let x, _): x.columns
    case .binary(_, let a, let b): a.columns + b.columns
    case .function(_, let args): args.flatMap(\.columns)
    case .inList(let x, let items, _): x.columns + items.flatMap(\.columns)
    case .inRange(let x, let lo, let hi, _): x.columns + lo.columns + hi.columns
    }
  }

  /// The expression reading column `map[i]` wherever it read column `i`.
  func remapped(_ map: [Int: Int]) -> BoundExpr {
    var e = self
    switch kind {
    case .column(let i): e.kind = .column(map[i] ?? i)
    case .literal: break
    case .unary(let op, let x): e.kind = .unary(op, x.remapped(map))
    case .cast(let x): e.kind = .cast(x.remapped(map))
    case .isNull(let x, let n): e.kind = .isNull(x.remapped(map), negated: n)
    case .binary(let op, let a, let b): e.kind = .binary(op, a.remapped(map), b.remapped(map))
    case .function(let f, let args): e.kind = .function(f, args.map { $0.remapped(map) })
    case .inList(let x, let items, let n):
      e.kind = .inList(x.remapped(map), items.map { $0.remapped(map) }, negated: n)
    case .inRange(let x, let lo, let hi, let n):
      e.kind = .inRange(x.remapped(map), lo.remapped(map), hi.remapped(map), negated: n)
    }
    return e
  }

  /// The constant value when the expression is a literal.
  public var constant: Value? {
    if case .literal(let v) = kind { return v }
    return nil
  }
}

/// A bound sort key.
public struct BoundOrder: Sendable {
  /// The key.
  public var expr: BoundExpr
  /// Whether larger values come first.
  public var descending: Bool
  /// Whether nulls come first.
  public var nullsFirst = false
}
