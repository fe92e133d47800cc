import Columnar

#if canImport(Glibc)
  import Glibc
#endif

/// The files a pattern such as `data/2024-*.csv` matches, read as one table: the rows of
/// each in turn. Every file must have the same columns (in any order; the first file's
/// order is kept). A column that is int in one file and float in another is float; one
/// that is entirely empty in a file takes the others' type; any other disagreement makes
/// the column text.
struct FileSet {
  let pattern: String
  let paths: [String]

  /// Whether `path` is a pattern rather than a file: it has a wildcard and no such file
  /// exists.
  static func isPattern(_ path: String) -> Bool {
    guard path.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) else { return false }
    var st = stat()
    return stat(path, &st) != 0
  }

  /// The files `pattern` matches, sorted by name.
  init(pattern: String) throws(EngineError) {
    self.pattern = pattern
    var g = glob_t()
    defer { globfree(&g) }
    let status = glob(pattern, 0, nil, &g)
    var found: [String] = []
    if status == 0 {
      for i in 0..<Int(g.gl_pathc) {
        if let p = g.gl_pathv[i] { found.append(String(cString: p)) }
      }
    }
    found = found.filter { !$0.hasSuffix("/") }.sorted()
    guard !found.isEmpty else {
      throw .io(path: pattern, reason: "no file matches this pattern")
    }
    paths = found
  }

  func load(options: ReadOptions, byteLimit: Int) throws(EngineError) -> (Table, LoadReport) {
    var budget = byteLimit
    var parts: [(path: String, table: Table)] = []
    var report = LoadReport(dialect: "")
    var dialects: [String] = []
    for path in paths {
      let (table, one) = try FileLoader.loadOne(path: path, options: options, byteLimit: budget)
      budget = max(0, budget - table.rowCount * max(1, table.columns.count) * 8)
      if let first = parts.first, Set(first.table.names) != Set(table.names) {
        let missing = first.table.names.filter { !table.names.contains($0) }
        let extra = table.names.filter { !first.table.names.contains($0) }
        var what: [String] = []
        if !missing.isEmpty { what.append("lacks " + missing.joined(separator: ", ")) }
        if !extra.isEmpty { what.append("has " + extra.joined(separator: ", ") + " besides") }
        throw .invalidValue(
          reason: "\(path) does not have the columns of \(first.path): it "
            + what.joined(separator: " and "),
          hint: "load such files one by one and join or append them")
      }
      if !dialects.contains(one.dialect) { dialects.append(one.dialect) }
      report.notices += one.notices
      report.rejects += one.rejects.map { ($0.line, "\(path): \($0.reason)") }
      parts.append((path, table))
    }
    let names = parts[0].table.names
    var columns: [Column] = []
    for name in names {
      let pieces = parts.map { $0.table.columns[$0.table.names.firstIndex(of: name) ?? 0] }
      columns.append(Self.concatenate(pieces))
    }
    var table = Table(
      names: names, columns: columns, rowCount: parts.reduce(0) { $0 + $1.table.rowCount })
    if options.filenameColumn {
      var file = TextColumnBuilder()
      for part in parts {
        for _ in 0..<part.table.rowCount { file.append(part.path) }
      }
      table = Self.adding("filename", .text(file.build()), to: table)
    }
    report.dialect =
      dialects.count == 1
      ? "\(dialects[0]), \(paths.count) files"
      : "\(paths.count) files: " + dialects.joined(separator: "; ")
    return (table, report)
  }

  /// The columns' rows one after another, in the type they agree on.
  static func concatenate(_ pieces: [Column]) -> Column {
    let typed = pieces.filter { $0.validity.nullCount($0.count) < $0.count }
    let types = Set(typed.map(\.type))
    var type = pieces.first?.type ?? .text
    if let only = types.first, types.count == 1 {
      type = only
    } else if types == [.int, .float] {
      type = .float
    } else if !types.isEmpty {
      type = .text
    }
    var b = ColumnBuilder(type)
    for piece in pieces {
      let c = piece.widened(to: type)
      for i in 0..<c.count {
        let v = c.value(at: i)
        if type == .text, !v.isNull, c.type != .text {
          b.append(.text(CellText.format(v)))
        } else {
          b.append(v.isNull ? .null : v)
        }
      }
    }
    return b.build()
  }

  /// The table with a text column of `path` in every row.
  static func withFilename(_ table: Table, _ path: String) -> Table {
    adding("filename", .constant(.text(path), type: .text, count: table.rowCount), to: table)
  }

  static func adding(_ name: String, _ column: Column, to table: Table) -> Table {
    var names = table.names
    var columns = table.columns
    let unique = TableReader.headerNames(names + [name]).last ?? name
    names.append(unique)
    columns.append(column)
    return Table(names: names, columns: columns, rowCount: table.rowCount)
  }
}
