/// The closed set of column types that pantau knows.
public enum DataType: String, Sendable, Hashable, CaseIterable {
  case int
  case float
  case text
  case bool
  case date

  /// Whether the type takes part in arithmetic.
  public var isNumeric: Bool { self == .int || self == .float }

  /// The type two operands are brought to before a comparison or arithmetic, if any.
  public static func common(_ a: DataType, _ b: DataType) -> DataType? {
    if a == b { return a }
    if a.isNumeric && b.isNumeric { return .float }
    return nil
  }
}

/// A column's name and type.
public struct Field: Sendable, Hashable {
  /// The column name.
  public var name: String
  /// The column type.
  public var type: DataType

  /// Makes a field.
  public init(_ name: String, _ type: DataType) {
    self.name = name
    self.type = type
  }
}

/// The ordered list of a table's fields.
public struct Schema: Sendable, Hashable {
  /// The fields, in column order.
  public var fields: [Field]

  /// Makes a schema.
  public init(_ fields: [Field]) { self.fields = fields }

  /// The column names, in order.
  public var names: [String] { fields.map(\.name) }

  /// The index of the column called `name`, if there is one.
  public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }
}
