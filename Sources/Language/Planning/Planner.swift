import Columnar

#if canImport(Glibc)
  import Glibc
#endif

/// Maps a checked plan onto the engine's operators: every choice of strategy the engine
/// makes from the shape of a pipeline is made here (what the data decides — a key range
/// too wide for slots, a right key that is not unique — is decided by the operator, which
/// then takes the general route and says so in `.explain analyze`).
///
/// In `general` mode every stage runs as its own general operator: no fusion, no limits
/// pushed into sorts or ranks, no streaming routes. The two modes give the same rows,
/// bits and errors; the tests run both and compare.
public struct Planner: Sendable {
  /// Which routes the planner may take.
  public enum Mode: String, Sendable, CaseIterable {
    /// Every fast route whose shape applies.
    case fast
    /// The general operators only.
    case general
  }

  /// The mode.
  public var mode: Mode
  /// Tables whose scans have an unknown row count (a server table's placeholder).
  public var unknownRows: Set<String> = []

  /// A planner; the mode defaults to `PANTAU_PLANNER` (`general` or `fast`), else fast.
  public init(mode: Mode = Planner.environmentMode) {
    self.mode = mode
  }

  /// `PANTAU_PLANNER=general` forces the general operators.
  public static var environmentMode: Mode {
    guard let raw = getenv("PANTAU_PLANNER") else { return .fast }
    return Mode(rawValue: String(cString: raw)) ?? .fast
  }

  /// The physical plan; its nodes are numbered children first, the root last.
  public func plan(_ plan: Plan) -> PhysicalPlan {
    PlanBuilder(fast: mode == .fast, unknownRows: unknownRows).physical(plan)
  }

  /// Whether a group can stream: aggregates that fold a row at a time (over keys of small
  /// ranges, found when it runs, or no keys: one group). With `columnsOnly`, its keys and
  /// arguments must be plain columns (it runs over selected rows, and an expression would
  /// be evaluated on every row).
  static func streams(_ spec: GroupSpec, columnsOnly: Bool) -> Bool {
    spec.aggregates.allSatisfy { $0.kind.streams(over: $0.argument?.type) }
      && (!columnsOnly
        || spec.keys.allSatisfy(\.isColumn)
          && spec.aggregates.allSatisfy {
            ($0.argument?.isColumn ?? true) && ($0.position?.isColumn ?? true)
          })
  }

  /// Whether `join | group` can run without the joined table: the group keys are right
  /// columns, every aggregate a streaming one over a left column (a fact table joined to
  /// a dimension and summed by its attributes). Plain columns only: an expression would
  /// be evaluated on rows the join drops.
  static func joinGroupShape(_ spec: GroupSpec, leftWidth width: Int) -> Bool {
    !spec.keys.isEmpty && spec.keys.allSatisfy(\.isColumn)
      && spec.aggregates.allSatisfy { ($0.argument?.isColumn ?? true) && $0.position == nil }
      && spec.keys.flatMap(\.columns).allSatisfy { $0 >= width }
      && spec.aggregates.flatMap(\.inputs).flatMap(\.columns).allSatisfy { $0 < width }
      && spec.aggregates.allSatisfy { $0.kind.streams(over: $0.argument?.type) }
  }

  /// Whether each partition's first `limit` rows may be kept in one pass (`TopPerGroup`):
  /// the limit is small, so that each partition's slots stay few.
  static func streamsTop(limit: Int) -> Bool { limit <= Tuning.streamedTopLimit }

  /// The largest number in `column` (a rank or row number, which start at 1) that can pass
  /// `predicate`, when it bounds them: `c <= N`, `c < N`, `c == N`, `c in 1..N`, the same
  /// with the number first, or any of them `and` another condition. The filter still runs:
  /// it is only told where to stop.
  static func largestPassing(_ predicate: BoundExpr, column: Int) -> Int? {
    func isColumn(_ e: BoundExpr) -> Bool {
      if case .column(let i) = e.kind { return i == column }
      return false
    }
    func int(_ e: BoundExpr) -> Int? {
      if case .literal(.int(let n)) = e.kind { return n }
      return nil
    }
    var bound: Int?
    switch predicate.kind {
    case .binary(.and, let l, let r):
      // Both must hold: either one's bound holds.
      let bounds = [l, r].compactMap { largestPassing($0, column: column) }
      bound = bounds.min()
    case .binary(let op, let l, let r) where isColumn(l) || isColumn(r):
      // Read as `c op n`, the operator turned around when the number comes first.
      guard let n = int(isColumn(l) ? r : l) else { return nil }
      var columnFirst = op
      if !isColumn(l) {
        columnFirst =
          switch op {
          case .greaterEqual: .lessEqual
          case .greater: .less
          case .lessEqual: .greaterEqual
          case .less: .greater
          default: op
          }
      }
      bound =
        switch columnFirst {
        case .lessEqual, .equal: n
        case .less: n == .min ? nil : n - 1
        default: nil
        }
    case .inRange(let x, _, let hi, negated: false) where isColumn(x): bound = int(hi)
    default: bound = nil
    }
    guard let bound, bound >= 0 else { return nil }
    return bound
  }

  /// At most `limit` of `e`.
  static func capped(_ e: Estimate, _ limit: Int?) -> Estimate {
    guard let limit else { return e }
    switch e {
    case .exactly(let n): return .exactly(min(n, limit))
    case .atMost(let n): return .atMost(min(n, limit))
    case .unknown: return .atMost(limit)
    }
  }
}

/// Builds one physical plan, numbering its nodes as they are made.
final class PlanBuilder {
  let fast: Bool
  let unknownRows: Set<String>
  var next = 0

  init(fast: Bool, unknownRows: Set<String>) {
    self.fast = fast
    self.unknownRows = unknownRows
  }

  /// A node doing `plan`'s stage (or `stages`, ending with the one at `span`), numbered.
  func node(
    _ op: PhysicalPlan.Op, _ plan: Plan, span: SourceSpan? = nil, schema: Schema? = nil,
    stages: [SourceSpan]? = nil, _ estimate: Estimate
  ) -> PhysicalPlan {
    var out = PhysicalPlan(
      op: op, schema: schema ?? plan.schema, span: span ?? plan.span,
      stages: stages ?? [span ?? plan.span], estimate: estimate)
    out.id = next
    next += 1
    return out
  }

  func physical(_ plan: Plan) -> PhysicalPlan {
    switch plan.op {
    case .scan(let t, let name):
      return node(
        .scan(t, name: name), plan, unknownRows.contains(name) ? .unknown : .exactly(t.rowCount))
    case .pivoted(_, let t):
      return node(.pivoted(t), plan, .exactly(t.rowCount))
    case .filter(let input, let predicate):
      let source = filterSource(input, predicate)
      return node(.filter(source, predicate, only: nil), plan, source.estimate.loosened)
    case .project(let input, let exprs):
      if let pruned = prunedRank(plan, input, exprs) { return pruned }
      // Only the columns the expressions read, from an input that would copy them all.
      let needed = Set(exprs.flatMap(\.columns)).sorted()
      if fast, needed.count < input.schema.fields.count, savesByPruning(input) {
        let map = positions(needed)
        return projected(
          pruned(input, needed), exprs.map { $0.remapped(map) }, plan, plan.schema)
      }
      let i = physical(input)
      return node(.project(i, exprs), plan, i.estimate)
    case .window(let input, let partition, let order, let calls):
      let i = physical(input)
      if fast, order.isEmpty,
        calls.allSatisfy({
          PartitionAggregateOperator.folds($0.function, over: $0.argument?.type)
        })
      {
        return node(.partitionAggregates(i, partition: partition, calls: calls), plan, i.estimate)
      }
      return node(
        .window(i, partition: partition, order: order, calls: calls, limit: nil), plan, i.estimate)
    case .sort(let input, let keys):
      let i = physical(input)
      return node(.sort(i, keys, limit: nil), plan, i.estimate)
    case .take(let input, let n):
      return take(plan, input, n)
    case .group(let input, let keys, let aggregates, let outputs):
      return group(plan, input, GroupSpec(keys: keys, aggregates: aggregates, outputs: outputs))
    case .rank(let input, let e, let desc, let partition, let limit, _, let exact):
      return rank(plan, physical(input), e, desc, partition, limit, exact, schema: plan.schema)
    case .join(let l, let r, let left, let lk, let rk, let kept):
      let spec = JoinSpec(
        left: left, leftKeys: lk, rightKeys: rk, rightKept: kept, schema: plan.schema)
      return node(.join(physical(l), physical(r), spec, only: nil), plan, .unknown)
    case .distinct(let input, let columns):
      // Only the columns it keeps, from an input that would copy them all.
      let needed = Set(columns).sorted()
      if fast, !columns.isEmpty, needed.count < input.schema.fields.count, savesByPruning(input) {
        let i = pruned(input, needed)
        let map = positions(needed)
        return node(
          .distinct(i, columns: columns.compactMap { map[$0] }), plan, i.estimate.loosened)
      }
      let i = physical(input)
      return node(.distinct(i, columns: columns), plan, i.estimate.loosened)
    case .append(let l, let r, let lm, let rm):
      let (a, b) = (physical(l), physical(r))
      return node(.append(a, b, leftMap: lm, rightMap: rm), plan, appendEstimate(a, b))
    case .pivot(let input, let rowKeys, let key, let value, let aggregate):
      let i = physical(input)
      return node(
        .pivot(i, rowKeys: rowKeys, key: key, value: value, aggregate: aggregate), plan,
        i.estimate.loosened)
    case .describe(let input):
      return node(.describe(physical(input)), plan, .exactly(input.schema.fields.count))
    }
  }

  /// The rows of an append of `a` and `b`.
  func appendEstimate(_ a: PhysicalPlan, _ b: PhysicalPlan) -> Estimate {
    guard let x = a.estimate.bound, let y = b.estimate.bound else { return .unknown }
    let exact = a.estimate == .exactly(x) && b.estimate == .exactly(y)
    return exact ? .exactly(x + y) : .atMost(x + y)
  }

  /// `sort | take N` as a top-k; `filter | sort | take N` as a filtered top-k.
  func take(_ plan: Plan, _ input: Plan, _ n: Int) -> PhysicalPlan {
    if fast, case .sort(let inner, let keys) = input.op {
      if case .filter(let source, let predicate) = inner.op {
        let s = filterSource(source, predicate)
        return node(
          .filteredTop(s, predicate: predicate, at: inner.span, keys, limit: n), plan,
          span: input.span, stages: [inner.span, input.span, plan.span],
          Planner.capped(s.estimate.loosened, n))
      }
      let i = physical(inner)
      return node(
        .sort(i, keys, limit: n), plan, span: input.span, stages: [input.span, plan.span],
        Planner.capped(i.estimate, n))
    }
    let i = physical(input)
    return node(.take(i, n), plan, Planner.capped(i.estimate, n))
  }

  /// A filter's input; `rank … as r | filter r <= N` (or `r < N`, `r == N`, …) gives the rank the
  /// limit, so that it orders only the rows that can pass (the filter stays); so does
  /// `derive r = row_number() by … order k | filter r <= N` its window.
  func filterSource(_ input: Plan, _ predicate: BoundExpr) -> PhysicalPlan {
    if let limited = limitedWindow(input, predicate) { return limited }
    guard fast,
      case .rank(let inner, let e, let desc, let partition, nil, let keep, _) = input.op,
      let n = Planner.largestPassing(predicate, column: input.schema.fields.count - 1)
    else { return physical(input) }
    var limited = input
    limited.op = .rank(
      inner, e, descending: desc, partition: partition, limit: n, keepColumn: keep,
      exact: false)
    return physical(limited)
  }

  /// `derive r = row_number() by p order k | filter r <= N` (or `r < N`, `r == N`, …): the window
  /// numbers only each partition's first N rows exactly (one order key, nulls last).
  func limitedWindow(_ input: Plan, _ predicate: BoundExpr) -> PhysicalPlan? {
    guard fast, case .project(let windowed, let exprs) = input.op,
      case .window(let inner, let partition, let order, let calls) = windowed.op,
      calls.count == 1, case .window(.rowNumber) = calls[0].function,
      order.count == 1, !order[0].nullsFirst,
      let index = exprs.indices.first(where: {
        if case .column(let source) = exprs[$0].kind {
          return source == windowed.schema.fields.count - 1
        }
        return false
      }),
      let count = Planner.largestPassing(predicate, column: index)
    else { return nil }
    let i = physical(inner)
    let limit = WindowLimit(count: count, streamed: Planner.streamsTop(limit: count))
    let window = node(
      .window(i, partition: partition, order: order, calls: calls, limit: limit), windowed,
      i.estimate)
    return node(.project(window, exprs), input, window.estimate)
  }

  func group(_ plan: Plan, _ input: Plan, _ spec: GroupSpec) -> PhysicalPlan {
    let estimate: (Estimate) -> Estimate = { spec.keys.isEmpty ? .exactly(1) : $0.loosened }
    guard fast else {
      let i = physical(input)
      return node(.group(i, spec, .hash), plan, estimate(i.estimate))
    }
    let route: GroupRoute = Planner.streams(spec, columnsOnly: false) ? .streaming : .hash
    switch input.op {
    case .join(let l, let r, false, let lk, let rk, let kept)
    where Planner.joinGroupShape(spec, leftWidth: l.schema.fields.count):
      let join = JoinSpec(
        left: false, leftKeys: lk, rightKeys: rk, rightKept: kept, schema: input.schema)
      return node(
        .joinGroup(physical(l), physical(r), join, at: input.span, spec), plan,
        stages: [input.span, plan.span], .unknown)
    case .filter(let inner, let predicate) where Planner.streams(spec, columnsOnly: true):
      let source = filterSource(inner, predicate)
      return node(
        .filteredGroup(source, predicate: predicate, at: input.span, spec), plan,
        stages: [input.span, plan.span], estimate(source.estimate))
    default:
      // Only the columns the group reads, from an input that would copy them all (a join
      // builds only those, a filter keeps only those).
      let used = spec.used
      if used.count < input.schema.fields.count, savesByPruning(input) {
        let i = pruned(input, used)
        return node(.group(i, spec.remapped(to: used), route), plan, estimate(i.estimate))
      }
      let i = physical(input)
      return node(.group(i, spec, route), plan, estimate(i.estimate))
    }
  }
}
