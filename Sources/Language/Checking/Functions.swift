import Columnar

/// The scalar functions.
public enum ScalarFunction: String, Sendable, CaseIterable {
  case abs, round, floor, ceil, sqrt, ln, exp, pow
  case lower, upper, trim, length
  case startsWith = "starts_with"
  case endsWith = "ends_with"
  case contains, replace, substr, coalesce
  case splitPart = "split_part"
  case regexpMatches = "regexp_matches"
  case regexpReplace = "regexp_replace"
  case regexpExtract = "regexp_extract"
  case `if`
  case year, month, day
  case int, float, text, date

  /// The smallest and largest number of arguments (nil: no upper bound).
  var arity: (Int, Int?) {
    switch self {
    case .round: (1, 2)
    case .substr: (2, 3)
    case .pow, .startsWith, .endsWith, .contains: (2, 2)
    case .replace, .if, .splitPart: (3, 3)
    case .regexpMatches, .regexpExtract: (2, 3)
    case .regexpReplace: (3, 4)
    case .coalesce: (1, nil)
    default: (1, 1)
    }
  }

  /// A one-line usage, for hints and help.
  public var usage: String {
    switch self {
    case .round: "round(x[, digits])"
    case .substr: "substr(s, start[, length])"
    case .pow: "pow(x, y)"
    case .startsWith, .endsWith, .contains: "\(rawValue)(s, part)"
    case .replace: "replace(s, from, to)"
    case .splitPart: "split_part(s, separator, n)"
    case .regexpMatches: "regexp_matches(s, pattern[, options])"
    case .regexpReplace: "regexp_replace(s, pattern, replacement[, options])"
    case .regexpExtract: "regexp_extract(s, pattern[, group])"
    case .if: "if(condition, then, else)"
    case .coalesce: "coalesce(a, b, …)"
    default: "\(rawValue)(x)"
    }
  }
}

extension AggregateKind {
  /// Looks up a name, including the alias `mean`.
  static func named(_ name: String) -> AggregateKind? {
    name == "mean" ? .avg : AggregateKind(rawValue: name)
  }

  /// A one-line usage.
  public var usage: String {
    switch self {
    case .count: "count() or count(x)"
    case .quantile: "quantile(x, p)"
    case .spark: "spark(y) or spark(y, x)"
    case .stringAgg: "string_agg(x[, separator])"
    default: isPaired ? "\(rawValue)(y, x)" : "\(rawValue)(x)"
    }
  }
}

/// One aggregate to compute per group.
public struct AggregateCall: Sendable {
  /// Which aggregate.
  public var kind: AggregateKind
  /// Its argument over input rows (nil for `count()`).
  public var argument: BoundExpr?
  /// The `p` of `quantile(x, p)`.
  public var fraction: Double
  /// The result type.
  public var type: DataType
  /// The `x` of `spark(y, x)` (where each value goes along the line) and of the paired
  /// aggregates `corr(y, x)`, `regr_slope(y, x)`, ….
  public var position: BoundExpr? = nil
  /// The separator of `string_agg`.
  public var separator = ","
  /// Every expression over input rows it reads.
  public var inputs: [BoundExpr] { [argument, position].compactMap { $0 } }
}

/// One window function to compute per row.
public struct WindowCall: Sendable {
  /// What to compute.
  public typealias Function = WindowFunction

  /// The function.
  public var function: Function
  /// Its argument, if any.
  public var argument: BoundExpr?
  /// `lag`/`lead` offset; `quantile` fraction in `fraction`.
  public var offset: Int
  /// The `p` of `quantile`.
  public var fraction: Double
  /// The result type.
  public var type: DataType
  /// The `x` of a paired aggregate.
  public var position: BoundExpr? = nil
  /// The separator of `string_agg`.
  public var separator = ","
}
