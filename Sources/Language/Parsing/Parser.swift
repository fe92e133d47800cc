import Columnar

/// Turns tokens into statements. Stops at the first error of a statement.
public struct Parser {
  var tokens: [Token]
  var index = 0
  private static let maxDepth = 200
  var depth = 0

  /// A parser over tokens from the `Lexer`.
  public init(_ tokens: [Token]) { self.tokens = tokens }

  /// A parser over a source (or a range of it).
  public init(_ source: SourceText, range: Range<Int>? = nil) {
    var lexer = Lexer(source, range: range)
    self.init(lexer.tokenize())
  }

  /// Lexes and parses a whole source, stopping at the first error.
  public static func parse(_ source: SourceText, range: Range<Int>? = nil) throws(Diagnostic)
    -> [Statement]
  {
    var parser = Parser(source, range: range)
    var out: [Statement] = []
    while let next = parser.nextStatement() { out.append(try next.get()) }
    return out
  }

  /// The next statement, or `nil` at the end. After an error the parser skips to the next
  /// statement, so a script reports each bad statement and runs the good ones.
  public mutating func nextStatement() -> Result<Statement, Diagnostic>? {
    while current.kind == .end { advance() }
    if current.kind == .eof { return nil }
    do throws(Diagnostic) {
      return .success(try parseStatement())
    } catch {
      while current.kind != .end && current.kind != .eof { advance() }
      return .failure(error)
    }
  }

  var current: Token { tokens[min(index, tokens.count - 1)] }

  func peek(_ k: Int) -> Token { tokens[min(index + k, tokens.count - 1)] }

  @discardableResult mutating func advance() -> Token {
    let t = current
    if index < tokens.count - 1 { index += 1 }
    return t
  }

  /// Whether the current token is the bare word `w`.
  func at(_ w: String) -> Bool { current.word == w }

  mutating func accept(_ w: String) -> Bool {
    if at(w) {
      advance()
      return true
    }
    return false
  }

  mutating func accept(_ k: TokenKind) -> Bool {
    if current.kind == k {
      advance()
      return true
    }
    return false
  }

  mutating func expect(_ k: TokenKind, _ what: String) throws(Diagnostic) -> Token {
    guard current.kind == k else { throw .expected(what, found: current) }
    return advance()
  }

  /// Throws the lexical error when the statement holds an invalid token.
  func checkInvalid() throws(Diagnostic) {
    var i = index
    while i < tokens.count && tokens[i].kind != .end && tokens[i].kind != .eof {
      if case .invalid(let d) = tokens[i].kind { throw d }
      i += 1
    }
  }

  mutating func enter() throws(Diagnostic) {
    depth += 1
    if depth > Parser.maxDepth { throw .tooDeep(at: current.span) }
  }

  mutating func leave() { depth -= 1 }

  private mutating func parseStatement() throws(Diagnostic) -> Statement {
    try checkInvalid()
    if case .dotCommand(let text) = current.kind {
      let t = advance()
      return .dot(text, t.span)
    }
    if at("let"), peek(1).word != nil || isQuotedName(peek(1)), peek(2).kind == .assign {
      advance()
      let name = try parseName("a table name")
      advance()
      let pipeline = try parsePipeline()
      try endStatement()
      return .assignment(name, pipeline)
    }
    let pipeline = try parsePipeline()
    try endStatement()
    return .pipeline(pipeline)
  }

  private func isQuotedName(_ t: Token) -> Bool {
    if case .quotedIdentifier = t.kind { return true }
    return false
  }

  private mutating func endStatement() throws(Diagnostic) {
    guard current.kind == .end || current.kind == .eof else {
      throw .expectedEnd(found: current)
    }
  }

  /// A name: an identifier or a backticked name.
  mutating func parseName(_ what: String) throws(Diagnostic) -> Name {
    switch current.kind {
    case .identifier(let s), .quotedIdentifier(let s):
      let t = advance()
      return Name(s, t.span)
    default:
      throw .expected(what, found: current)
    }
  }

  /// A comma-separated list of names.
  mutating func parseNames(_ what: String) throws(Diagnostic) -> [Name] {
    var out = [try parseName(what)]
    while accept(.comma) { out.append(try parseName(what)) }
    return out
  }

  /// `source | stage | …`.
  mutating func parsePipeline() throws(Diagnostic) -> Pipeline {
    try enter()
    defer { leave() }
    let start = current.span
    let source = try parseSource()
    var stages: [Stage] = []
    while accept(.pipe) {
      stages.append(try parseStage())
    }
    let end = tokens[max(0, index - 1)].span
    return Pipeline(source: source, stages: stages, span: start.merged(end))
  }

  /// A table name, `from NAME`, `from "path"`, or `( pipeline )`.
  mutating func parseSource() throws(Diagnostic) -> PipelineSource {
    if current.kind == .leftParen {
      advance()
      let inner = try parsePipeline()
      _ = try expect(.rightParen, ") to close the pipeline")
      return .pipeline(inner)
    }
    if at("from") {
      let fromToken = advance()
      if case .string(let path) = current.kind {
        let t = advance()
        let options = current.kind == .leftParen ? try parseFileOptions() : []
        return .file(path: path, options: options, span: fromToken.span.merged(t.span))
      }
      return .table(try parseName("a table name or a quoted file path after from"))
    }
    if current.kind == .pipe || current.kind == .end || current.kind == .eof {
      throw .expected("a table name", found: current)
    }
    return .table(try parseName("a table name"))
  }

  /// `( key value, key (a, b), key (name type, …), flag, … )` after a file path.
  public mutating func parseFileOptions() throws(Diagnostic) -> [FileOption] {
    _ = try expect(.leftParen, "( to open the options")
    var out: [FileOption] = []
    if accept(.rightParen) { return out }
    repeat {
      guard let key = current.word else { throw .expected("an option name", found: current) }
      let start = advance()
      var argument = FileOption.Argument.flag
      if current.kind == .leftParen {
        advance()
        if case .identifier = current.kind {
          var pairs: [(String, String)] = []
          repeat {
            let name = try parseName("a column name")
            guard let type = current.word else {
              throw .expected("a type after the column name", found: current)
            }
            advance()
            pairs.append((name.text, type))
          } while accept(.comma)
          argument = .pairs(pairs)
        } else {
          var values: [Value] = []
          if current.kind != .rightParen {
            repeat { values.append(try optionValue()) } while accept(.comma)
          }
          argument = .list(values)
        }
        _ = try expect(.rightParen, ") to close the list")
      } else if current.kind != .comma && current.kind != .rightParen {
        argument = .value(try optionValue())
      }
      out.append(
        FileOption(
          key: key, argument: argument, span: start.span.merged(tokens[max(0, index - 1)].span)))
    } while accept(.comma)
    _ = try expect(.rightParen, ") to close the options")
    return out
  }

  private mutating func optionValue() throws(Diagnostic) -> Value {
    let t = current
    switch t.kind {
    case .string(let s): advance(); return .text(s)
    case .int(let v): advance(); return .int(v)
    case .float(let v): advance(); return .float(v)
    case .identifier("true"): advance(); return .bool(true)
    case .identifier("false"): advance(); return .bool(false)
    case .identifier(let w): advance(); return .text(w)
    default: throw .expected("a value (a quoted text, a number, true or false)", found: t)
    }
  }
}
