import Columnar

/// Turns source text into tokens. Newlines end statements except inside parentheses, after
/// a trailing `|` or `,`, or before a line that starts with `|`. A line that starts with
/// `.` at a statement's start is a dot command.
public struct Lexer {
  private let source: SourceText
  let bytes: [UInt8]
  var pos: Int
  let limit: Int
  var tokens: [Token] = []
  private var depth = 0

  /// A lexer over the whole source, or over `range` of it.
  public init(_ source: SourceText, range: Range<Int>? = nil) {
    self.source = source
    self.bytes = source.bytes
    self.pos = range?.lowerBound ?? 0
    self.limit = range?.upperBound ?? source.bytes.count
  }

  /// All tokens, ending with `.eof`. A lexical error (an unterminated string, a bad number,
  /// a stray character) becomes an `.invalid` token and the rest of its line is skipped, so
  /// later statements still lex.
  public mutating func tokenize() -> [Token] {
    while true {
      skipSpaceAndComments()
      guard pos < limit else { break }
      let c = bytes[pos]
      if c == 10 {
        newline()
      } else if atStatementStart && c == UInt8(ascii: ".") && isLetter(peek(1)) {
        dotCommand()
      } else {
        do throws(Diagnostic) {
          try token(c)
        } catch {
          let start = pos
          while pos < limit && bytes[pos] != 10 { pos += 1 }
          tokens.append(Token(.invalid(error), SourceSpan(start, pos)))
          if depth == 0 { tokens.append(Token(.end, SourceSpan(pos, pos))) }
          depth = 0
        }
      }
    }
    if let last = tokens.last, last.kind != .end {
      tokens.append(Token(.end, SourceSpan(limit, limit)))
    }
    tokens.append(Token(.eof, SourceSpan(limit, limit)))
    return tokens
  }

  /// Whether text ends inside an open statement: an open parenthesis, or a trailing `|` or `,`.
  public static func needsContinuation(_ text: String) -> Bool {
    var lexer = Lexer(SourceText(name: "", text: text))
    let tokens = lexer.tokenize()
    if tokens.contains(where: { if case .invalid = $0.kind { true } else { false } }) {
      return false
    }
    if lexer.depth > 0 { return true }
    let significant = tokens.filter { $0.kind != .end && $0.kind != .eof }
    guard let last = significant.last else { return false }
    return last.kind == .pipe || last.kind == .comma
  }

  private var atStatementStart: Bool {
    tokens.isEmpty || tokens.last?.kind == .end
  }

  private func peek(_ k: Int) -> UInt8 { pos + k < limit ? bytes[pos + k] : 0 }

  private func isLetter(_ c: UInt8) -> Bool {
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
  }

  private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

  private mutating func skipSpaceAndComments() {
    while pos < limit {
      let c = bytes[pos]
      if c == 32 || c == 9 || c == 13 {
        pos += 1
      } else if c == UInt8(ascii: "#") {
        while pos < limit && bytes[pos] != 10 { pos += 1 }
      } else {
        break
      }
    }
  }

  private mutating func newline() {
    let at = pos
    pos += 1
    guard depth == 0, let last = tokens.last?.kind else { return }
    if last == .end || last == .pipe || last == .comma { return }
    var look = pos
    while look < limit {
      let c = bytes[look]
      if c == 32 || c == 9 || c == 13 || c == 10 {
        look += 1
      } else if c == UInt8(ascii: "#") {
        while look < limit && bytes[look] != 10 { look += 1 }
      } else {
        break
      }
    }
    if look < limit && bytes[look] == UInt8(ascii: "|") { return }
    tokens.append(Token(.end, SourceSpan(at, at + 1)))
  }

  private mutating func dotCommand() {
    let start = pos
    while pos < limit && bytes[pos] != 10 { pos += 1 }
    var end = pos
    while end > start && [32, 9, 13].contains(bytes[end - 1]) { end -= 1 }
    let text = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
    tokens.append(Token(.dotCommand(text), SourceSpan(start, end)))
    tokens.append(Token(.end, SourceSpan(end, end)))
  }

  private mutating func add(_ kind: TokenKind, _ length: Int) {
    tokens.append(Token(kind, SourceSpan(pos, pos + length)))
    pos += length
  }

  private mutating func token(_ c: UInt8) throws(Diagnostic) {
    switch c {
    case UInt8(ascii: "|"): add(.pipe, 1)
    case UInt8(ascii: ","): add(.comma, 1)
    case UInt8(ascii: ";"):
      if let last = tokens.last?.kind, last != .end {
        add(.end, 1)
      } else {
        pos += 1
      }
    case UInt8(ascii: "("):
      depth += 1
      add(.leftParen, 1)
    case UInt8(ascii: ")"):
      depth = max(0, depth - 1)
      add(.rightParen, 1)
    case UInt8(ascii: "="): peek(1) == 61 ? add(.equal, 2) : add(.assign, 1)
    case UInt8(ascii: "!"):
      guard peek(1) == 61 else { throw .strayCharacter("!", at: SourceSpan(pos, pos + 1)) }
      add(.notEqual, 2)
    case UInt8(ascii: "<"): peek(1) == 61 ? add(.lessEqual, 2) : add(.less, 1)
    case UInt8(ascii: ">"): peek(1) == 61 ? add(.greaterEqual, 2) : add(.greater, 1)
    case UInt8(ascii: "~"): add(.tilde, 1)
    case UInt8(ascii: "+"): add(.plus, 1)
    case UInt8(ascii: "-"): add(.minus, 1)
    case UInt8(ascii: "*"): add(.star, 1)
    case UInt8(ascii: "/"): add(.slash, 1)
    case UInt8(ascii: "%"): add(.percent, 1)
    case UInt8(ascii: "."):
      if peek(1) == UInt8(ascii: ".") {
        add(.range, 2)
      } else if isDigit(peek(1)) {
        try number()
      } else {
        throw .strayCharacter(".", at: SourceSpan(pos, pos + 1))
      }
    case UInt8(ascii: "\""), UInt8(ascii: "'"): try string(quote: c)
    case UInt8(ascii: "`"): try backtick()
    case UInt8(ascii: "@"): try date()
    case UInt8(ascii: "$"): try parameter()
    default:
      if isDigit(c) {
        try number()
      } else if isLetter(c) {
        identifier()
      } else {
        throw .strayCharacter(
          strayText(), at: SourceSpan(pos, pos + max(1, strayText().utf8.count)))
      }
    }
  }

  private func strayText() -> String {
    var e = pos + 1
    while e < limit && bytes[e] & 0xC0 == 0x80 { e += 1 }
    return String(decoding: bytes[pos..<e], as: UTF8.self)
  }

  private mutating func identifier() {
    let start = pos
    while pos < limit && (isLetter(bytes[pos]) || isDigit(bytes[pos])) { pos += 1 }
    let text = String(decoding: bytes[start..<pos], as: UTF8.self)
    tokens.append(Token(.identifier(text), SourceSpan(start, pos)))
  }

  private mutating func backtick() throws(Diagnostic) {
    let start = pos
    pos += 1
    while pos < limit && bytes[pos] != UInt8(ascii: "`") && bytes[pos] != 10 { pos += 1 }
    guard pos < limit && bytes[pos] == UInt8(ascii: "`") else {
      throw .unterminated("backtick name", at: SourceSpan(start, pos))
    }
    let text = String(decoding: bytes[(start + 1)..<pos], as: UTF8.self)
    pos += 1
    tokens.append(Token(.quotedIdentifier(text), SourceSpan(start, pos)))
  }

  private mutating func parameter() throws(Diagnostic) {
    let start = pos
    pos += 1
    guard pos < limit && isLetter(bytes[pos]) else {
      throw .strayCharacter("$", at: SourceSpan(start, start + 1))
    }
    while pos < limit && (isLetter(bytes[pos]) || isDigit(bytes[pos])) { pos += 1 }
    let name = String(decoding: bytes[(start + 1)..<pos], as: UTF8.self)
    tokens.append(Token(.parameter(name), SourceSpan(start, pos)))
  }

  private mutating func date() throws(Diagnostic) {
    let start = pos
    pos += 1
    while pos < limit && (isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
    guard let days = CivilDate.parse(Array(bytes[(start + 1)..<pos])) else {
      throw .badDate(at: SourceSpan(start, pos))
    }
    tokens.append(Token(.date(days), SourceSpan(start, pos)))
  }
}
