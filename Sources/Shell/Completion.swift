import Columnar
import Language
import Render

/// Tab completion that knows the schema at each point of a pipeline: table names at the
/// start, stage names after `|`, inside a stage the columns of the table flowing into it
/// (including columns made earlier in the same statement), then functions; file paths
/// inside quotes and after `.load`/`.read`. Pure: the shell's readline only shows it.
public struct Completion {
  /// What is being completed.
  public enum Context: Equatable, Sendable {
    case statementStart
    case table
    case stage
    case column
    case dotCommand
    case dotArgument(DotCommandName)
    case path
  }

  /// The word being completed and its candidates.
  public struct Result: Equatable, Sendable {
    /// The text before the cursor that the candidates replace.
    public var word: String
    /// What kind of name is expected.
    public var context: Context
    /// Candidates that start with `word`, in a useful order.
    public var candidates: [String]
  }

  let catalog: Catalog
  let directory: String
  let listFiles: (String) -> [String]
  /// The columns of `from "file"` sources (a session's `rememberedFiles`); without it a
  /// file source has no columns to offer. Completion never reads a file.
  public var readFile: (@Sendable (String, ReadOptions) throws(EngineError) -> Table)?

  /// A completer over a catalog; `listFiles` lists a folder (names ending in `/` for folders).
  public init(catalog: Catalog, directory: String = ".", listFiles: @escaping (String) -> [String])
  {
    self.catalog = catalog
    self.directory = directory
    self.listFiles = listFiles
  }

  static let keywords = [
    "and", "or", "not", "in", "by", "order", "asc", "desc", "as", "on", "left",
  ]

  /// Completions for `text`, the statement so far up to the cursor (earlier lines of a
  /// multi-line statement included).
  public func complete(_ text: String) -> Result {
    // A dot command is one line; its statement ends at the line's end, so look at the line.
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
    let lineStart = line.drop { $0 == " " || $0 == "\t" }
    if lineStart.hasPrefix(".") { return completeDot(String(lineStart)) }
    let statement = Completion.currentStatement(text)
    let trimmed = statement.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
    if trimmed.hasPrefix(".") { return completeDot(String(trimmed)) }
    if let quoteStart = Completion.openQuote(statement) {
      let partial = String(statement[statement.index(after: quoteStart)...])
      return Result(word: partial, context: .path, candidates: paths(partial))
    }
    let word = Completion.wordBeforeCursor(statement)
    let before = String(statement.dropLast(word.count))
    let (prefix, stageText) = Completion.splitAtLastPipe(before)
    guard let prefix else { return completeFirstSegment(stageText, word) }
    let stageWords = stageText.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
    if stageWords.isEmpty {
      return filtered(word, .stage, StageName.allCases.map(\.rawValue))
    }
    let schema = schemaOf(prefix)
    let stage = StageName(rawValue: String(stageWords[0]))
    if stage == .join || stage == .append, stageWords.count == 1 || stageWords.last == "left" {
      return filtered(word, .table, catalog.tableNames)
    }
    let quoted = word.hasPrefix("`")
    let names = (schema?.names ?? []).map { Completion.columnText($0, quoted: quoted) }
    if stage == .join, stageWords.contains("on") {
      let right = (joinedSchema(stageWords)?.names ?? []).map {
        Completion.columnText($0, quoted: quoted)
      }
      return filtered(word, .column, names + right.filter { !names.contains($0) } + ["and"])
    }
    let inCall = stageText.contains("(")
    return filtered(word, .column, names + Completion.after(stage, inCall: inCall))
  }

  /// What may follow the columns inside a stage, in the order a person needs them: the
  /// stage's own words, then the functions that are allowed there (aggregates only inside
  /// `group (…)` and `derive`, window functions only in `derive`).
  static func after(_ stage: StageName?, inCall: Bool) -> [String] {
    let scalars = ScalarFunction.allCases.map(\.rawValue).sorted()
    let aggregates = (AggregateKind.allCases.map(\.rawValue) + ["mean"]).sorted()
    let windows = WindowKind.allCases.map(\.rawValue).sorted()
    let logic = ["and", "or", "not", "in", "like", "ilike", "case", "when", "then", "else", "end"]
    switch stage {
    case .filter: return logic + scalars
    case .sort: return ["asc", "desc", "nulls", "first", "last"] + scalars
    case .select, .drop, .distinct, .pivot, .describe, .take, .save, .append, .join: return scalars
    case .derive: return ["by", "order"] + logic + scalars + (aggregates + windows).sorted()
    case .group: return inCall ? aggregates + scalars + logic : []
    case .rank: return ["by", "as", "asc", "desc"] + scalars
    case .top: return ["by", "asc", "desc", "no", "with", "ties"] + scalars
    case .trend: return ["by", "width", "height"]
    case .bar: return ["width"]
    case .hist: return ["bins", "width"]
    case nil: return keywords + scalars
    }
  }

  /// A column as it must be written: backticks around a name that is not a plain
  /// identifier (a space, a dash, a leading digit), or around every name once a backtick
  /// has been typed.
  static func columnText(_ name: String, quoted: Bool) -> String {
    let plain =
      !name.isEmpty && !(name.first?.isNumber ?? true)
      && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    return plain && !quoted ? name : "`" + name.replacing("`", with: "``") + "`"
  }

  private func completeFirstSegment(_ text: String, _ word: String) -> Result {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
    if words.isEmpty {
      return filtered(word, .statementStart, catalog.tableNames + ["from", "let"])
    }
    if words.last == "from" || (words.first == "let" && words.last == "=") {
      return filtered(word, .table, catalog.tableNames + (words.last == "=" ? ["from"] : []))
    }
    if words.first == "let" && words.count == 2 && text.contains("=") {
      return filtered(word, .table, catalog.tableNames)
    }
    return filtered(word, .table, [])
  }

  private func completeDot(_ text: String) -> Result {
    let body = text.dropFirst()
    let parts = body.split(separator: " ", omittingEmptySubsequences: false)
    if parts.count <= 1 {
      return filtered(
        "." + body, .dotCommand, DotCommandName.allCases.map { "." + $0.rawValue })
    }
    guard let command = DotCommandName(rawValue: String(parts[0])) else {
      return Result(word: "", context: .dotCommand, candidates: [])
    }
    let rest = String(body.dropFirst(parts[0].count + 1))
    switch command {
    case .load, .read, .output, .once:
      let partial = rest.hasPrefix("\"") || rest.hasPrefix("'") ? String(rest.dropFirst()) : rest
      return Result(word: partial, context: .path, candidates: paths(partial))
    case .drop, .schema, .sources:
      return filtered(String(parts.last ?? ""), .dotArgument(command), catalog.tableNames)
    case .mode:
      let choices =
        parts.count == 3 && parts[1] == "box"
        ? ["wide"]
        : parts.count == 2 ? OutputFormat.allCases.filter { $0 != .jsonl }.map(\.rawValue) : []
      return filtered(String(parts.last ?? ""), .dotArgument(command), choices)
    case .timer, .thousands:
      return filtered(
        String(parts.last ?? ""), .dotArgument(command), parts.count == 2 ? ["on", "off"] : [])
    case .width:
      return filtered(
        String(parts.last ?? ""), .dotArgument(command), parts.count == 2 ? ["auto"] : [])
    case .maxrows:
      return filtered(
        String(parts.last ?? ""), .dotArgument(command), parts.count == 2 ? ["all"] : [])
    case .digits:
      return filtered(
        String(parts.last ?? ""), .dotArgument(command), parts.count == 2 ? ["full"] : [])
    case .chart:
      return filtered(String(parts.last ?? ""), .dotArgument(command), ["unicode", "ascii"])
    case .help:
      return filtered(String(parts.last ?? ""), .dotArgument(command), Help.topics.map(\.name))
    case .explain, .sql:
      let pipeline =
        command == .explain && rest.hasPrefix("analyze ") ? String(rest.dropFirst(8)) : rest
      var inner = complete(pipeline)
      inner.context = inner.context == .statementStart ? .table : inner.context
      if command == .explain, parts.count == 2, "analyze".hasPrefix(parts[1]), !parts[1].isEmpty {
        inner.candidates.insert("analyze", at: 0)
      }
      return inner
    default:
      return Result(word: String(parts.last ?? ""), context: .dotArgument(command), candidates: [])
    }
  }

  private func filtered(_ word: String, _ context: Context, _ names: [String]) -> Result {
    var seen = Set<String>()
    // A backticked name also matches the word typed without its backtick.
    let matches = names.filter {
      ($0.hasPrefix(word) || $0.hasPrefix("`") && !word.isEmpty && $0.dropFirst().hasPrefix(word))
        && seen.insert($0).inserted
    }
    return Result(word: word, context: context, candidates: matches)
  }

  /// The schema of the table flowing out of `prefix` (source and complete stages), if it
  /// checks.
  func schemaOf(_ prefix: String) -> Schema? {
    let source = SourceText(name: "<completion>", text: prefix, directory: directory)
    var parser = Parser(source)
    guard case .success(let statement)? = parser.nextStatement() else { return nil }
    let pipeline: Pipeline
    switch statement {
    case .pipeline(let p): pipeline = p
    case .assignment(_, let p): pipeline = p
    case .dot: return nil
    }
    var context = CheckContext(catalog: catalog, directory: directory)
    context.readFile = readFile
    guard let checked = try? Checker(context).check(pipeline) else { return nil }
    return checked.plan.schema
  }

  private func joinedSchema(_ words: [Substring]) -> Schema? {
    guard let i = words.firstIndex(where: { $0 != "join" && $0 != "left" }) else { return nil }
    return catalog.tables[String(words[i])]?.schema
  }

  private func paths(_ partial: String) -> [String] {
    let slash = partial.lastIndex(of: "/")
    let folder = slash.map { String(partial[...$0]) } ?? ""
    let stem = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
    var base = folder.hasPrefix("/") ? folder : (directory == "." ? "" : directory + "/") + folder
    while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
    return listFiles(base.isEmpty ? "." : base).filter { $0.hasPrefix(stem) && !$0.hasPrefix(".") }
      .sorted().map { folder + $0 }
  }

  /// The text after the last statement end (`;` or a newline that ends a statement).
  static func currentStatement(_ text: String) -> String {
    var lexer = Lexer(SourceText(name: "", text: text))
    let tokens = lexer.tokenize()
    let ends = tokens.filter { $0.kind == .end && $0.span.end < text.utf8.count }
    guard let last = ends.last else { return text }
    let bytes = Array(text.utf8)
    return String(decoding: bytes[min(bytes.count, last.span.end)...], as: UTF8.self)
  }

  /// The position of an unclosed quote, if the cursor is inside a string.
  static func openQuote(_ text: String) -> String.Index? {
    var open: (Character, String.Index)?
    var i = text.startIndex
    var escaped = false
    while i < text.endIndex {
      let c = text[i]
      if let (q, _) = open {
        if escaped {
          escaped = false
        } else if c == "\\" {
          escaped = true
        } else if c == q {
          open = nil
        }
      } else if c == "\"" || c == "'" {
        open = (c, i)
      } else if c == "#" {
        while i < text.endIndex && text[i] != "\n" { i = text.index(after: i) }
        continue
      }
      i = text.index(after: i)
    }
    return open?.1
  }

  /// The identifier characters (or a backticked name) just before the cursor.
  static func wordBeforeCursor(_ text: String) -> String {
    if let tick = text.lastIndex(of: "`"), text.filter({ $0 == "`" }).count % 2 == 1 {
      return String(text[tick...])
    }
    let chars = text.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
    return String(chars.reversed())
  }

  /// Splits at the last `|` of the innermost pipeline holding the cursor (pipelines nest in
  /// parentheses after `join`, `append`, `let x =`): (everything before it, the current
  /// stage's text). No `|`: (nil, the text).
  static func splitAtLastPipe(_ text: String) -> (String?, String) {
    var quote: Character?
    var open: [(String.Index, Bool)] = []
    var lastPipe: String.Index?
    for i in text.indices {
      let c = text[i]
      if let q = quote {
        if c == q { quote = nil }
        continue
      }
      switch c {
      case "\"", "'", "`": quote = c
      case "(": open.append((i, isPipelineParen(text, i)))
      case ")": _ = open.popLast()
      case "|" where open.isEmpty: lastPipe = i
      default: break
      }
    }
    if let inner = open.last(where: { $0.1 }) {
      return splitAtLastPipe(String(text[text.index(after: inner.0)...]))
    }
    guard let lastPipe else { return (nil, text) }
    return (String(text[..<lastPipe]), String(text[text.index(after: lastPipe)...]))
  }

  /// Whether the parenthesis at `i` opens a pipeline rather than an expression.
  static func isPipelineParen(_ text: String, _ i: String.Index) -> Bool {
    let before = text[..<i].reversed().drop { $0 == " " || $0 == "\t" || $0 == "\n" }
    guard let previous = before.first else { return true }
    if previous == "|" || previous == "(" { return true }
    let word = String(before.prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
    if ["join", "left", "append", "from"].contains(word) { return true }
    if previous == "=" {
      let head = String(text[..<i]).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
      return head.count == 3 && head[0] == "let" && head[2] == "="
        || head.count == 2 && head[0] == "let" && head[1].hasSuffix("=")
    }
    return false
  }
}
