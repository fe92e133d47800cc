/// One cell value. Used only at the edges: literals, parameters, cell formatting and
/// file readers; columns never store `Value`s.
public enum Value: Sendable, Hashable {
  case null
  case int(Int)
  case float(Double)
  case text(String)
  case bool(Bool)
  /// Days since 1970-01-01.
  case date(Int)

  /// The type of the value, or `nil` for null.
  public var type: DataType? {
    switch self {
    case .null: nil
    case .int: .int
    case .float: .float
    case .text: .text
    case .bool: .bool
    case .date: .date
    }
  }

  /// Whether this is the null value.
  public var isNull: Bool { if case .null = self { true } else { false } }

  /// The value as a double, for numeric values.
  public var asDouble: Double? {
    switch self {
    case .int(let v): Double(v)
    case .float(let v): v
    default: nil
    }
  }
}
