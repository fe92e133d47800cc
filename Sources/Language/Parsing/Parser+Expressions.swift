import Columnar

/// Binding powers of the binary operators, loosest first (one table, as clox's `rules[]`).
enum Precedence {
  static let or = 1
  static let and = 2
  static let not = 3
  static let comparison = 4
  static let additive = 5
  static let multiplicative = 6
  static let unary = 7

  static func of(_ op: BinaryOperator) -> Int {
    switch op {
    case .or: or
    case .and: and
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .contains, .like, .ilike:
      comparison
    case .add, .subtract: additive
    case .multiply, .divide, .modulo: multiplicative
    }
  }
}

extension Parser {
  /// The deepest expression tree accepted.
  static let maxExpressionHeight = 200

  /// An expression.
  mutating func parseExpr() throws(Diagnostic) -> Expr {
    try parseExpr(minimum: Precedence.or)
  }

  private mutating func binaryOperator() -> BinaryOperator? {
    switch current.kind {
    case .equal: .equal
    case .notEqual: .notEqual
    case .less: .less
    case .lessEqual: .lessEqual
    case .greater: .greater
    case .greaterEqual: .greaterEqual
    case .tilde: .contains
    case .plus: .add
    case .minus: .subtract
    case .star: .multiply
    case .slash: .divide
    case .percent: .modulo
    case .identifier("and"): .and
    case .identifier("or"): .or
    case .identifier("like"): .like
    case .identifier("ilike"): .ilike
    default: nil
    }
  }

  private mutating func parseExpr(minimum: Int) throws(Diagnostic) -> Expr {
    try enter()
    defer { leave() }
    var lhs = try parsePrefix()
    while true {
      if Precedence.comparison >= minimum, let membership = try parseMembership(lhs) {
        lhs = membership
        continue
      }
      guard let op = binaryOperator() else { return lhs }
      let prec = Precedence.of(op)
      guard prec >= minimum else { return lhs }
      advance()
      let rhs = try parseExpr(minimum: prec + 1)
      lhs = Expr(.binary(op, lhs, rhs), lhs.span.merged(rhs.span))
      if lhs.height > Parser.maxExpressionHeight { throw .tooDeep(at: lhs.span) }
    }
  }

  /// `x in (a, b)`, `x in lo..hi`, and their `not in` forms; `x not like p` (and `ilike`).
  private mutating func parseMembership(_ lhs: Expr) throws(Diagnostic) -> Expr? {
    var negated = false
    if at("not"), let w = peek(1).word, w == "like" || w == "ilike" {
      advance()
      advance()
      let rhs = try parseExpr(minimum: Precedence.comparison + 1)
      let span = lhs.span.merged(rhs.span)
      return Expr(.unary(.not, Expr(.binary(w == "like" ? .like : .ilike, lhs, rhs), span)), span)
    }
    if at("not") && peek(1).word == "in" {
      advance()
      negated = true
    } else if !at("in") {
      return nil
    }
    advance()
    if current.kind == .leftParen {
      advance()
      var items: [Expr] = []
      if current.kind != .rightParen { items = try parseExprList() }
      let close = try expect(.rightParen, ") to close the list")
      return Expr(.inList(lhs, items, negated: negated), lhs.span.merged(close.span))
    }
    let lo = try parseExpr(minimum: Precedence.additive)
    guard accept(.range) else {
      throw .expected("( list ) or lo..hi after in", found: current)
    }
    let hi = try parseExpr(minimum: Precedence.additive)
    return Expr(.inRange(lhs, lo, hi, negated: negated), lhs.span.merged(hi.span))
  }

  private mutating func parsePrefix() throws(Diagnostic) -> Expr {
    if at("not") {
      let t = advance()
      let operand = try parseExpr(minimum: Precedence.not)
      return Expr(.unary(.not, operand), t.span.merged(operand.span))
    }
    return try parseUnary()
  }

  /// A unary minus or a primary.
  mutating func parseUnary() throws(Diagnostic) -> Expr {
    if current.kind == .minus {
      try enter()
      defer { leave() }
      let t = advance()
      let operand = try parseUnary()
      switch operand.kind {
      case .literal(.int(let v)) where t.span.end == operand.span.start:
        return Expr(.literal(.int(-v)), t.span.merged(operand.span))
      case .literal(.float(let v)) where t.span.end == operand.span.start:
        return Expr(.literal(.float(-v)), t.span.merged(operand.span))
      default:
        return Expr(.unary(.negate, operand), t.span.merged(operand.span))
      }
    }
    return try parsePrimary()
  }

  private mutating func parsePrimary() throws(Diagnostic) -> Expr {
    let t = current
    switch t.kind {
    case .int(let v):
      advance()
      return Expr(.literal(.int(v)), t.span)
    case .float(let v):
      advance()
      return Expr(.literal(.float(v)), t.span)
    case .string(let s):
      advance()
      return Expr(.literal(.text(s)), t.span)
    case .date(let d):
      advance()
      return Expr(.literal(.date(d)), t.span)
    case .parameter(let p):
      advance()
      return Expr(.parameter(p), t.span)
    case .quotedIdentifier(let s):
      advance()
      return Expr(.column(s), t.span)
    case .leftParen:
      advance()
      let inner = try parseExpr()
      let close = try expect(.rightParen, ") to close the parenthesis")
      return Expr(inner.kind, t.span.merged(close.span))
    case .identifier(let word):
      return try parseWord(word, t)
    default:
      throw .expected("an expression", found: t)
    }
  }

  private mutating func parseWord(_ word: String, _ t: Token) throws(Diagnostic) -> Expr {
    if word == "case", caseFollows() { return try parseCase(t) }
    advance()
    switch word {
    case "true": return Expr(.literal(.bool(true)), t.span)
    case "false": return Expr(.literal(.bool(false)), t.span)
    case "null": return Expr(.literal(.null), t.span)
    default: break
    }
    guard current.kind == .leftParen, current.span.start == t.span.end else {
      return Expr(.column(word), t.span)
    }
    advance()
    var args: [Expr] = []
    if current.kind != .rightParen { args = try parseExprList() }
    let close = try expect(.rightParen, ") to close the call")
    return Expr(.call(word, args), t.span.merged(close.span))
  }

  /// Whether the `case` at the current token opens a case expression (rather than naming a
  /// column): a `when` comes next, or later in the same stage.
  private func caseFollows() -> Bool {
    var k = 1
    while true {
      let t = peek(k)
      if t.word == "when" { return true }
      switch t.kind {
      case .pipe, .end, .eof: return false
      default: k += 1
      }
      if k > 10_000 { return false }
    }
  }

  /// `case when c then v … [else e] end`, and `case x when a then v … end` (x == a); the
  /// first true condition wins, no else gives null. Written as nested `if` calls, which have
  /// exactly these rules (a null condition is not true); the call is named `case` so that an
  /// error says case.
  private mutating func parseCase(_ start: Token) throws(Diagnostic) -> Expr {
    advance()
    let subject: Expr? = at("when") ? nil : try parseExpr()
    var branches: [(Expr, Expr)] = []
    while at("when") {
      advance()
      var condition = try parseExpr()
      if let subject {
        condition = Expr(.binary(.equal, subject, condition), subject.span.merged(condition.span))
      }
      guard at("then") else { throw .expected("then after the condition of when", found: current) }
      advance()
      branches.append((condition, try parseExpr()))
    }
    guard !branches.isEmpty else { throw .expected("when after case", found: current) }
    var otherwise = Expr(.literal(.null), start.span)
    if at("else") {
      advance()
      otherwise = try parseExpr()
    }
    guard at("end") else { throw .expected("end to close case", found: current) }
    let end = advance()
    let span = start.span.merged(end.span)
    for (condition, value) in branches.reversed() {
      otherwise = Expr(.call("case", [condition, value, otherwise]), span)
      if otherwise.height > Parser.maxExpressionHeight { throw .tooDeep(at: span) }
    }
    return otherwise
  }
}
