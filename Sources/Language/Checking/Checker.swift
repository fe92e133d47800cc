import Columnar

/// Checks a parsed pipeline against the catalog and builds its typed plan. Every user
/// mistake is reported as a `Diagnostic` pointing into the source.
public struct Checker {
  let context: CheckContext

  /// A checker over a context.
  public init(_ context: CheckContext) { self.context = context }

  /// Checks a pipeline; chart and save stages may only end it.
  public func check(_ pipeline: Pipeline) throws(Diagnostic) -> CheckedPipeline {
    var plan = try checkSource(pipeline.source)
    var schemas = [plan.schema]
    var terminal = Terminal.show
    for (i, stage) in pipeline.stages.enumerated() {
      if case .show = terminal {
      } else {
        throw .afterTerminal(stage.keywordSpan)
      }
      switch stage.kind {
      case .save(let path, let span, let list):
        terminal = .save(
          path: context.resolve(path), span: span, options: try FileOptions.write(list))
      case .chart(let spec):
        terminal = .chart(try checkChart(spec, plan: plan, span: stage.span))
      default:
        if case .pivot = plan.op {
          throw Diagnostic(
            "the columns after a pivot are known only once it runs", at: stage.span,
            hints: ["name the pivot's result with let, then go on from that table"])
        }
        plan = try checkStage(stage, input: plan)
      }
      _ = i
      schemas.append(plan.schema)
    }
    return CheckedPipeline(plan: plan, stageSchemas: schemas, terminal: terminal)
  }

  /// The plan of a pipeline used as a source (no terminal stage allowed).
  func checkInner(_ pipeline: Pipeline) throws(Diagnostic) -> Plan {
    let checked = try check(pipeline)
    if case .show = checked.terminal { return checked.plan }
    throw .terminalInSubpipeline(pipeline.span)
  }

  func checkSource(_ source: PipelineSource) throws(Diagnostic) -> Plan {
    switch source {
    case .table(let name):
      guard let table = context.catalog.tables[name.text] else {
        throw .unknownTable(name, known: context.catalog.tableNames)
      }
      return Plan(op: .scan(table, name: name.text), schema: table.schema, span: name.span)
    case .file(let path, let list, let span):
      let options = try FileOptions.read(list)
      guard let readFile = context.readFile else {
        throw Diagnostic(
          "a file's columns are known only once it is read, when the statement runs",
          at: span, hints: ["load it first with .load \"\(path)\", then go on from its table"])
      }
      do throws(EngineError) {
        let table = try readFile(context.resolve(path), options)
        return Plan(op: .scan(table, name: path), schema: table.schema, span: span)
      } catch {
        throw .engine(error, at: span)
      }
    case .pipeline(let inner):
      return try checkInner(inner)
    }
  }

  /// The source's display name, for join suffixes.
  func sourceName(_ source: PipelineSource) -> String {
    switch source {
    case .table(let n): n.text
    case .file, .pipeline: "right"
    }
  }

  /// The index of a column, or an "unknown column" diagnostic.
  func resolve(_ name: Name, in schema: Schema) throws(Diagnostic) -> Int {
    guard let i = schema.index(of: name.text) else {
      throw .unknownColumn(name.text, at: name.span, available: schema.names)
    }
    return i
  }

  /// A constant integer: a literal or a parameter.
  func constantInt(_ expr: Expr, what: String) throws(Diagnostic) -> Int {
    var collector = Collector()
    let bound = try bind(expr, Scope(schema: Schema([]), mode: .row), &collector)
    guard case .literal(.int(let v)) = bound.kind else {
      throw .expectedConstantInt(what, at: expr.span)
    }
    return v
  }
}
