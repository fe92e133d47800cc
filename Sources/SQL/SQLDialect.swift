import Columnar

/// The SQL dialects pantau compiles to. Each differs in quoting, type names, functions and
/// what it can say at all; the compiler asks the dialect rather than testing names.
public enum SQLDialect: String, CaseIterable, Sendable {
  case duckdb, postgres, sqlite, spark

  /// The dialect a name means (`postgresql` and `pg` are postgres, `sparksql` spark).
  public init?(name: String) {
    switch name.lowercased() {
    case "duckdb": self = .duckdb
    case "postgres", "postgresql", "pg": self = .postgres
    case "sqlite", "sqlite3": self = .sqlite
    case "spark", "sparksql", "spark_sql": self = .spark
    default: return nil
    }
  }

  /// The name users see.
  public var displayName: String {
    switch self {
    case .duckdb: "DuckDB"
    case .postgres: "PostgreSQL"
    case .sqlite: "SQLite"
    case .spark: "Spark SQL"
    }
  }

  /// An identifier as SQL text: bare when it is a plain lower-case name that no dialect
  /// reserves, quoted otherwise (PostgreSQL folds bare names to lower case).
  func quote(_ name: String) -> String {
    if SQLDialect.isBare(name) { return name }
    switch self {
    case .spark: return "`" + name.replacing("`", with: "``") + "`"
    default: return "\"" + name.replacing("\"", with: "\"\"") + "\""
    }
  }

  static func isBare(_ name: String) -> Bool {
    guard let first = name.utf8.first, first == UInt8(ascii: "_") || (97...122).contains(first)
    else { return false }
    let plain = name.utf8.allSatisfy {
      $0 == UInt8(ascii: "_") || (97...122).contains($0) || (48...57).contains($0)
    }
    return plain && !reserved.contains(name)
  }

  /// Words that some dialect reserves (or reads as a function without parentheses).
  static let reserved: Set<String> = [
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "between",
    "both", "by", "case", "cast", "check", "collate", "column", "constraint", "create", "cross",
    "current_date", "current_role", "current_time", "current_timestamp", "current_user", "date",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "false", "fetch", "filter", "for", "foreign", "from", "full", "grant", "group", "having",
    "in", "initially", "inner", "intersect", "interval", "into", "is", "join", "lateral",
    "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "null",
    "offset", "on", "only", "or", "order", "outer", "over", "partition", "pivot", "placing",
    "primary", "qualify", "range", "references", "returning", "right", "rows", "select",
    "session_user", "some", "symmetric", "table", "then", "time", "timestamp", "to",
    "trailing", "true", "union", "unique", "unpivot", "user", "using", "values", "variadic",
    "when", "where", "window", "with",
  ]

  /// The SQL type of a pantau type.
  public func typeName(_ t: DataType) -> String {
    switch (self, t) {
    case (.duckdb, .int), (.spark, .int): "BIGINT"
    case (.duckdb, .float), (.spark, .float): "DOUBLE"
    case (.duckdb, .text): "VARCHAR"
    case (.spark, .text): "STRING"
    case (.duckdb, .bool), (.spark, .bool): "BOOLEAN"
    case (.duckdb, .date), (.spark, .date): "DATE"
    case (.postgres, .int): "bigint"
    case (.postgres, .float): "double precision"
    case (.postgres, .text): "text"
    case (.postgres, .bool): "boolean"
    case (.postgres, .date): "date"
    case (.sqlite, .int), (.sqlite, .bool): "INTEGER"
    case (.sqlite, .float): "REAL"
    case (.sqlite, .text), (.sqlite, .date): "TEXT"
    }
  }

  /// What a table's rows are numbered by to keep pantau's row order: the engine's own row
  /// identity where it has one, in the order the rows were stored.
  func storageOrder() -> String {
    switch self {
    case .duckdb, .sqlite: "ORDER BY rowid"
    case .postgres: "ORDER BY ctid"
    case .spark: "ORDER BY monotonically_increasing_id()"
    }
  }

  /// A text literal.
  func text(_ s: String) -> String {
    var body = s.replacing("'", with: "''")
    // Spark reads backslash escapes inside string literals.
    if self == .spark { body = body.replacing("\\", with: "\\\\") }
    return "'" + body + "'"
  }

  /// A date literal (days since 1970-01-01).
  func date(_ days: Int) -> String {
    let text = CivilDate.format(days)
    return self == .sqlite ? "'\(text)'" : "DATE '\(text)'"
  }

  /// A text expression compared by code points: PostgreSQL's default collation follows the
  /// locale, so its ordering comparisons name the "C" collation.
  func byCodePoint(_ sql: String) -> String {
    self == .postgres ? "\(sql) COLLATE \"C\"" : sql
  }
}
