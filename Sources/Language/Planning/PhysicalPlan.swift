import Columnar

/// What the engine runs: the checked plan's stages mapped by `Planner` onto the engine's
/// operators. The planner makes every choice of strategy; the executor only runs what it
/// is given. A node may do the work of several stages (a filter, sort and take as one
/// top-k); `stages` keeps each one's span, and the operator's parts name the span of the
/// stage they belong to, so an error points at the stage that failed on every route.
public struct PhysicalPlan: Sendable {
  /// The operators.
  public indirect enum Op: Sendable {
    case scan(Table, name: String)
    /// The rows whose condition is true, found through one byte mask. With `only`, just
    /// those input columns (by index, in that order) are gathered.
    case filter(PhysicalPlan, BoundExpr, only: [Int]?)
    case project(PhysicalPlan, [BoundExpr])
    /// With `limit` (one `row_number` call, under a filter that keeps numbers up to it), the
    /// numbers are exact only where they are at most the limit: each partition's first rows
    /// are found as `top N … no ties` finds them, without sorting the rest, which get N + 1.
    case window(
      PhysicalPlan, partition: [BoundExpr], order: [BoundOrder], calls: [WindowCall],
      limit: WindowLimit?)
    /// Window aggregates over whole partitions (no order), each folding a row at a time:
    /// the partitions numbered as a group's groups, one pass per aggregate, each row given
    /// its partition's result (`PartitionAggregateOperator`).
    case partitionAggregates(PhysicalPlan, partition: [BoundExpr], calls: [WindowCall])
    /// A stable sort; with a limit, only the first rows are found and ordered (top-k).
    case sort(PhysicalPlan, [BoundOrder], limit: Int?)
    /// `filter | sort | take`: the sort keys are read for the passing rows only, and only
    /// the rows that can be among the first `limit` are ordered.
    case filteredTop(PhysicalPlan, predicate: BoundExpr, at: SourceSpan, [BoundOrder], limit: Int)
    case take(PhysicalPlan, Int)
    /// `group` over the input, by one of the grouping routes.
    case group(PhysicalPlan, GroupSpec, GroupRoute)
    /// `filter | group` on the passing rows in place, streamed (`GroupRoute.streaming`);
    /// when the keys turn out too wide for slots, the passing rows of the columns the group
    /// reads are gathered and grouped by hash.
    case filteredGroup(PhysicalPlan, predicate: BoundExpr, at: SourceSpan, GroupSpec)
    /// `join | group` without building the joined table: right rows grouped by the keys,
    /// left rows streamed through their join bucket. When a right key turns out not to be
    /// unique, the join is built (only the columns the group reads) and grouped by hash.
    case joinGroup(PhysicalPlan, PhysicalPlan, JoinSpec, at: SourceSpan, GroupSpec)
    /// Hash join: rows in left order, each left row's matches in right order. With `only`,
    /// just those output columns are built.
    case join(PhysicalPlan, PhysicalPlan, JoinSpec, only: [Int]?)
    case rank(PhysicalPlan, RankSpec)
    case distinct(PhysicalPlan, columns: [Int])
    case append(PhysicalPlan, PhysicalPlan, leftMap: [Int], rightMap: [Int])
    case pivot(PhysicalPlan, rowKeys: [Int], key: Int, value: Int, aggregate: AggregateKind)
    case describe(PhysicalPlan)
    /// A pivot already run while checking: its result.
    case pivoted(Table)
  }

  /// The operator.
  public var op: Op
  /// The output schema.
  public var schema: Schema
  /// The span of the last stage the operator does (where its own errors are reported).
  public var span: SourceSpan
  /// The spans of every stage it does, in pipeline order.
  public var stages: [SourceSpan]
  /// Rows the planner expects, before running.
  public var estimate: Estimate
  /// The node's number in its plan, children before parents (for `.explain analyze`).
  public var id = 0

  /// A node.
  public init(
    op: Op, schema: Schema, span: SourceSpan, stages: [SourceSpan], estimate: Estimate
  ) {
    self.op = op
    self.schema = schema
    self.span = span
    self.stages = stages
    self.estimate = estimate
  }

  /// The direct inputs.
  public var inputs: [PhysicalPlan] {
    switch op {
    case .scan, .pivoted: []
    case .filter(let i, _, _), .project(let i, _), .window(let i, _, _, _, _),
      .partitionAggregates(let i, _, _), .sort(let i, _, _),
      .filteredTop(let i, _, _, _, _), .take(let i, _), .group(let i, _, _),
      .filteredGroup(let i, _, _, _), .rank(let i, _), .distinct(let i, _),
      .pivot(let i, _, _, _, _), .describe(let i):
      [i]
    case .joinGroup(let l, let r, _, _, _), .join(let l, let r, _, _), .append(let l, let r, _, _):
      [l, r]
    }
  }
}

/// The rows an operator is expected to give.
public enum Estimate: Sendable, Equatable {
  /// Known before running (a table's size, a take's bound over a known size).
  case exactly(Int)
  /// No more than this.
  case atMost(Int)
  /// Not known (a join's matches, a server table).
  case unknown

  /// The bound, when there is one.
  public var bound: Int? {
    switch self {
    case .exactly(let n), .atMost(let n): n
    case .unknown: nil
    }
  }

  /// An upper bound only (what a filter or group keeps of this).
  var loosened: Estimate { bound.map { .atMost($0) } ?? .unknown }
}

/// A group stage's parts, with the column indices of its input.
public struct GroupSpec: Sendable {
  public var keys: [BoundExpr]
  public var aggregates: [AggregateCall]
  /// Output expressions over (keys + aggregate results).
  public var outputs: [BoundExpr]

  /// The input columns the group reads, ascending.
  var used: [Int] {
    Set(keys.flatMap(\.columns) + aggregates.flatMap(\.inputs).flatMap(\.columns)).sorted()
  }

  /// The same group over a table holding only `used` of its input's columns, in order.
  func remapped(to used: [Int]) -> GroupSpec {
    let map = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($0.element, $0.offset) })
    var out = self
    out.keys = keys.map { $0.remapped(map) }
    out.aggregates = aggregates.map { call in
      var c = call
      c.argument = call.argument?.remapped(map)
      c.position = call.position?.remapped(map)
      return c
    }
    return out
  }
}

/// How a `group` finds its groups.
public enum GroupRoute: Sendable, Equatable {
  /// Number every row's key combination (hash or packed keys), then aggregate.
  case hash
  /// Small key ranges and streaming aggregates: groups found a chunk of rows at a time
  /// and fed straight to the aggregates; falls back to `hash` when the keys' range turns
  /// out too wide for slots.
  case streaming
}

/// A join's parts.
public struct JoinSpec: Sendable {
  public var left: Bool
  public var leftKeys: [Int]
  public var rightKeys: [Int]
  /// Right columns kept (by index).
  public var rightKept: [Int]
  /// The joined table's schema (left columns, then the kept right ones).
  public var schema: Schema
}

/// How far a limited window numbers its rows exactly (see `PhysicalPlan.Op.window`).
public struct WindowLimit: Sendable {
  /// The largest number that must be exact.
  public var count: Int
  /// Whether each partition's first rows may be kept in one pass (as `RankSpec.streamed`).
  public var streamed: Bool
}

/// A rank stage's parts.
public struct RankSpec: Sendable {
  public var expr: BoundExpr
  public var descending: Bool
  public var partition: [BoundExpr]
  /// At most this rank (or, `exact`, this many rows) per partition.
  public var limit: Int?
  public var exact: Bool
  /// `exact` with a small limit: one pass keeping each partition's best rows (falls back
  /// to ranking each partition when the key has nulls or the partitions are too many).
  public var streamed: Bool
}
