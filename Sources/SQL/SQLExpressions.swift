import Columnar
import Language

/// SQL text of an expression with its binding strength, so that operands get parentheses
/// only where the reader needs them.
struct SQLText {
  var text: String
  /// 1 `OR`, 2 `AND`, 3 `NOT`, 4 comparisons, 5 `+ - ||`, 6 `* / %`, 7 unary minus, 8 atoms.
  var level: Int

  static func atom(_ text: String) -> SQLText { SQLText(text: text, level: 8) }
}

extension SQLBuilder {
  /// The SQL of a bound expression whose column `i` is written `columns[i]`.
  func expression(_ e: BoundExpr, _ columns: [String]) throws(Diagnostic) -> String {
    try sql(e, columns).text
  }

  func sql(_ e: BoundExpr, _ columns: [String]) throws(Diagnostic) -> SQLText {
    switch e.kind {
    case .column(let i):
      return .atom(columns[i])
    case .literal(let v):
      return literal(v, type: e.type)
    case .unary(.not, let x):
      return SQLText(text: "NOT " + wrap(try sql(x, columns), above: 3), level: 3)
    case .unary(.negate, let x):
      return SQLText(text: "-" + wrap(try sql(x, columns), above: 7), level: 7)
    case .binary(let op, let a, let b):
      return try binary(op, a, b, e, columns)
    case .function(let f, let args):
      return try function(f, args, e, columns)
    case .cast(let x):
      return try cast(x, to: e.type, columns)
    case .isNull(let x, let negated):
      let inner = wrap(try sql(x, columns), above: 4)
      return SQLText(text: inner + (negated ? " IS NOT NULL" : " IS NULL"), level: 4)
    case .inList(let x, let items, let negated):
      let lhs = wrap(try sql(x, columns), above: 4)
      var parts: [String] = []
      for item in items { parts.append(try sql(item, columns).text) }
      let list = "(" + parts.joined(separator: ", ") + ")"
      return SQLText(text: lhs + (negated ? " NOT IN " : " IN ") + list, level: 4)
    case .inRange(let x, let lo, let hi, let negated):
      var lhs = wrap(try sql(x, columns), above: 4)
      if x.type == .text { lhs = dialect.byCodePoint(lhs) }
      let range =
        wrap(try sql(lo, columns), above: 5) + " AND " + wrap(try sql(hi, columns), above: 5)
      return SQLText(text: lhs + (negated ? " NOT BETWEEN " : " BETWEEN ") + range, level: 4)
    }
  }

  /// The text in parentheses when it binds more loosely than `level` needs.
  func wrap(_ s: SQLText, above level: Int) -> String {
    s.level < level ? "(" + s.text + ")" : s.text
  }

  func literal(_ v: Value, type: DataType) -> SQLText {
    switch v {
    case .null: return .atom("CAST(NULL AS \(dialect.typeName(type)))")
    case .int(let i):
      if type == .float { return SQLText(text: CellText.format(Double(i)), level: i < 0 ? 7 : 8) }
      return SQLText(text: String(i), level: i < 0 ? 7 : 8)
    case .float(let d):
      let text = CellText.format(d)
      return SQLText(text: text, level: d < 0 ? 7 : 8)
    case .text(let s): return .atom(dialect.text(s))
    case .bool(let b): return .atom(b ? "TRUE" : "FALSE")
    case .date(let d): return .atom(dialect.date(d))
    }
  }

  private func binary(
    _ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr, _ e: BoundExpr, _ columns: [String]
  ) throws(Diagnostic) -> SQLText {
    let l = try sql(a, columns)
    let r = try sql(b, columns)
    func infix(_ symbol: String, _ level: Int, associative: Bool = false) -> SQLText {
      let left = wrap(l, above: level == 4 ? 5 : level)
      let right = wrap(r, above: associative ? level : level + 1)
      return SQLText(text: "\(left) \(symbol) \(right)", level: level)
    }
    switch op {
    case .or: return infix("OR", 1, associative: true)
    case .and: return infix("AND", 2, associative: true)
    case .equal: return infix("=", 4)
    case .notEqual: return infix("<>", 4)
    case .less, .lessEqual, .greater, .greaterEqual:
      if a.type == .text {
        let left = dialect.byCodePoint(wrap(l, above: 5))
        return SQLText(text: "\(left) \(op.rawValue) \(wrap(r, above: 5))", level: 4)
      }
      return infix(op.rawValue, 4)
    case .contains:
      return containsCall(.atom("lower(\(l.text))"), .atom("lower(\(r.text))"), caseless: true, e)
    case .like, .ilike:
      return try like(l, r, b, caseless: op == .ilike, e)
    case .add where a.type == .text:
      return infix("||", 5, associative: true)
    case .add where a.type == .date, .subtract where a.type == .date && b.type == .int:
      return dateShift(l, r, subtract: op == .subtract)
    case .subtract where a.type == .date:
      return daysBetween(l, r)
    case .add: return arithmetic(infix("+", 5, associative: true), e)
    case .subtract: return arithmetic(infix("-", 5), e)
    case .multiply: return arithmetic(infix("*", 6, associative: true), e)
    case .divide:
      return SQLText(text: "\(wrap(l, above: 6)) / NULLIF(\(r.text), 0)", level: 6)
    case .modulo:
      if e.type == .float {
        switch dialect {
        case .duckdb: return .atom("fmod(\(l.text), NULLIF(\(r.text), 0))")
        case .postgres:
          let d = "NULLIF(\(r.text), 0)"
          return SQLText(
            text: "\(wrap(l, above: 5)) - \(d) * trunc(\(l.text) / \(d))", level: 5)
        case .sqlite: return .atom("mod(\(l.text), NULLIF(\(r.text), 0))")
        case .spark: break
        }
      }
      return SQLText(text: "\(wrap(l, above: 6)) % NULLIF(\(r.text), 0)", level: 6)
    }
  }

  /// Integer `+ - *`: pantau stops at an overflow; say where a dialect does not.
  private func arithmetic(_ s: SQLText, _ e: BoundExpr) -> SQLText {
    if e.type == .int {
      switch dialect {
      case .sqlite:
        caveat(
          "SQLite turns an integer overflow into a float where pantau stops with an error",
          at: e.span)
      case .spark:
        caveat(
          "Spark stops at an integer overflow only with spark.sql.ansi.enabled (the default "
            + "from Spark 4); before, it wraps around", at: e.span)
      default: break
      }
    }
    return s
  }

  func containsCall(_ s: SQLText, _ part: SQLText, caseless: Bool, _ e: BoundExpr) -> SQLText {
    if caseless && dialect == .sqlite {
      caveat(
        "SQLite's lower() changes only ASCII letters; pantau's ~ ignores case in any script",
        at: e.span)
    }
    switch dialect {
    case .duckdb: return .atom("contains(\(s.text), \(part.text))")
    case .postgres: return SQLText(text: "strpos(\(s.text), \(part.text)) > 0", level: 4)
    case .sqlite, .spark: return SQLText(text: "instr(\(s.text), \(part.text)) > 0", level: 4)
    }
  }

  private func like(
    _ l: SQLText, _ r: SQLText, _ pattern: BoundExpr, caseless: Bool, _ e: BoundExpr
  ) throws(Diagnostic) -> SQLText {
    let lhs = wrap(l, above: 5)
    let rhs = wrap(r, above: 5)
    switch dialect {
    case .duckdb:
      return SQLText(text: "\(lhs) \(caseless ? "ILIKE" : "LIKE") \(rhs)", level: 4)
    case .postgres:
      // pantau's patterns have no escape character; PostgreSQL's default is a backslash.
      return SQLText(text: "\(lhs) \(caseless ? "ILIKE" : "LIKE") \(rhs) ESCAPE ''", level: 4)
    case .spark:
      if case .text(let p)? = pattern.constant, p.contains("\\") {
        caveat("Spark reads a backslash in a LIKE pattern as an escape", at: pattern.span)
      }
      return SQLText(text: "\(lhs) \(caseless ? "ILIKE" : "LIKE") \(rhs)", level: 4)
    case .sqlite:
      if caseless {
        caveat("SQLite's LIKE ignores case only for ASCII letters", at: e.span)
        return SQLText(text: "\(lhs) LIKE \(rhs)", level: 4)
      }
      // SQLite's LIKE ignores ASCII case; GLOB does not, so a constant pattern becomes one.
      guard case .text(let p)? = pattern.constant else {
        throw unsupported(
          "a case-sensitive like with a pattern that is not a constant", at: e.span,
          hint: "SQLite's LIKE ignores case; write the pattern as a text constant")
      }
      var glob = ""
      for ch in p {
        switch ch {
        case "%": glob += "*"
        case "_": glob += "?"
        case "*", "?", "[": glob += "[\(ch)]"
        default: glob.append(ch)
        }
      }
      return SQLText(text: "\(lhs) GLOB \(dialect.text(glob))", level: 4)
    }
  }

  private func dateShift(_ d: SQLText, _ n: SQLText, subtract: Bool) -> SQLText {
    switch dialect {
    case .duckdb, .postgres:
      // Both add days to a date as a 32-bit integer.
      let type = dialect == .duckdb ? "INTEGER" : "integer"
      return SQLText(
        text: "\(wrap(d, above: 5)) \(subtract ? "-" : "+") CAST(\(n.text) AS \(type))", level: 5)
    case .sqlite:
      // `||` binds tighter than any arithmetic in SQLite.
      let days = subtract ? "(-\(wrap(n, above: 8)))" : wrap(n, above: 8)
      return .atom("date(\(d.text), \(days) || ' days')")
    case .spark:
      // date_add takes the days as an INT (a BIGINT is refused, found on Spark 4.3).
      return .atom("\(subtract ? "date_sub" : "date_add")(\(d.text), CAST(\(n.text) AS INT))")
    }
  }

  private func daysBetween(_ a: SQLText, _ b: SQLText) -> SQLText {
    switch dialect {
    case .duckdb:
      return .atom("CAST(\(wrap(a, above: 5)) - \(wrap(b, above: 6)) AS BIGINT)")
    case .postgres:
      return .atom("CAST(\(wrap(a, above: 5)) - \(wrap(b, above: 6)) AS bigint)")
    case .sqlite:
      return .atom("CAST(julianday(\(a.text)) - julianday(\(b.text)) AS INTEGER)")
    case .spark:
      return .atom("CAST(datediff(\(a.text), \(b.text)) AS BIGINT)")
    }
  }

  /// A conversion the checker made explicit (int to float, a null to a type, …).
  func cast(_ x: BoundExpr, to type: DataType, _ columns: [String]) throws(Diagnostic)
    -> SQLText
  {
    if case .literal(let v) = x.kind { return literal(v, type: type) }
    let inner = try sql(x, columns)
    if type == .text { return textOf(inner, x.type, at: x.span) }
    return .atom("CAST(\(inner.text) AS \(dialect.typeName(type)))")
  }

  /// A value's text, as pantau would print it where the dialect agrees.
  func textOf(_ s: SQLText, _ from: DataType, at span: SourceSpan?) -> SQLText {
    switch from {
    case .text: return s
    case .float:
      caveat(
        "\(dialect.displayName) may write a float's text differently (pantau writes 3.0, "
          + "1e+16)", at: span)
    case .bool where dialect == .sqlite:
      return .atom("CASE WHEN \(s.text) THEN 'true' WHEN NOT \(s.text) THEN 'false' END")
    default: break
    }
    return .atom("CAST(\(s.text) AS \(dialect.typeName(.text)))")
  }
}
