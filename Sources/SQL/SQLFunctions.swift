import Columnar
import Language

extension SQLBuilder {
  func function(
    _ f: ScalarFunction, _ args: [BoundExpr], _ e: BoundExpr, _ columns: [String]
  ) throws(Diagnostic) -> SQLText {
    var a: [SQLText] = []
    for x in args { a.append(try sql(x, columns)) }
    let t = a.map(\.text)
    func call(_ name: String) -> SQLText { .atom("\(name)(\(t.joined(separator: ", ")))") }
    switch f {
    case .abs: return call("abs")
    case .round: return round(a, args, e)
    case .floor, .ceil:
      if args[0].type == .int { return a[0] }
      let name = f == .floor ? "floor" : "ceil"
      return dialect == .spark ? .atom("CAST(\(name)(\(t[0])) AS DOUBLE)") : call(name)
    case .sqrt: return .atom("CASE WHEN \(wrap(a[0], above: 5)) >= 0 THEN sqrt(\(t[0])) END")
    case .ln: return .atom("CASE WHEN \(wrap(a[0], above: 5)) > 0 THEN ln(\(t[0])) END")
    case .exp:
      return .atom("CASE WHEN \(wrap(a[0], above: 5)) <= 709.78 THEN exp(\(t[0])) END")
    case .pow: return call("power")
    case .lower, .upper:
      if dialect == .sqlite {
        caveat("SQLite's \(f.rawValue)() changes only ASCII letters", at: e.span)
      }
      return call(f.rawValue)
    case .trim: return call("trim")
    case .length: return dialect == .sqlite ? call("length") : call("char_length")
    case .startsWith:
      switch dialect {
      case .duckdb, .postgres: return call("starts_with")
      case .sqlite, .spark:
        return SQLText(text: "substr(\(t[0]), 1, length(\(t[1]))) = \(t[1])", level: 4)
      }
    case .endsWith:
      switch dialect {
      case .duckdb: return call("ends_with")
      case .postgres, .spark:
        return SQLText(text: "right(\(t[0]), length(\(t[1]))) = \(t[1])", level: 4)
      case .sqlite:
        return .atom("(length(\(t[1])) = 0 OR substr(\(t[0]), -length(\(t[1]))) = \(t[1]))")
      }
    case .contains: return containsCall(a[0], a[1], caseless: false, e)
    case .replace: return call("replace")
    case .substr:
      if dialect == .sqlite || dialect == .spark {
        caveat(
          "\(dialect.displayName)'s substr counts a start below 1 from the end of the text",
          at: e.span)
      }
      return call("substr")
    case .coalesce: return call("coalesce")
    case .if:
      return .atom("CASE WHEN \(t[0]) THEN \(t[1]) ELSE \(t[2]) END")
    case .year, .month, .day: return datePart(f, t[0])
    case .int: return try toInt(a[0], args[0], e)
    case .float: return try toFloat(a[0], args[0], e)
    case .text: return textOf(a[0], args[0].type, at: e.span)
    case .date: return toDate(t[0], e)
    case .splitPart:
      guard dialect != .sqlite else {
        throw unsupported("split_part", at: e.span, hint: "SQLite has no split_part")
      }
      caveat("\(dialect.displayName)'s split_part may refuse a piece number of 0", at: e.span)
      return call("split_part")
    case .regexpMatches, .regexpReplace, .regexpExtract:
      return try regexp(f, t, args, e)
    }
  }

  /// `round` halves away from zero on the number's decimal form, keeping the type.
  private func round(_ a: [SQLText], _ args: [BoundExpr], _ e: BoundExpr) -> SQLText {
    let x = a[0].text
    let digits = a.count > 1 ? a[1].text : "0"
    let type = dialect.typeName(e.type)
    if args[0].type == .int && a.count == 1 { return a[0] }
    switch dialect {
    case .postgres:
      return .atom("CAST(round(CAST(\(x) AS numeric), \(digits)) AS \(type))")
    case .sqlite:
      if case .int(let d)? = args.dropFirst().first?.constant, d < 0 {
        caveat("SQLite rounds to whole numbers for negative digits", at: e.span)
      }
      return .atom("CAST(round(\(x), \(digits)) AS \(type))")
    case .duckdb, .spark:
      return args[0].type == .int
        ? .atom("CAST(round(\(x), \(digits)) AS \(type))") : .atom("round(\(x), \(digits))")
    }
  }

  private func datePart(_ f: ScalarFunction, _ d: String) -> SQLText {
    switch dialect {
    case .duckdb, .spark: return .atom("\(f.rawValue)(\(d))")
    case .postgres: return .atom("CAST(EXTRACT(\(f.rawValue.uppercased()) FROM \(d)) AS bigint)")
    case .sqlite:
      let code = f == .year ? "%Y" : f == .month ? "%m" : "%d"
      return .atom("CAST(strftime('\(code)', \(d)) AS INTEGER)")
    }
  }

  /// Whether a text is a whole number, in the dialect's terms.
  private func isWhole(_ s: String) -> String {
    switch dialect {
    case .postgres: "\(s) ~ '^\\s*[-+]?[0-9]+\\s*$'"
    case .sqlite:
      "trim(\(s)) <> '' AND ltrim(trim(\(s)), '+-') <> '' "
        + "AND ltrim(trim(\(s)), '+-') NOT GLOB '*[^0-9]*' AND length(trim(\(s))) - "
        + "length(ltrim(trim(\(s)), '+-')) <= 1"
    default: ""
    }
  }

  private func toInt(_ s: SQLText, _ x: BoundExpr, _ e: BoundExpr) throws(Diagnostic) -> SQLText {
    let type = dialect.typeName(.int)
    switch (x.type, dialect) {
    case (.int, _): return s
    case (.float, .duckdb), (.float, .postgres):
      return .atom("CAST(trunc(\(s.text)) AS \(type))")
    case (.text, .duckdb), (.text, .spark): return .atom("TRY_CAST(\(s.text) AS \(type))")
    case (.text, .postgres), (.text, .sqlite):
      return .atom("CASE WHEN \(isWhole(s.text)) THEN CAST(\(s.text) AS \(type)) END")
    case (.bool, .sqlite): return s
    default: return .atom("CAST(\(s.text) AS \(type))")
    }
  }

  private func toFloat(_ s: SQLText, _ x: BoundExpr, _ e: BoundExpr) throws(Diagnostic)
    -> SQLText
  {
    let type = dialect.typeName(.float)
    switch (x.type, dialect) {
    case (.float, _): return s
    case (.text, .duckdb), (.text, .spark): return .atom("TRY_CAST(\(s.text) AS \(type))")
    case (.text, .postgres):
      let number = "'^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$'"
      return .atom("CASE WHEN \(s.text) ~ \(number) THEN CAST(\(s.text) AS \(type)) END")
    case (.text, .sqlite):
      caveat("SQLite reads the leading number of a text (\"12abc\" is 12)", at: e.span)
      return .atom("CAST(\(s.text) AS REAL)")
    default: return .atom("CAST(\(s.text) AS \(type))")
    }
  }

  private func toDate(_ s: String, _ e: BoundExpr) -> SQLText {
    switch dialect {
    case .duckdb: return .atom("TRY_CAST(\(s) AS DATE)")
    case .postgres:
      caveat(
        "PostgreSQL stops at a well-formed date that does not exist (2023-02-29) where pantau "
          + "gives null", at: e.span)
      return .atom("CASE WHEN \(s) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN CAST(\(s) AS date) END")
    case .sqlite: return .atom("CASE WHEN date(\(s)) = \(s) THEN \(s) END")
    case .spark: return .atom("CAST(try_to_timestamp(\(s), 'yyyy-MM-dd') AS DATE)")
    }
  }

  private func regexp(
    _ f: ScalarFunction, _ t: [String], _ args: [BoundExpr], _ e: BoundExpr
  ) throws(Diagnostic) -> SQLText {
    guard dialect != .sqlite else {
      throw unsupported(
        f.rawValue, at: e.span, hint: "SQLite has no regular expressions without an extension")
    }
    var options = ""
    if f != .regexpExtract, args.count > (f == .regexpReplace ? 3 : 2) {
      guard case .text(let o)? = args.last?.constant else {
        throw unsupported(
          "\(f.rawValue) with options that are not a constant", at: e.span,
          hint: "write the options as a text constant")
      }
      options = o
    }
    caveat(
      "\(dialect.displayName)'s regular expressions differ from pantau's in details "
        + "(classes, escapes)", at: args[1].span)
    switch (f, dialect) {
    case (.regexpMatches, .duckdb), (.regexpReplace, .duckdb), (.regexpExtract, .duckdb):
      return .atom("\(f.rawValue)(\(t.joined(separator: ", ")))")
    case (.regexpMatches, .postgres):
      return SQLText(text: "\(t[0]) \(options.contains("i") ? "~*" : "~") \(t[1])", level: 4)
    case (.regexpMatches, _):
      let p = options.contains("i") ? "'(?i)' || \(t[1])" : t[1]
      return SQLText(text: "\(t[0]) RLIKE \(p)", level: 4)
    case (.regexpReplace, .postgres):
      return .atom("regexp_replace(\(t[0]), \(t[1]), \(t[2]), \(dialect.text(options)))")
    case (.regexpReplace, _):
      guard options.contains("g") else {
        throw unsupported(
          "regexp_replace of the first match only", at: e.span,
          hint: "Spark replaces every match; add the option 'g' if that is meant")
      }
      let p = options.contains("i") ? "'(?i)' || \(t[1])" : t[1]
      caveat("Spark writes groups in the replacement as $1, not \\1", at: args[2].span)
      return .atom("regexp_replace(\(t[0]), \(p), \(t[2]))")
    case (.regexpExtract, .postgres):
      let group = args.count > 2 ? "\(t[2]) + 1" : "1"
      return .atom(
        "CASE WHEN \(t[0]) IS NOT NULL THEN coalesce((regexp_match(\(t[0]), '(' || \(t[1]) "
          + "|| ')'))[\(group)], '') END")
    default:
      return .atom("regexp_extract(\(t[0]), \(t[1]), \(args.count > 2 ? t[2] : "0"))")
    }
  }
}
