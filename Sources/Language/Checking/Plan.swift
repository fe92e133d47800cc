import Columnar

/// A checked, typed plan of one pipeline: a tree of operators, each with its output schema
/// and the span of the stage that made it.
public struct Plan: Sendable {
  /// The operators.
  public indirect enum Op: Sendable {
    case scan(Table, name: String)
    case filter(Plan, BoundExpr)
    /// Output columns computed from the input's.
    case project(Plan, [BoundExpr])
    /// Appends one column per window call, computed per partition in order.
    case window(Plan, partition: [BoundExpr], order: [BoundOrder], calls: [WindowCall])
    /// A stable sort.
    case sort(Plan, [BoundOrder])
    case take(Plan, Int)
    /// Keys, aggregates, then output expressions over (keys + aggregate results).
    case group(Plan, keys: [BoundExpr], aggregates: [AggregateCall], outputs: [BoundExpr])
    /// With `exact`, at most `limit` rows per partition (ties broken by input order).
    case rank(
      Plan, BoundExpr, descending: Bool, partition: [BoundExpr], limit: Int?, keepColumn: Bool,
      exact: Bool)
    /// Join: left key columns, right key columns, right columns kept (by index).
    case join(Plan, Plan, left: Bool, leftKeys: [Int], rightKeys: [Int], rightKept: [Int])
    case distinct(Plan, columns: [Int])
    /// Right columns mapped to output positions (-1: missing).
    case append(Plan, Plan, leftMap: [Int], rightMap: [Int])
    case pivot(Plan, rowKeys: [Int], key: Int, value: Int, aggregate: AggregateKind)
    case describe(Plan)
    /// A pivot already run while checking (its columns come from the data): the `.pivot`
    /// plan and its result, which is what executing it gives.
    case pivoted(Plan, Table)
  }

  /// The operator.
  public var op: Op
  /// Output schema (for pivot the key columns' names are known only when it runs).
  public var schema: Schema
  /// The stage that made it.
  public var span: SourceSpan

  /// A plan node.
  public init(op: Op, schema: Schema, span: SourceSpan) {
    self.op = op
    self.schema = schema
    self.span = span
  }
}

/// What a pipeline does with its final table.
public enum Terminal: Sendable {
  /// Show it.
  case show
  /// Write it to a file (the path resolved against the script's folder).
  case save(path: String, span: SourceSpan, options: WriteOptions = WriteOptions())
  /// Draw a chart.
  case chart(ChartRequest)
}

/// A chart stage, checked: column indices and options.
public struct ChartRequest: Sendable {
  /// Which chart.
  public var kind: ChartKind
  /// Column indices of the positional arguments.
  public var columns: [Int]
  /// The series column index, for trend.
  public var series: Int?
  /// Options given in the stage.
  public var width: Int?
  public var height: Int?
  public var bins: Int?
  /// The stage's span.
  public var span: SourceSpan
}

/// A checked pipeline: its plan, the schema after each stage, and what ends it.
public struct CheckedPipeline: Sendable {
  /// The plan.
  public var plan: Plan
  /// The output schema after the source and after each stage, in order.
  public var stageSchemas: [Schema]
  /// What happens to the result.
  public var terminal: Terminal
}
