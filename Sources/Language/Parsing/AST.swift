import Columnar

/// Unary operators.
public enum UnaryOperator: String, Sendable {
  case negate = "-"
  case not
}

/// Binary operators.
public enum BinaryOperator: String, Sendable, CaseIterable {
  case or, and
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
  case greaterEqual = ">="
  case contains = "~"
  case like, ilike
  case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"

  /// Whether the operator compares two values and gives a bool.
  public var isComparison: Bool {
    switch self {
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
    default: false
    }
  }

  /// The kernels' comparison, for the comparison operators.
  public var comparison: Comparison? {
    switch self {
    case .equal: .equal
    case .notEqual: .notEqual
    case .less: .less
    case .lessEqual: .lessEqual
    case .greater: .greater
    case .greaterEqual: .greaterEqual
    default: nil
    }
  }

  /// Whether the operator does arithmetic.
  public var isArithmetic: Bool {
    switch self {
    case .add, .subtract, .multiply, .divide, .modulo: true
    default: false
    }
  }
}

/// An expression with its span.
public struct Expr: Sendable {
  /// The expression forms.
  public indirect enum Kind: Sendable {
    case column(String)
    case literal(Value)
    case parameter(String)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case call(String, [Expr])
    case inList(Expr, [Expr], negated: Bool)
    case inRange(Expr, Expr, Expr, negated: Bool)
  }

  /// The form.
  public var kind: Kind
  /// Where it is written.
  public var span: SourceSpan

  /// The depth of the expression tree (a leaf is 1); the parser bounds it so that checking
  /// and evaluation never recurse deeply enough to exhaust the stack.
  public let height: Int

  /// Makes an expression.
  public init(_ kind: Kind, _ span: SourceSpan) {
    self.kind = kind
    self.span = span
    let children: [Expr] =
      switch kind {
      case .column, .literal, .parameter: []
      case .unary(_, let x): [x]
      case .binary(_, let a, let b): [a, b]
      case .call(_, let args): args
      case .inList(let x, let items, _): [x] + items
      case .inRange(let x, let lo, let hi, _): [x, lo, hi]
      }
    height = 1 + (children.map(\.height).max() ?? 0)
  }

  /// The column name when the expression is a bare column.
  public var columnName: String? {
    if case .column(let n) = kind { return n }
    return nil
  }
}

/// A name with its span.
public struct Name: Sendable {
  /// The name.
  public var text: String
  /// Where it is written.
  public var span: SourceSpan

  /// Makes a name.
  public init(_ text: String, _ span: SourceSpan) {
    self.text = text
    self.span = span
  }
}

/// `name = expr`, or a bare column whose name is kept.
public struct Binding: Sendable {
  /// The output name.
  public var name: Name
  /// The value.
  public var expr: Expr
}

/// A sort or order key.
public struct OrderItem: Sendable {
  /// The key.
  public var expr: Expr
  /// Whether larger values come first.
  public var descending: Bool
  /// `nulls first`: nulls before the values (they come last by default, in both directions).
  public var nullsFirst = false
}

/// Where a pipeline's rows come from.
public indirect enum PipelineSource: Sendable {
  case table(Name)
  case file(path: String, options: [FileOption], span: SourceSpan)
  case pipeline(Pipeline)
}

/// The kinds of chart.
public enum ChartKind: String, Sendable {
  case trend, bar, hist
}

/// A chart stage's arguments.
public struct ChartSpec: Sendable {
  /// Which chart.
  public var kind: ChartKind
  /// The positional columns (x y, label value, or col).
  public var columns: [Name]
  /// The series column of a trend.
  public var series: Name?
  /// `width W`, `height H`, `bins N`.
  public var width: Expr?
  public var height: Expr?
  public var bins: Expr?
}

/// One stage with its span.
public struct Stage: Sendable {
  /// The stage forms.
  public enum Kind: Sendable {
    case filter(Expr)
    case select([Binding])
    case drop([Name])
    case derive([Binding], by: [Expr], order: [OrderItem])
    case sort([OrderItem])
    case take(Expr)
    case group(keys: [Binding], aggregates: [Binding])
    case rank(Expr, descending: Bool, by: [Expr], name: Name?)
    /// `ties` false: exactly N rows per partition (`no ties`), ties broken by input order.
    case top(Expr, Expr, descending: Bool, by: [Expr], ties: Bool)
    case join(left: Bool, PipelineSource, on: [(Name, Name)])
    case distinct([Name])
    case append(PipelineSource)
    case pivot(key: Name, value: Name, aggregate: Name?)
    case describe
    case save(path: String, pathSpan: SourceSpan, options: [FileOption])
    case chart(ChartSpec)
  }

  /// The form.
  public var kind: Kind
  /// The whole stage.
  public var span: SourceSpan
  /// The stage keyword.
  public var keywordSpan: SourceSpan
}

/// `source | stage | …`.
public struct Pipeline: Sendable {
  /// The source.
  public var source: PipelineSource
  /// The stages in order.
  public var stages: [Stage]
  /// The whole pipeline.
  public var span: SourceSpan
}

/// One statement of a script.
public enum Statement: Sendable {
  case pipeline(Pipeline)
  case assignment(Name, Pipeline)
  /// A dot command line (without the dot) and its span.
  case dot(String, SourceSpan)

  /// The statement's span.
  public var span: SourceSpan {
    switch self {
    case .pipeline(let p): p.span
    case .assignment(let n, let p): n.span.merged(p.span)
    case .dot(_, let s): s
    }
  }
}

/// One option of a file read or write: `delim ';'`, `header false`, `nulls ('-', 'NA')`,
/// `types (kode text)`, or a bare flag such as `all_text`.
public struct FileOption: Sendable {
  /// The values an option takes.
  public enum Argument: Sendable {
    case flag
    case value(Value)
    case list([Value])
    case pairs([(String, String)])
  }

  /// The option's name.
  public var key: String
  /// Its value.
  public var argument: Argument
  /// Where it is written.
  public var span: SourceSpan
}
