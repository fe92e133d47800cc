import Columnar
import Language
import Render
import Spreadsheet

/// A pantau session: the catalog of tables, the settings, and the one entry point that the
/// shell, scripts and tests all use, `run(_:sink:)`.
public final class Session {
  /// The named tables and parameters.
  public var catalog = Catalog()
  /// The settings.
  public var settings: Settings
  /// Chooses the operators (`PANTAU_PLANNER=general` for the general ones only).
  public var planner = Planner()
  /// Set from a signal handler to stop the running statement.
  public let cancellation: Cancellation
  /// Whether `.quit` was given.
  public private(set) var quitRequested = false
  /// The last table shown (for `.last`).
  public private(set) var lastResult: Table?
  var resultsShown = 0
  var output: OutputRedirect?
  var readDepth = 0
  /// The checked plans of the tables made by `let`, which `.sql` compiles in as CTEs.
  var letPlans: [String: (plan: Plan, source: SourceText?)] = [:]
  /// Tables whose row order the SQL reads from a column (`.sql table NAME` writes it).
  var sqlOrderColumns: [String: String] = [:]
  /// The PostgreSQL server of `.connect`/`--connect`, when there is one.
  var server: ServerLink?
  /// The columns of the files `from "file"` sources have read.
  let fileSchemas = FileSchemas()

  /// For Tab completion: the columns of a file a statement has read, while the file is
  /// unchanged; it reads no file.
  public var rememberedFiles: @Sendable (String, ReadOptions) throws(EngineError) -> Table {
    fileSchemas.remembered()
  }

  /// Where results go after `.output FILE` or `.once FILE`.
  struct OutputRedirect {
    var path: String
    var once: Bool
    var text = ""
    var results = 0
    /// For a workbook (`.xlsx`): the results, one sheet each.
    var tables: [Table] = []
    var isWorkbook: Bool { path.lowercased().hasSuffix(".xlsx") }
  }

  /// A session with settings; `cancellation` is the flag a Ctrl-C handler sets.
  public init(settings: Settings = Settings(), cancellation: Cancellation = Cancellation()) {
    self.settings = settings
    self.cancellation = cancellation
  }

  /// Runs every statement of a source in order. A failed statement is reported on the
  /// diagnostic stream and stops the run unless `keepGoing` is set.
  /// - Returns: whether every statement succeeded.
  @discardableResult
  public func run(
    _ source: SourceText, sink: OutputSink, willRun: ((SourceSpan?) -> Void)? = nil
  ) -> Bool {
    var parser = Parser(source)
    var ok = true
    while !quitRequested, let next = parser.nextStatement() {
      if let willRun {
        switch next {
        case .success(let statement): willRun(statement.span)
        case .failure(let d): willRun(d.span)
        }
      }
      let clock = ContinuousClock()
      let start = clock.now
      cancellation.reset()
      let success: Bool
      switch next {
      case .failure(let d):
        report(d, source, sink)
        success = false
      case .success(let statement):
        success = execute(statement, source, sink)
      }
      if settings.timer { sink.diagnostic("time: \(Session.seconds(clock.now - start)) s\n") }
      if !success {
        ok = false
        if !settings.keepGoing { break }
      }
    }
    return ok
  }

  /// Runs text as a script (a convenience over `run(_:sink:)`).
  @discardableResult
  public func run(
    _ text: String, name: String = "<command>", directory: String = ".", sink: OutputSink
  )
    -> Bool
  {
    run(SourceText(name: name, text: text, directory: directory), sink: sink)
  }

  /// Writes what `.output` collected; call when the session ends.
  public func finish(sink: OutputSink) {
    flushOutput(sink)
  }

  /// A duration in seconds with four decimals (`0.0123`).
  static func seconds(_ d: Duration) -> String {
    let micros = d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000
    let tenths = (micros + 50) / 100
    let frac = String(tenths % 10_000)
    return "\(tenths / 10_000)." + String(repeating: "0", count: 4 - frac.count) + frac
  }

  func report(_ d: Diagnostic, _ source: SourceText?, _ sink: OutputSink) {
    if d.message == "cancelled" && d.span == nil {
      sink.diagnostic("cancelled\n")
      return
    }
    sink.diagnostic(DiagnosticRenderer(color: settings.color).render(d, in: source))
  }

  private func execute(_ statement: Statement, _ source: SourceText, _ sink: OutputSink) -> Bool {
    do throws(Diagnostic) {
      switch statement {
      case .pipeline(let p):
        try runPipeline(p, source, sink)
      case .assignment(let name, let p):
        let checked = try check(p, source)
        guard case .show = checked.terminal else {
          throw Diagnostic(
            "let keeps a table, but this pipeline ends in a chart or save", at: p.span,
            hints: ["drop the last stage, or run it as its own statement"])
        }
        let table = try run(checked.plan, source, sink)
        catalog.set(name.text, table, origin: "let in \(source.name)")
        letPlans[name.text] = (checked.plan, source)
      case .dot(let text, let span):
        try runDot(text, span, source, sink)
      }
      return true
    } catch {
      report(error, source, sink)
      return false
    }
  }

  /// Runs a checked plan; its warnings (floats that overflowed to null) go to the sink.
  func run(_ plan: Plan, _ source: SourceText, _ sink: OutputSink) throws(Diagnostic) -> Table {
    let e = executor
    let table = try e.run(try localize(plan))
    for w in e.warnings { report(w, source, sink) }
    return table
  }

  var executor: Executor {
    var e = Executor(
      cancellation: cancellation, asciiCharts: settings.ascii || settings.asciiCharts,
      memoryLimit: settings.memoryLimit)
    e.planner = planner
    return e
  }

  /// Checks a pipeline; `running` lets a pivot run so that the stages after it can be
  /// checked against its columns.
  func check(_ p: Pipeline, _ source: SourceText, running: Bool = true) throws(Diagnostic)
    -> CheckedPipeline
  {
    var context = CheckContext(catalog: catalog, directory: source.directory)
    context.readFile = fileSchemas.reader(byteLimit: settings.memoryLimit)
    if running { context.runPivot = pivotRunner() }
    return try Checker(context).check(p)
  }

  private func runPipeline(_ p: Pipeline, _ source: SourceText, _ sink: OutputSink)
    throws(Diagnostic)
  {
    let checked = try check(p, source)
    if let dialect = settings.sqlOnly {
      try printSQL(checked, dialect, source, sink)
      return
    }
    let table = try run(checked.plan, source, sink)
    switch checked.terminal {
    case .show:
      lastResult = table
      var format = settings.format
      var options = settings.renderOptions
      options.cancellation = cancellation
      if var redirect = output, redirect.isWorkbook {
        redirect.tables.append(table)
        redirect.results += 1
        output = redirect
        if redirect.once { flushOutput(sink) }
        return
      }
      if let path = output?.path {
        // A file gets the format its extension names, never colour, and (as a box) every
        // row and column whole: nothing a terminal forced is lost in a file.
        format = OutputFormat.forFile(path) ?? format
        options.color = false
        options.wide = true
        options.maxRows = Int.max
        options.cancellation = nil
      }
      let text = TableRenderer(format: format, options: options).render(table)
      emit(text, sink, paged: output == nil && format == .box && options.wide)
    case .save(let path, let span, let options):
      try save(table, to: path, span: span, sink: sink, options: options)
    case .chart(let request):
      emit(try chart(request, table), sink)
    }
  }

  /// Writes a table to a file in the format its extension names.
  func save(
    _ table: Table, to path: String, span: SourceSpan?, sink: OutputSink,
    options write: WriteOptions = WriteOptions()
  ) throws(Diagnostic) {
    if settings.safe { throw .refusedBySafeMode("save", at: span) }
    if path.lowercased().hasSuffix(".xlsx") {
      let bytes = try workbook([(Session.sheetName(path), table)], span)
      do throws(FileError) {
        try AtomicFile.write(bytes: bytes, to: path)
      } catch {
        throw Diagnostic("cannot write \"\(path)\": \(error.reason)", at: span)
      }
      sink.diagnostic("saved \(counted(table.rowCount, "row")) to \(path)\n")
      return
    }
    guard let format = OutputFormat.forFile(path) else {
      throw Diagnostic(
        "cannot tell the format of \"\(path)\"", at: span,
        hints: ["use one of the extensions .csv .tsv .json .jsonl .md .xlsx"])
    }
    var options = settings.renderOptions
    options.write = write
    let bytes = TableRenderer(format: format, options: options).renderBytes(table)
    do throws(FileError) {
      try AtomicFile.write(bytes: bytes, to: path)
    } catch {
      throw Diagnostic("cannot write \"\(path)\": \(error.reason)", at: span)
    }
    sink.diagnostic("saved \(counted(table.rowCount, "row")) to \(path)\n")
  }

  /// A workbook of `sheets`.
  func workbook(_ sheets: [(String, Table)], _ span: SourceSpan?) throws(Diagnostic) -> [UInt8] {
    do throws(SpreadsheetError) {
      return try XLSXWriter.workbook(sheets.map { (name: $0.0, table: $0.1) })
    } catch {
      throw Diagnostic("cannot write the workbook: \(error.reason)", at: span)
    }
  }

  /// A sheet's name for a workbook file: the file's stem.
  static func sheetName(_ path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    return file.contains(".") ? String(file[..<(file.lastIndex(of: ".") ?? file.endIndex)]) : file
  }

  /// Sends result text to the sink, or to the `.output`/`.once` file.
  func emit(_ text: String, _ sink: OutputSink, paged: Bool = false) {
    if let redirect = output, redirect.isWorkbook {
      sink.diagnostic("note: \(redirect.path) is a workbook: only tables go there, not text\n")
      if resultsShown > 0 { sink.write("\n") }
      sink.write(text)
      resultsShown += 1
      return
    }
    if var redirect = output {
      if redirect.results > 0 { redirect.text += "\n" }
      redirect.text += text
      redirect.results += 1
      output = redirect
      if redirect.once { flushOutput(sink) }
      return
    }
    if resultsShown > 0 { sink.write("\n") }
    if paged { sink.page(text) } else { sink.write(text) }
    resultsShown += 1
  }

  func flushOutput(_ sink: OutputSink) {
    guard let redirect = output else { return }
    output = nil
    do throws(FileError) {
      if redirect.isWorkbook {
        let stem = Session.sheetName(redirect.path)
        let sheets = redirect.tables.enumerated().map { i, t in
          (redirect.tables.count == 1 ? stem : "\(stem) \(i + 1)", t)
        }
        guard !sheets.isEmpty else { return }
        let bytes: [UInt8]
        do throws(Diagnostic) {
          bytes = try workbook(sheets, nil)
        } catch {
          sink.diagnostic("error: \(error.message)\n")
          return
        }
        try AtomicFile.write(bytes: bytes, to: redirect.path)
        return
      }
      try AtomicFile.write(redirect.text, to: redirect.path)
    } catch {
      sink.diagnostic("error: cannot write \"\(redirect.path)\": \(error.reason)\n")
    }
  }

  func requestQuit() { quitRequested = true }

  /// The next result starts without a separating blank line.
  func resetSeparator() { resultsShown = 0 }

}

extension Diagnostic {
  static func refusedBySafeMode(_ what: String, at span: SourceSpan?) -> Diagnostic {
    Diagnostic(
      "\(what) is refused in --safe mode: it would write a file", at: span,
      hints: ["run without --safe to write files"])
  }
}
