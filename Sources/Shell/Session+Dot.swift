import Columnar
import Language
import Render

extension Session {
  func runDot(_ text: String, _ span: SourceSpan, _ source: SourceText, _ sink: OutputSink)
    throws(Diagnostic)
  {
    let words = DotWords.split(text)
    guard let first = words.first else { return }
    guard let name = DotCommandName(rawValue: first.word) else {
      let names = DotCommandName.allCases.map(\.rawValue)
      var hints: [String] = []
      if let s = Suggestions.closest(to: first.word, among: names) {
        hints.append("did you mean .\(s)?")
      }
      hints.append(".help lists the dot commands")
      throw Diagnostic(
        "unknown dot command .\(first.word)",
        at: SourceSpan(span.start, span.start + 1 + first.word.utf8.count),
        hints: hints)
    }
    let args = Array(words.dropFirst()).map(\.word)
    let restOffset = words.count > 1 ? span.start + 1 + words[1].offset : span.end
    let ctx = DotContext(span: span, source: source, sink: sink, args: args, restOffset: restOffset)
    try runDot(name, ctx)
  }

  struct DotContext {
    var span: SourceSpan
    var source: SourceText
    var sink: OutputSink
    var args: [String]
    var restOffset: Int
  }

  private func runDot(_ name: DotCommandName, _ c: DotContext) throws(Diagnostic) {
    switch name {
    case .help: c.sink.write(Help.text(topic: c.args.first))
    case .tables: emit(tablesListing(), c.sink)
    case .schema: try schema(c)
    case .sources: try sources(c)
    case .load: try load(c)
    case .drop:
      guard let t = c.args.first else { throw usage(".drop TABLE", c) }
      letPlans[t] = nil
      guard catalog.remove(t) else {
        throw Diagnostic(
          "unknown table \"\(t)\"", at: c.span,
          hints: ["tables: " + catalog.tableNames.joined(separator: ", ")])
      }
    case .mode:
      guard let f = c.args.first.flatMap(OutputFormat.init(name:)),
        c.args.count == 1 || (f == .box && c.args.count == 2 && c.args[1] == "wide")
      else {
        throw usage(".mode box [wide]|csv|tsv|json|jsonl|markdown|line", c)
      }
      settings.format = f
      settings.boxWide = c.args.count == 2
    case .timer: settings.timer = try onOff(c, ".timer on|off")
    case .read: try read(c)
    case .output, .once: try redirect(name == .once, c)
    case .maxrows: try setMaxRows(c)
    case .width: try setWidth(c)
    case .digits: try setDigits(c)
    case .thousands: settings.thousands = try onOff(c, ".thousands on|off")
    case .show: emit(shownSettings(), c.sink)
    case .set:
      guard c.args.count >= 2 else { throw usage(".set NAME VALUE", c) }
      catalog.parameters[c.args[0]] = ParameterValue.parse(c.args[1...].joined(separator: " "))
    case .chart:
      guard let a = c.args.first, a == "ascii" || a == "unicode" else {
        throw usage(".chart unicode|ascii", c)
      }
      settings.asciiCharts = a == "ascii"
    case .explain: try explain(c)
    case .sql: try sql(c)
    case .connect: try connect(c)
    case .disconnect: disconnect()
    case .quit, .exit: requestQuit()
    case .last:
      guard let t = lastResult else { throw Diagnostic("no result yet", at: c.span) }
      var options = settings.renderOptions
      options.maxRows = Int.max
      options.wide = true
      c.sink.page(TableRenderer(format: settings.format, options: options).render(t))
    }
  }

  private func usage(_ form: String, _ c: DotContext) -> Diagnostic {
    Diagnostic("usage: \(form)", at: c.span)
  }

  func onOff(_ c: DotContext, _ form: String) throws(Diagnostic) -> Bool {
    switch c.args.first {
    case "on": return true
    case "off": return false
    default: throw usage(form, c)
    }
  }

  func number(_ c: DotContext, _ form: String, _ range: ClosedRange<Int>) throws(Diagnostic)
    -> Int
  {
    guard let s = c.args.first, let n = Int(s), range.contains(n) else {
      throw Diagnostic(
        "usage: \(form)", at: c.span,
        hints: ["N is a whole number from \(range.lowerBound) to \(range.upperBound)"])
    }
    return n
  }

  func tablesListing() -> String {
    var names = TextColumnBuilder()
    var rows: [Int?] = []
    var cols: [Int] = []
    var places = TextColumnBuilder()
    for n in catalog.tableNames {
      guard let t = catalog.tables[n] else { continue }
      names.append(n)
      cols.append(t.names.count)
      if let remote = serverTable(n), let link = server {
        // The server's estimate, not a count: counting a large table takes a scan.
        rows.append(remote.estimatedRows)
        places.append("\(link.server.target) \(remote.schemaName).\(remote.name)")
      } else {
        rows.append(t.rowCount)
        places.append("local")
      }
    }
    var pairs: [(String, Column)] = [
      ("table", .text(names.build())), ("rows", .int(TypedColumn(optionals: rows, placeholder: 0))),
      ("columns", .int(TypedColumn(cols))),
    ]
    if server != nil { pairs.append(("where", .text(places.build()))) }
    let t = Table(pairs)
    return TableRenderer(format: settings.format, options: settings.renderOptions).render(t)
  }

  private func table(_ name: String, _ c: DotContext) throws(Diagnostic) -> Table {
    guard let t = catalog.tables[name] else {
      var hints: [String] = []
      if let s = Suggestions.closest(to: name, among: catalog.tableNames) {
        hints.append("did you mean \"\(s)\"?")
      }
      hints.append("tables: " + catalog.tableNames.joined(separator: ", "))
      throw Diagnostic("unknown table \"\(name)\"", at: c.span, hints: hints)
    }
    return t
  }

  private func schema(_ c: DotContext) throws(Diagnostic) {
    let names = c.args.isEmpty ? catalog.tableNames : c.args
    var tables = TextColumnBuilder()
    var columns = TextColumnBuilder()
    var types = TextColumnBuilder()
    for n in names {
      let t = try table(n, c)
      for f in t.schema.fields {
        tables.append(n)
        columns.append(f.name)
        types.append(f.type.rawValue)
      }
    }
    let t = Table([
      ("table", .text(tables.build())), ("column", .text(columns.build())),
      ("type", .text(types.build())),
    ])
    emit(TableRenderer(format: settings.format, options: settings.renderOptions).render(t), c.sink)
  }

  private func sources(_ c: DotContext) throws(Diagnostic) {
    guard let name = c.args.first else { throw usage(".sources TABLE", c) }
    let t = try table(name, c)
    let origin = catalog.origins[name] ?? ""
    var text = "\(name): \(origin.isEmpty ? "no recorded origin" : origin)\n"
    if let col = t.column("source"), case .text(let s) = col {
      let g = Grouping(keys: [col], rowCount: t.rowCount)
      text += counted(g.count, "distinct source") + " in its \"source\" column:\n"
      for r in g.firstRows {
        let count = g.ids.filter { $0 == g.ids[r] }.count
        text += "  \(s[r] ?? "(none)")  (\(counted(count, "row")))\n"
      }
    }
    c.sink.write(text)
  }
}

/// Script parameter values, typed as a literal of the language would be.
public enum ParameterValue {
  /// `2023` and `1_000` ints, `88.5` and `-2.5` floats, `"text"` or `'text'` text (quotes
  /// removed, escapes read), `@2024-01-31` or `2024-01-31` a date, `true`/`false` a bool;
  /// anything else is text as written.
  public static func parse(_ s: String) -> Value {
    let t = String(s.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    if t == "true" { return .bool(true) }
    if t == "false" { return .bool(false) }
    if let d = CivilDate.parse(t.hasPrefix("@") ? String(t.dropFirst()) : t) { return .date(d) }
    return literal(t) ?? .text(s)
  }

  /// The value of `t` when the lexer reads it as one literal, with an optional minus sign.
  private static func literal(_ t: String) -> Value? {
    var lexer = Lexer(SourceText(name: "--set", text: t))
    let kinds = lexer.tokenize().map(\.kind).filter { $0 != .end && $0 != .eof }
    let negative = kinds.count == 2 && kinds[0] == .minus
    guard kinds.count == 1 || negative, let last = kinds.last else { return nil }
    switch last {
    case .string(let text) where !negative: return .text(text)
    case .int(let i) where i != Int.min: return .int(negative ? -i : i)
    case .float(let f) where f.isFinite: return .float(negative ? -f : f)
    default: return nil
    }
  }
}
