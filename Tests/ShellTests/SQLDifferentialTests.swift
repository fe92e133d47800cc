import Columnar
import Foundation
import Language
import Render
import SQL
import Testing

@testable import Shell

/// Random pipelines over random tables, answered by pantau's engine and by the SQL pantau
/// compiles them to, run on real engines (SQLite, DuckDB, PostgreSQL); the answers must
/// agree cell by cell. A pipeline the dialect cannot express must be refused with an error
/// saying so, never compiled to something that answers differently.
struct SQLDifferentialTests {
  static let seeds: [UInt64] = Array(
    1...max(1, UInt64(ProcessInfo.processInfo.environment["PANTAU_SQL_SEEDS"] ?? "") ?? 12))

  @Test(arguments: seeds)
  func sqliteAgrees(seed: UInt64) throws {
    try check(.sqlite, seed: seed)
  }

  @Test(
    .enabled(if: SQLEngine.duckdb.unavailable == nil, "needs the duckdb Python package"),
    arguments: seeds)
  func duckdbAgrees(seed: UInt64) throws {
    try check(.duckdb, seed: seed)
  }

  @Test(
    .enabled(
      if: SQLEngine.postgres.unavailable == nil,
      "needs a PostgreSQL server in PANTAU_POSTGRES (.ci/postgres start DIR)"),
    arguments: seeds)
  func postgresAgrees(seed: UInt64) throws {
    try check(.postgres, seed: seed)
  }

  static func dialect(_ e: SQLEngine) -> SQLDialect {
    switch e {
    case .sqlite: .sqlite
    case .duckdb: .duckdb
    case .postgres: .postgres
    }
  }

  func check(_ engine: SQLEngine, seed: UInt64) throws {
    var rng = Random(seed: seed &* 104_729)
    let data = RandomData(&rng)
    let pipelines = Self.pipelines(&rng)
    let session = Self.session(data)
    let dialect = Self.dialect(engine)
    var compiled: [(pipeline: String, sql: String, ours: [String])] = []
    var refused = 0
    for p in pipelines {
      let run = BufferSink()
      #expect(session.run(p, sink: run), "seed \(seed): \(p)\n\(run.diagnostics)")
      let ours = Self.rows(run.output)
      session.settings.sqlOnly = dialect
      let sink = BufferSink()
      let ok = session.run(p, sink: sink)
      session.settings.sqlOnly = nil
      session.resetSeparator()
      guard ok else {
        #expect(
          sink.diagnostics.contains("has no \(dialect.displayName) form"),
          "seed \(seed): \(p) was refused for another reason:\n\(sink.diagnostics)")
        refused += 1
        continue
      }
      var sql = sink.output.trimmingCharacters(in: .whitespacesAndNewlines)
      if sql.hasSuffix(";") { sql.removeLast() }
      compiled.append((p, sql, ours))
    }
    #expect(refused <= pipelines.count / 3, "\(refused) of \(pipelines.count) refused")
    let answers = try engine.answers(
      setup: Self.setup(data, dialect), queries: compiled.map(\.sql),
      schema: "pantau_\(engine.rawValue)_\(seed)")
    try #require(answers.count == compiled.count)
    for (c, answer) in zip(compiled, answers) {
      switch answer {
      case .failed(let message):
        Issue.record("seed \(seed): \(engine) failed: \(message)\npantau: \(c.pipeline)\n\(c.sql)")
      case .rows(let theirs):
        let same =
          theirs.count == c.ours.count
          && zip(c.ours, theirs).allSatisfy { Self.rowEqual($0, $1) }
        #expect(
          same,
          """
          seed \(seed) differs on \(engine)
          pantau: \(c.pipeline)
          pantau rows: \(c.ours.joined(separator: " | "))
          \(engine) rows: \(theirs.map { $0.joined(separator: ",") }.joined(separator: " | "))
          \(c.sql)
          """)
      }
    }
  }

  /// The random pipelines of one seed: the paired generator's and the SQL-only one's.
  static func pipelines(_ rng: inout Random) -> [String] {
    (0..<12).map { _ in QueryGenerator.make(&rng).pantau }
      + (0..<12).map { _ in PipelineGenerator.make(&rng) }
  }

  static func rowEqual(_ ours: String, _ theirs: [String]) -> Bool {
    let a = CSVCompare.cells(ours)
    let b = theirs.isEmpty ? [""] : theirs
    guard a.count == b.count else { return false }
    for (p, q) in zip(a, b) where p != q {
      let numbers = ["true": "1", "false": "0"]
      let u = Double(numbers[p] ?? p)
      let v = Double(numbers[q] ?? q)
      guard let u, let v else { return false }
      if abs(u - v) > 1e-6 * max(1, abs(u), abs(v)) { return false }
    }
    return true
  }

  /// The data rows of pantau's CSV output (without the header).
  static func rows(_ output: String) -> [String] {
    let text = output.hasPrefix("\n") ? String(output.dropFirst()) : output
    return Array(
      text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()
    ).map(String.init)
  }

  static func session(_ data: RandomData) -> Session {
    let session = Session()
    session.settings.format = .csv
    let tTypes: [DataType] = [.int, .text, .int, .int, .float, .text]
    // Parsing cannot fail: the generator writes well-formed CSV.
    if let t = try? TableReader.parse(Array(data.tCSV.utf8), path: "t.csv"),
      let u = try? TableReader.parse(Array(data.uCSV.utf8), path: "u.csv")
    {
      session.catalog.set("t", typed(t, tTypes))
      session.catalog.set("u", typed(u, [.text, .int, .int]))
    }
    return session
  }

  /// The tables as SQL: typed columns, rows inserted in order (their storage order is
  /// pantau's row order).
  static func setup(_ data: RandomData, _ d: SQLDialect) -> String {
    func table(_ name: String, _ csv: String, _ cols: [(String, DataType)]) -> String {
      var s =
        "CREATE TABLE \(name) (\(cols.map { "\($0.0) \(d.typeName($0.1))" }.joined(separator: ", ")));\n"
      for line in csv.split(separator: "\n").dropFirst() {
        let cells = String(line).split(separator: ",", omittingEmptySubsequences: false)
        let values = zip(cells, cols).map { cell, col in
          cell.isEmpty ? "NULL" : col.1 == .text ? "'\(cell)'" : String(cell)
        }
        s += "INSERT INTO \(name) VALUES (\(values.joined(separator: ", ")));\n"
      }
      return s
    }
    return table(
      "t", data.tCSV,
      [("id", .int), ("g1", .text), ("g2", .int), ("x", .int), ("y", .float), ("s", .text)])
      + table("u", data.uCSV, [("k", .text), ("k2", .int), ("w", .int)])
  }
}

/// Pipelines beyond the SQL-paired generator's: the stages and functions whose SQL the
/// compiler writes (append, pivot, describe, top without ties, window functions, ordered
/// aggregates, text, dates, conversions, case).
enum PipelineGenerator {
  static func make(_ rng: inout Random) -> String {
    let (p, _) = QueryGenerator.predicate(&rng)
    let col = rng.pick(["x", "y"])
    let key = rng.pick(["g1", "g2", "s"])
    switch rng.int(0...15) {
    case 0: return "t | append (t | filter \(p)) | select id, g1, \(col)"
    case 1:
      let fs = rng.subset([
        "f = first(\(col))", "l = last(s)", "nt = ntile(\(rng.int(1...4)))",
        "pr = percent_rank()", "cd = cume_dist()", "mx = max(\(col))", "av = avg(x)",
        "sd = stddev(y)", "c = cumsum(x)", "r = rank()",
      ])
      let names = fs.map { String($0.prefix { $0 != " " }) }
      let order = rng.pick(["x", "y desc", "s", "x, id desc"])
      return "t | derive \(fs.joined(separator: ", ")) by \(key) order \(order)"
        + " | select id, \(names.joined(separator: ", "))"
    case 2:
      let fs = rng.subset([
        "m = median(\(col))", "q = quantile(y, \(rng.pick(["0.25", "0.9", "0.0", "1.0"])))",
        "v = var(y)", "sd = stddev(x)", "sa = string_agg(s, \"-\")", "f = first(s)",
        "l = last(\(col))", "n = count()", "d = count_distinct(s)", "lo = min(s)",
      ])
      return "t | filter \(p) | group \(key) (\(fs.joined(separator: ", ")))"
    case 3:
      let ties = rng.chance(0.5) ? " no ties" : ""
      return "t | top \(rng.int(1...3)) \(col)\(rng.chance(0.3) ? " asc" : "") by \(key)\(ties)"
        + " | select id, \(key), \(col), rank"
    case 4:
      let agg = rng.pick(["sum", "count", "max", "avg"])
      return "t | select g1, g2, x | pivot g2 x \(agg)"
    case 5: return "t | filter \(p) | describe"
    case 6:
      return "t | derive a = upper(s), b = length(s), c = starts_with(s, \"E\"), d = s + \"!\","
        + " e = replace(s, \"a\", \"o\"), f = substr(s, 2, 3), g = if(x > 0, \"pos\", \"neg\"),"
        + " h = s like \"%ta\", i = s ilike \"e%\", j = ends_with(s, \"a\"), k = contains(s, \"lp\")"
        + " | select id, a, b, c, d, e, f, g, h, i, j, k"
    case 7:
      return "t | derive d = @2024-01-01 + x, w = year(@2024-01-01 + x * 20),"
        + " m = month(@2023-12-20 - x), dd = @2024-03-01 - (@2024-01-01 + x)"
        + " | select id, d, w, m, dd"
    case 8:
      return
        "t | derive a = int(y), b = float(x), c = text(x), e = int(text(x)), f = text(g1 == \"a\")"
        + " | select id, a, b, c, e, f"
    case 9:
      return "t | group \(key) (c = corr(y, x), sl = regr_slope(y, x), cv = covar_samp(y, x),"
        + " cp = covar_pop(x, y), i = regr_intercept(y, x), r2 = regr_r2(y, x))"
    case 10:
      return "t | derive k = case when x > 5 then \"hi\" when x < -5 then \"lo\" else \"mid\" end"
        + " | group k (n = count(), s = sum(x))"
    case 11:
      return
        "t | join \(rng.chance(0.5) ? "left " : "")u on g1 == k | group g1 (n = count(), w = sum(w))"
    case 12:
      return "t | filter \(p) | derive z = y / x, m = x % 3, r = round(y, 1), a = abs(x - 3)"
        + " | sort z desc, id | take \(rng.int(0...12))"
    case 13:
      return "t | rank \(col) by g2 as r | filter r <= \(rng.int(1...3)) | select id, g2, r"
    case 14: return "t | group g1, g2 | group g1 (k = count(), m = max(n))"
    default:
      return "t | distinct \(key) | sort \(key) desc | take \(rng.int(1...4))"
    }
  }
}

/// The notebooks' pipelines, compiled to each dialect and run on the built-in tables
/// uploaded to the engine, must give the tables pantau gives.
struct SQLNotebookTests {
  static let notebooks = NotebookTests.notebooks

  @Test(arguments: SQLEngine.allCases)
  func notebookPipelinesAgree(_ engine: SQLEngine) throws {
    if let why = engine.unavailable {
      print("skipped \(engine): \(why)")
      return
    }
    let dialect = SQLDifferentialTests.dialect(engine)
    let tables = Session()
    Builtins.load(into: tables)
    var setup = ""
    for name in tables.catalog.tableNames {
      if let t = tables.catalog.tables[name] { setup += SQLTables.script(name, t, dialect) }
      // PostgreSQL does not keep rows in insertion order: the order is in `_row`.
    }
    var cases: [(String, String, [String])] = []
    for name in Self.notebooks {
      let text = try String(
        contentsOfFile: packageRoot + "/Notebooks/" + name, encoding: .utf8)
      let source = SourceText(name: name, text: text, directory: packageRoot + "/Notebooks")
      let session = Session()
      session.settings.format = .csv
      Builtins.load(into: session)
      for n in session.catalog.tableNames { session.sqlOrderColumns[n] = "_row" }
      var parser = Parser(source)
      while let next = parser.nextStatement() {
        guard case .success(let statement) = next else { continue }
        var piece = source.slice(statement.span)
        if case .assignment = statement { piece = "let " + piece }
        guard case .pipeline(let p) = statement, let checked = try? session.check(p, source)
        else {
          let sink = BufferSink()
          #expect(session.run(piece, sink: sink), "\(name): \(piece)\n\(sink.diagnostics)")
          continue
        }
        // A chart's table is what its pipeline gives before the chart stage.
        let table = try? session.executor.run(checked.plan)
        #expect(table != nil, "\(name): \(piece)")
        let run = BufferSink()
        run.write(
          table.map {
            TableRenderer(format: .csv, options: session.settings.renderOptions).render($0)
          } ?? "")
        session.settings.sqlOnly = dialect
        let sql = BufferSink()
        let ok = session.run(piece, sink: sql)
        session.settings.sqlOnly = nil
        session.resetSeparator()
        if !ok {
          #expect(
            sql.diagnostics.contains("has no \(dialect.displayName) form"),
            "\(name): \(piece)\n\(sql.diagnostics)")
          continue
        }
        var text = sql.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix(";") { text.removeLast() }
        cases.append((name + ": " + piece, text, SQLDifferentialTests.rows(run.output)))
      }
    }
    #expect(cases.count >= 20, "only \(cases.count) notebook pipelines compiled")
    let answers = try engine.answers(
      setup: setup, queries: cases.map(\.1), schema: "pantau_notebooks_\(engine.rawValue)")
    try #require(answers.count == cases.count)
    for ((what, sql, ours), answer) in zip(cases, answers) {
      switch answer {
      case .failed(let message): Issue.record("\(engine) failed: \(message)\n\(what)\n\(sql)")
      case .rows(let theirs):
        let same =
          theirs.count == ours.count
          && zip(ours, theirs).allSatisfy { SQLDifferentialTests.rowEqual($0, $1) }
        #expect(
          same,
          """
          \(engine) differs: \(what)
          pantau: \(ours.prefix(5).joined(separator: " | "))
          \(engine): \(theirs.prefix(5).map { $0.joined(separator: ",") }.joined(separator: " | "))
          """)
      }
    }
  }
}
