import Columnar
import Language
import Render
import Spreadsheet

#if canImport(Glibc)
  import Glibc
#endif

extension Session {
  /// Loads a file (or every file it can read in a folder) as tables; `~` is the home folder,
  /// `-` standard input.
  /// - Returns: one line per loaded table saying what was read (rows, columns, dialect).
  @discardableResult
  public func load(path raw: String, as name: String? = nil, options: ReadOptions = ReadOptions())
    throws(EngineError) -> [String]
  {
    let path = Session.expandHome(raw)
    if Session.isDirectory(path) {
      var lines: [String] = []
      var failed: [String] = []
      for file in FolderListing.list(path).sorted() where !file.hasPrefix(".") {
        guard Session.isDataFile(file) else {
          if !Session.isDirectory(path + "/" + file) {
            failed.append("skipped \(file): not a format pantau reads")
          }
          continue
        }
        // One bad file does not stop the others; it is reported.
        do throws(EngineError) {
          lines += try load(path: path + "/" + file, as: nil, options: options)
        } catch {
          failed.append("skipped \(file): \(error.message)")
        }
      }
      return lines + failed
    }
    let source = path == "-" ? "/dev/stdin" : path
    let (table, report) = try FileLoader.load(
      path: source, options: options, byteLimit: settings.memoryLimit)
    let tableName = name ?? (path == "-" ? "stdin" : Session.tableName(forPath: path))
    catalog.set(tableName, table, origin: "loaded from \(path) (\(report.dialect))")
    letPlans[tableName] = nil
    var lines = report.notices
    lines.append(
      "loaded \(tableName): \(counted(table.rowCount, "row")), "
        + "\(counted(table.columns.count, "column")) (\(report.dialect))")
    if !report.rejects.isEmpty {
      let rejects = Table([
        ("line", .int(TypedColumn(report.rejects.map(\.line)))),
        ("reason", .text(TextColumn(report.rejects.map(\.reason)))),
      ])
      catalog.set(tableName + "_rejects", rejects, origin: "rows of \(path) left out")
      lines.append(
        "left out \(counted(report.rejects.count, "row")) that could not be read: see "
          + "\(tableName)_rejects")
    }
    return lines
  }

  /// `~` and `~/…` as the home folder.
  static func expandHome(_ path: String) -> String {
    guard path == "~" || path.hasPrefix("~/"), let home = getenv("HOME") else { return path }
    return String(cString: home) + path.dropFirst()
  }

  /// The default table name of a file: its stem, other characters than letters, digits and
  /// `_` becoming `_`.
  public static func tableName(forPath path: String) -> String {
    var file = path.split(separator: "/").last.map(String.init) ?? path
    file.removeAll { "*?[]".contains($0) }
    for ext in [".gz", ".zst"] where file.lowercased().hasSuffix(ext) {
      file = String(file.dropLast(ext.count))
    }
    let stem =
      file.contains(".") ? String(file[..<(file.lastIndex(of: ".") ?? file.endIndex)]) : file
    var out = String(
      stem.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    if out.isEmpty { out = "table" }
    if let f = out.first, f.isNumber { out = "_" + out }
    return out
  }

  static func isDataFile(_ name: String) -> Bool { FileLoader.isDataFile(name) }

  static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }

  /// `.load "path" [as name] [(options)]`: a failed load leaves the tables as they were.
  func load(_ c: DotContext) throws(Diagnostic) {
    var args = c.args
    var options = ReadOptions()
    if let open = Session.optionsStart(c.source, from: c.restOffset, to: c.span.end) {
      var parser = Parser(c.source, range: open..<c.span.end)
      options = try FileOptions.read(try parser.parseFileOptions())
      let before = DotWords.split(
        String(decoding: Array(c.source.text.utf8)[c.restOffset..<open], as: UTF8.self))
      args = before.map(\.word)
    }
    guard let path = args.first else {
      throw Diagnostic("usage: .load \"path\" [as name] [(options)]", at: c.span)
    }
    var name: String?
    if args.count >= 3, args[1] == "as" { name = args[2] }
    if let n = name, !Session.isValidName(n) {
      throw Diagnostic(
        "\"\(n)\" is not a table name", at: c.span,
        hints: ["names are letters, digits and _, not starting with a digit"])
    }
    let expanded = Session.expandHome(path)
    let resolved =
      expanded == "-"
      ? "-" : CheckContext(catalog: catalog, directory: c.source.directory).resolve(expanded)
    do throws(EngineError) {
      for line in try load(path: resolved, as: name, options: options) {
        c.sink.diagnostic(line + "\n")
      }
    } catch {
      var d = Diagnostic.engine(error, at: c.span)
      let lower = path.lowercased()
      if case .malformed(_, _, let reason) = error, reason.contains("data is") {
        d.hints = ["the file is damaged or incomplete: copy or download it again"]
      } else if case .malformed = error, lower.hasSuffix(".xlsx") || lower.hasSuffix(".xls") {
        d.hints = ["if Excel or LibreOffice opens it, save it again there as .xlsx (or .csv)"]
      } else if case .malformed = error {
        d.hints = [
          "say how the file is written, e.g. .load \"\(path)\" (delim ';', header false, skip 2), "
            + "or (ignore_errors) to leave such rows out"
        ]
      }
      throw d
    }
  }

  /// The offset of the `(` that opens `.load`'s options, outside quotes.
  static func optionsStart(_ source: SourceText, from: Int, to: Int) -> Int? {
    let bytes = Array(source.text.utf8)
    var quote: UInt8?
    var i = from
    while i < min(to, bytes.count) {
      let b = bytes[i]
      if let q = quote {
        if b == q { quote = nil }
      } else if b == 34 || b == 39 {
        quote = b
      } else if b == 40 {
        return i
      }
      i += 1
    }
    return nil
  }

  static func isValidName(_ s: String) -> Bool {
    guard let f = s.first, f.isASCII, f.isLetter || f == "_" else { return false }
    return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
  }

  func read(_ c: DotContext) throws(Diagnostic) {
    guard let path = c.args.first else { throw Diagnostic("usage: .read FILE", at: c.span) }
    guard readDepth < 16 else {
      throw Diagnostic(
        ".read is nested too deeply", at: c.span, hints: ["a script may be reading itself"])
    }
    let resolved = CheckContext(catalog: catalog, directory: c.source.directory).resolve(path)
    let bytes: [UInt8]
    do throws(EngineError) {
      bytes = try TableReader.readBytes(resolved)
    } catch {
      throw Diagnostic.engine(error, at: c.span)
    }
    let dir =
      resolved.contains("/")
      ? String(resolved[..<(resolved.lastIndex(of: "/") ?? resolved.endIndex)]) : "."
    readDepth += 1
    defer { readDepth -= 1 }
    let ok = run(
      SourceText(name: resolved, text: String(decoding: bytes, as: UTF8.self), directory: dir),
      sink: c.sink)
    if !ok { throw Diagnostic("\(path) stopped with an error", at: c.span) }
  }

  func redirect(_ once: Bool, _ c: DotContext) throws(Diagnostic) {
    flushOutput(c.sink)
    guard let path = c.args.first else {
      if once { throw Diagnostic("usage: .once FILE", at: c.span) }
      return
    }
    if settings.safe { throw .refusedBySafeMode(once ? ".once" : ".output", at: c.span) }
    let resolved = CheckContext(catalog: catalog, directory: c.source.directory).resolve(path)
    output = OutputRedirect(path: resolved, once: once)
  }

  /// `.explain [analyze] PIPELINE`: the operators the engine would run, root first, with
  /// the stages each one does and the rows expected; nothing runs (a pivot's input has
  /// run already while checking, as it does for every pivot). With `analyze`, the pipeline
  /// runs and each operator shows its rows and its own time (without its inputs').
  func explain(_ c: DotContext) throws(Diagnostic) {
    let analyze = c.args.first == "analyze"
    // restOffset is where the first word starts; the pipeline starts after "analyze".
    let start = c.restOffset + (analyze ? "analyze".utf8.count : 0)
    var parser = Parser(c.source, range: start..<c.span.end)
    guard let first = parser.nextStatement() else {
      throw Diagnostic("usage: .explain [analyze] PIPELINE", at: c.span)
    }
    guard case .pipeline(let p) = try first.get() else {
      throw Diagnostic(".explain takes a pipeline", at: c.span)
    }
    // Without analyze nothing runs, not even a pivot: the stages after one are left out.
    var shown = p
    var unplanned: [Stage] = []
    if !analyze,
      let i = p.stages.firstIndex(where: { if case .pivot = $0.kind { true } else { false } })
    {
      shown.stages = Array(p.stages[...i])
      unplanned = Array(p.stages[(i + 1)...])
    }
    let checked = try check(shown, c.source, running: analyze)
    var planner = executor.planner
    planner.unknownRows = Set(catalog.tableNames.filter { serverTable($0) != nil })
    var profile: ExecutionProfile?
    var physical = planner.plan(checked.plan)
    // What would go to the server: written, not sent.
    var sent: [String] = []
    if !analyze, var remote = remotePlanner(), remote.readsServer(checked.plan) {
      remote.dryRun = true
      planner.unknownRows.insert("(server answer)")
      physical = planner.plan(try remote.localize(checked.plan))
      sent = remote.statements
    }
    if analyze {
      server?.statements = []
      physical = planner.plan(try localize(checked.plan))
      sent = server?.statements ?? []
      var e = executor
      let p = ExecutionProfile()
      e.profile = p
      _ = try e.run(physical)
      profile = p
    }
    let lines = physical.explainLines(ascii: settings.ascii)
    var operators = TextColumnBuilder()
    var stages = TextColumnBuilder()
    var columns = TextColumnBuilder()
    var estimates = TextColumnBuilder()
    var rows: [Int?] = []
    var times: [Double?] = []
    var notes = TextColumnBuilder()
    for line in lines {
      operators.append(line.label)
      stages.append(line.stages.map { c.source.slice($0) }.joined(separator: " | "))
      columns.append(
        line.schema.fields.map { "\($0.name) \($0.type.rawValue)" }.joined(separator: ", "))
      estimates.append(line.estimate.text)
      if let profile {
        rows.append(profile.rows[line.id])
        let own = profile.seconds[line.id].map { total in
          total - line.inputs.reduce(0) { $0 + (profile.seconds[$1] ?? 0) }
        }
        times.append(own.map { (max(0, $0) * 1_000_000).rounded() / 1000 })
        notes.append(profile.notes[line.id] ?? "")
      }
    }
    var parts: [(String, Column)] = [
      ("operator", .text(operators.build())), ("stages", .text(stages.build())),
      ("columns", .text(columns.build())),
      (analyze ? "estimate" : "rows", .text(estimates.build())),
    ]
    if analyze {
      parts += [
        ("rows", .int(TypedColumn(optionals: rows, placeholder: 0))),
        ("ms", .float(TypedColumn(optionals: times, placeholder: 0))),
        ("note", .text(notes.build())),
      ]
    }
    var options = settings.renderOptions
    options.maxRows = Int.max
    emit(TableRenderer(format: settings.format, options: options).render(Table(parts)), c.sink)
    for (i, statement) in sent.enumerated() {
      let verb = analyze ? "sent" : "to send"
      c.sink.write("\nserver statement \(i + 1) (\(verb)):\n\(statement)\n")
    }
    if let first = unplanned.first, let last = unplanned.last {
      let rest = c.source.slice(SourceSpan(first.span.start, last.span.end))
      c.sink.write("after the pivot (planned once it has run): \(rest)\n")
    }
  }
}
