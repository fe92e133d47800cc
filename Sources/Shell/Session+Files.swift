import Columnar
import Language
import Render

#if canImport(Glibc)
  import Glibc
#endif

extension Session {
  /// Loads a file (or every CSV, TSV and JSON-lines file in a folder) as tables.
  /// - Returns: the names given to the loaded tables.
  @discardableResult
  public func load(path: String, as name: String? = nil) throws(EngineError) -> [String] {
    if Session.isDirectory(path) {
      var loaded: [String] = []
      for file in FolderListing.list(path) where !file.hasPrefix(".") && Session.isDataFile(file) {
        loaded += try load(path: path + "/" + file, as: nil)
      }
      return loaded
    }
    let table = try TableReader.read(path: path, byteLimit: settings.memoryLimit)
    let tableName = name ?? Session.tableName(forPath: path)
    catalog.set(tableName, table, origin: "loaded from \(path)")
    return [tableName]
  }

  /// The default table name of a file: its stem, other characters than letters, digits and
  /// `_` becoming `_`.
  public static func tableName(forPath path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    let stem =
      file.contains(".") ? String(file[..<(file.lastIndex(of: ".") ?? file.endIndex)]) : file
    var out = String(
      stem.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    if out.isEmpty { out = "table" }
    if let f = out.first, f.isNumber { out = "_" + out }
    return out
  }

  static func isDataFile(_ name: String) -> Bool {
    [FileFormat.csv, .tsv, .jsonl].contains(FileFormat.byExtension(name) ?? .markdown)
  }

  static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }

  func load(_ c: DotContext) throws(Diagnostic) {
    guard let path = c.args.first else {
      throw Diagnostic("usage: .load \"path\" [as name]", at: c.span)
    }
    var name: String?
    if c.args.count >= 3, c.args[1] == "as" { name = c.args[2] }
    if let n = name, !Session.isValidName(n) {
      throw Diagnostic(
        "\"\(n)\" is not a table name", at: c.span,
        hints: ["names are letters, digits and _, not starting with a digit"])
    }
    let resolved = CheckContext(catalog: catalog, directory: c.source.directory).resolve(path)
    do throws(EngineError) {
      try load(path: resolved, as: name)
    } catch {
      throw Diagnostic.engine(error, at: c.span)
    }
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

  func explain(_ c: DotContext) throws(Diagnostic) {
    var parser = Parser(c.source, range: c.restOffset..<c.span.end)
    guard let first = parser.nextStatement() else {
      throw Diagnostic("usage: .explain PIPELINE", at: c.span)
    }
    guard case .pipeline(let p) = try first.get() else {
      throw Diagnostic(".explain takes a pipeline", at: c.span)
    }
    var stages = TextColumnBuilder()
    var columns = TextColumnBuilder()
    var rows: [Int?] = []
    for k in 0...p.stages.count {
      var prefix = p
      prefix.stages = Array(p.stages.prefix(k))
      let checked = try check(prefix, c.source)
      let label = k == 0 ? sourceLabel(p) : c.source.slice(p.stages[k - 1].span)
      stages.append(label)
      columns.append(
        checked.plan.schema.fields.map { "\($0.name) \($0.type.rawValue)" }.joined(separator: ", "))
      if case .show = checked.terminal {
        rows.append(try executor.run(checked.plan).rowCount)
      } else {
        rows.append(nil)
      }
    }
    let t = Table([
      ("stage", .text(stages.build())), ("columns", .text(columns.build())),
      ("rows", .int(TypedColumn(optionals: rows, placeholder: 0))),
    ])
    var options = settings.renderOptions
    options.maxRows = Int.max
    emit(TableRenderer(format: settings.format, options: options).render(t), c.sink)
  }

  private func sourceLabel(_ p: Pipeline) -> String {
    switch p.source {
    case .table(let n): n.text
    case .file(let path, _): "from \"\(path)\""
    case .pipeline: "( pipeline )"
    }
  }
}
