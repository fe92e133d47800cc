import Columnar
import Language
import SQL

extension Session {
  /// `.sql PIPELINE` prints the SQL a pipeline stands for; `.sql dialect NAME` chooses the
  /// dialect (`.sql dialect` alone says which it is).
  func sql(_ c: DotContext) throws(Diagnostic) {
    if c.args.first == "dialect" {
      guard c.args.count <= 2 else { throw Session.dialectUsage(at: c.span) }
      if c.args.count == 2 {
        guard let d = SQLDialect(name: c.args[1]) else { throw Session.dialectUsage(at: c.span) }
        settings.sqlDialect = d
      }
      c.sink.diagnostic("sql dialect: \(settings.sqlDialect.rawValue)\n")
      return
    }
    if c.args.first == "table" {
      guard c.args.count == 2 else {
        throw Diagnostic("usage: .sql table NAME", at: c.span, hints: [".tables lists them"])
      }
      guard let t = catalog.tables[c.args[1]] else {
        throw Diagnostic(
          "unknown table \"\(c.args[1])\"", at: c.span,
          hints: ["tables: " + catalog.tableNames.joined(separator: ", ")])
      }
      emit(SQLTables.script(c.args[1], t, settings.sqlDialect), c.sink)
      // The SQL of later pipelines reads this table's order from the column it writes.
      sqlOrderColumns[c.args[1]] = "_row"
      return
    }
    var parser = Parser(c.source, range: c.restOffset..<c.span.end)
    guard let first = parser.nextStatement() else {
      throw Diagnostic(
        "usage: .sql PIPELINE or .sql dialect duckdb|postgres|sqlite|spark", at: c.span)
    }
    guard case .pipeline(let p) = try first.get() else {
      throw Diagnostic(".sql takes a pipeline", at: c.span, hints: ["e.g. .sql scores | take 5"])
    }
    try printSQL(try check(p, c.source), settings.sqlDialect, c.source, c.sink)
  }

  /// Compiles a checked pipeline and prints its SQL as a result; the places where the
  /// dialect may answer differently go to the diagnostics as warnings.
  func printSQL(
    _ checked: CheckedPipeline, _ dialect: SQLDialect, _ source: SourceText, _ sink: OutputSink
  ) throws(Diagnostic) {
    var compiler = SQLCompiler(dialect: dialect, lets: letPlans, source: source)
    compiler.orderColumns = sqlOrderColumns
    let compiled = try compiler.compile(checked)
    for w in compiled.warnings { report(w, source, sink) }
    emit(compiled.text + "\n", sink)
  }

  static func dialectUsage(at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "usage: .sql dialect duckdb|postgres|sqlite|spark", at: span,
      hints: ["the dialects: " + SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")])
  }
}
