import Columnar

/// Runs a checked plan and gives its table. Engine errors come back as diagnostics placed at
/// the stage that raised them.
public struct Executor {
  let cancellation: Cancellation?
  /// Whether `spark` draws with ASCII characters.
  public var asciiCharts: Bool
  /// The most memory, in bytes, that a join or pivot may ask for.
  public var memoryLimit: Int
  /// Chooses the operators of a checked plan.
  public var planner = Planner()
  /// When set, each operator's rows and time are recorded in it (`.explain analyze`).
  public var profile: ExecutionProfile?

  /// An executor; `cancellation`, when given, is checked between stages and chunks.
  public init(cancellation: Cancellation?, asciiCharts: Bool = false, memoryLimit: Int = .max) {
    self.cancellation = cancellation
    self.asciiCharts = asciiCharts
    self.memoryLimit = memoryLimit
  }

  /// The span of the innermost operator that failed.
  final class FailureSite {
    var span: SourceSpan?
  }

  let failure = FailureSite()

  /// Float results beyond the float range, made null, counted by where they arose; and the
  /// span of the stage running now, for results that have no expression of their own.
  final class Notices {
    var stage: SourceSpan?
    /// The number of the operator running now (for a profile's notes).
    var node = 0
    var order: [SourceSpan?] = []
    var counts: [SourceSpan?: Int] = [:]
    func record(_ n: Int, at span: SourceSpan?) {
      let at = span ?? stage
      if counts[at] == nil { order.append(at) }
      counts[at, default: 0] += n
    }
  }

  var notices = Notices()

  /// Warnings of the last run: where float results overflowed to infinity (or were NaN) and
  /// became null, as every non-finite float does, with how many.
  public var warnings: [Diagnostic] {
    notices.order.map { span in
      let n = notices.counts[span] ?? 0
      return Diagnostic(
        "\(n == 1 ? "1 float result" : "\(n) float results") beyond ±1.8e308 (or not a number) "
          + "became null",
        at: span, label: "overflowed here",
        hints: ["scale the values first, e.g. divide by 1e300, or filter them out"],
        severity: .warning)
    }
  }

  /// Plans and runs a checked plan.
  public func run(_ plan: Plan) throws(Diagnostic) -> Table {
    try run(planner.plan(plan))
  }

  /// Runs a physical plan.
  public func run(_ plan: PhysicalPlan) throws(Diagnostic) -> Table {
    failure.span = nil
    notices.order = []
    notices.counts = [:]
    do throws(EngineError) {
      return try execute(plan)
    } catch {
      throw Diagnostic.engine(error, at: failure.span ?? plan.span)
    }
  }

  func checkCancelled() throws(EngineError) {
    if cancellation?.isCancelled == true { throw .cancelled }
  }

  func execute(_ plan: PhysicalPlan) throws(EngineError) -> Table {
    try checkCancelled()
    let (outer, outerNode) = (notices.stage, notices.node)
    (notices.stage, notices.node) = (plan.span, plan.id)
    defer { (notices.stage, notices.node) = (outer, outerNode) }
    let started = profile == nil ? nil : ContinuousClock.now
    do throws(EngineError) {
      let t = try executeOp(plan)
      if let profile, let started { profile.record(plan.id, rows: t.rowCount, since: started) }
      return t
    } catch {
      if failure.span == nil { failure.span = plan.span }
      throw error
    }
  }

  /// Runs `body`, placing an error it raises at `span` (a stage fused into an operator).
  func at<T>(_ span: SourceSpan, _ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    do throws(EngineError) {
      return try body()
    } catch {
      if failure.span == nil { failure.span = span }
      throw error
    }
  }

  private func executeOp(_ plan: PhysicalPlan) throws(EngineError) -> Table {
    switch plan.op {
    case .scan(let table, _), .pivoted(let table):
      return table
    case .filter(let input, let predicate, let only):
      let t = try execute(input)
      let rows = try selection(t, predicate)
      let picked = only.map { t.selecting($0) } ?? t
      return rows.count == t.rowCount ? picked : picked.gather(rows)
    case .project(let input, let exprs):
      let t = try execute(input)
      let cols = try exprs.map { e throws(EngineError) in try evaluate(e, t) }
      return Table(names: plan.schema.names, columns: cols, rowCount: t.rowCount)
    case .window(let input, let partition, let order, let calls, let limit):
      return try window(try execute(input), partition, order, calls, limit: limit, plan.schema)
    case .partitionAggregates(let input, let partition, let calls):
      return try window(try execute(input), partition, [], calls, grouped: true, plan.schema)
    case .sort(let input, let keys, let limit):
      return try sort(try execute(input), keys, limit: limit)
    case .filteredTop(let input, let predicate, let at, let keys, let limit):
      return try filteredTop(try execute(input), predicate, at, keys, limit)
    case .take(let input, let n):
      let t = try execute(input)
      return t.prefix(n)
    case .group(let input, let spec, let route):
      let t = try execute(input)
      if route == .streaming {
        if let g = try streamedGroup(t, nil, spec, plan.schema) { return g }
        profile?.note(plan.id, "keys too wide for slots: grouped by hash")
      }
      return try group(t, spec, plan.schema)
    case .filteredGroup(let input, let predicate, let at, let spec):
      return try filteredGroup(try execute(input), predicate, at, spec, plan)
    case .joinGroup(let l, let r, let join, let at, let spec):
      return try joinGroup(try execute(l), try execute(r), join, at, spec, plan)
    case .join(let l, let r, let spec, let only):
      return try self.join(try execute(l), try execute(r), spec, only: only)
    case .rank(let input, let spec):
      return try rank(try execute(input), spec, plan)
    case .distinct(let input, let columns):
      return try distinct(try execute(input), columns)
    case .append(let l, let r, let lm, let rm):
      return append(try execute(l), try execute(r), lm, rm, plan.schema)
    case .pivot(let input, let rowKeys, let key, let value, let aggregate):
      return try pivot(try execute(input), rowKeys, key, value, aggregate)
    case .describe(let input):
      return DescribeOperator.run(try execute(input))
    }
  }
}

extension Executor {
  /// `c` with every non-finite float made null (the language has no infinities), counted
  /// at `span` (or the running stage).
  func finite(_ c: Column, at span: SourceSpan? = nil) -> Column {
    guard case .float(let f) = c else { return c }
    guard Elementwise.nonFiniteCount(f.values) > 0 else { return c }
    var keep = [Bool](repeating: true, count: f.values.count)
    var counted = 0
    for i in 0..<f.values.count where !f.values[i].isFinite {
      keep[i] = false
      if f.validity.isValid(i) { counted += 1 }
    }
    if counted > 0 { notices.record(counted, at: span) }
    return .float(TypedColumn(f.values, validity: Validity.and(f.validity, Validity(keep))))
  }

  /// An operand with its non-finite floats made null (see `finite(_:at:)`).
  func finite(_ o: Operand, at span: SourceSpan, rows n: Int) -> Operand {
    switch o {
    case .scalar(.float(let x)) where !x.isFinite:
      if n > 0 { notices.record(n, at: span) }
      return .scalar(.null)
    case .scalar: return o
    case .column(let c): return .column(finite(c, at: span))
    }
  }
}
