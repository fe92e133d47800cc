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

  /// The constant value when the expression is a literal.
  var constant: Value? {
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
}
