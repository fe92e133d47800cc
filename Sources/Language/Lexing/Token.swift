/// The kinds of token.
public enum TokenKind: Sendable, Equatable {
  /// A name: a column, table, stage, function or keyword (keywords are reserved only where
  /// they are used).
  case identifier(String)
  /// A name written in backticks; never a keyword.
  case quotedIdentifier(String)
  case int(Int)
  case float(Double)
  case string(String)
  /// A date literal `@YYYY-MM-DD`, as days since the epoch.
  case date(Int)
  /// A script parameter `$name`.
  case parameter(String)
  /// A whole dot-command line, without the leading dot.
  case dotCommand(String)
  case pipe
  case comma
  case leftParen
  case rightParen
  case assign
  case equal
  case notEqual
  case less
  case lessEqual
  case greater
  case greaterEqual
  case tilde
  case plus
  case minus
  case star
  case slash
  case percent
  case range
  /// A lexical error; the rest of its line was skipped.
  case invalid(Diagnostic)
  /// The end of a statement: a newline that ends one, or `;`.
  case end
  case eof

  /// How the token is written, for messages.
  public var display: String {
    switch self {
    case .identifier(let s): s
    case .quotedIdentifier(let s): "`\(s)`"
    case .int(let v): String(v)
    case .float(let v): String(v)
    case .string(let s): "\"\(s)\""
    case .date: "a date"
    case .parameter(let s): "$\(s)"
    case .dotCommand(let s): ".\(s)"
    case .pipe: "|"
    case .comma: ","
    case .leftParen: "("
    case .rightParen: ")"
    case .assign: "="
    case .equal: "=="
    case .notEqual: "!="
    case .less: "<"
    case .lessEqual: "<="
    case .greater: ">"
    case .greaterEqual: ">="
    case .tilde: "~"
    case .plus: "+"
    case .minus: "-"
    case .star: "*"
    case .slash: "/"
    case .percent: "%"
    case .range: ".."
    case .invalid: "an invalid token"
    case .end: "the end of the statement"
    case .eof: "the end of the input"
    }
  }
}

/// A token and where it stands.
public struct Token: Sendable, Equatable {
  /// What it is.
  public var kind: TokenKind
  /// Where it is.
  public var span: SourceSpan

  /// Makes a token.
  public init(_ kind: TokenKind, _ span: SourceSpan) {
    self.kind = kind
    self.span = span
  }

  /// The identifier text when this is a bare identifier.
  public var word: String? {
    if case .identifier(let s) = kind { return s }
    return nil
  }
}
