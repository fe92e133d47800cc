import Columnar
import Foundation
import Remote
import Render
import SQL
import Testing

@testable import Shell

/// `--connect` against a real PostgreSQL server (`PANTAU_POSTGRES`, which `.ci/run`
/// starts): the same pipelines over the same data, once on local tables and once on server
/// tables, must give the same answers, whichever parts run where.
@Suite(
  .serialized,
  .enabled(
    if: SQLEngine.postgres.unavailable == nil,
    "needs a PostgreSQL server in PANTAU_POSTGRES (.ci/postgres start DIR)"))
struct ConnectTests {
  static var conninfo: String { ProcessInfo.processInfo.environment["PANTAU_POSTGRES"] ?? "" }

  /// Puts `tables` of a session on the server in schema `schema` (with their row order in
  /// `_row`, as `.sql table` writes them) and returns a session connected to it that has
  /// no local tables of those names.
  static func connected(_ tables: [(String, Table)], schema: String) throws -> Session {
    let setup = tables.map { SQLTables.script($0.0, $0.1, .postgres) }.joined(separator: "\n")
    let script =
      "SET client_min_messages = warning;\nDROP SCHEMA IF EXISTS \(schema) CASCADE;\n"
      + "CREATE SCHEMA \(schema);\nSET search_path = \(schema);\n" + setup + "\nANALYZE;\n"
    let (status, _, err) = try runProcess(
      "/usr/bin/env", ["psql", conninfo, "-X", "-q", "-v", "ON_ERROR_STOP=1"], input: script)
    try #require(status == 0, "psql: \(err)")
    let session = Session()
    session.settings.format = .csv
    let sink = BufferSink()
    try session.connect(to: conninfo + " options='-c search_path=\(schema)'", sink: sink)
    #expect(sink.diagnostics.contains(counted(tables.count, "table")), "\(sink.diagnostics)")
    return session
  }

  @Test(arguments: Array(UInt64(1)...6))
  func serverTablesAnswerAsLocalOnes(seed: UInt64) throws {
    var rng = Random(seed: seed &* 7_919)
    let data = RandomData(&rng)
    let local = SQLDifferentialTests.session(data)
    let tables = ["t", "u"].compactMap { n in local.catalog.tables[n].map { (n, $0) } }
    let remote = try Self.connected(tables, schema: "pantau_connect_\(seed)")
    defer { remote.disconnect() }
    var pipelines: [String] = []
    for _ in 0..<10 { pipelines.append(QueryGenerator.make(&rng).pantau) }
    for _ in 0..<10 { pipelines.append(PipelineGenerator.make(&rng)) }
    var sent = 0
    for p in pipelines {
      let ours = BufferSink()
      let theirs = BufferSink()
      let okLocal = local.run(p, sink: ours)
      let okRemote = remote.run(p, sink: theirs)
      #expect(okLocal == okRemote, "seed \(seed): \(p)\n\(ours.diagnostics)\n\(theirs.diagnostics)")
      guard okLocal && okRemote else { continue }
      if remote.server?.statements.isEmpty == false { sent += 1 }
      let a = SQLDifferentialTests.rows(ours.output)
      let b = SQLDifferentialTests.rows(theirs.output)
      let same =
        a.count == b.count
        && zip(a, b).allSatisfy { SQLDifferentialTests.rowEqual($0, CSVCompare.cells($1)) }
      #expect(
        same,
        """
        seed \(seed) differs over the server
        pantau: \(p)
        local rows: \(a.joined(separator: " | "))
        server rows: \(b.joined(separator: " | "))
        sent: \(remote.server?.statements.joined(separator: "\n") ?? "")
        """)
    }
    // Every pipeline reads t or u: each sent the server at least one statement.
    #expect(sent >= pipelines.count * 2 / 3, "\(sent) of \(pipelines.count) went to the server")
  }

  /// The built-in tables on the server: a chart at the end, a join with a local table
  /// (copied up when it is the smaller side, the server's answer fetched when not), a pivot.
  @Test func chartsJoinsAndPivotsOverServerTables() throws {
    let builtin = Session()
    Builtins.load(into: builtin)
    builtin.settings.format = .csv
    let scores = try #require(builtin.catalog.tables["scores"])
    let remote = try Self.connected([("srv_scores", scores)], schema: "pantau_connect_builtin")
    defer { remote.disconnect() }
    Builtins.load(into: remote)
    let cases = [
      "| filter year == 2023 | group category (n = count(), avg = avg(score))",
      "| group year (avg = avg(score)) | trend year avg",
      "| filter year == 2022 | join regions on province == name | group island (n = count())",
      "| filter year >= 2021 | select province, year, score | pivot year score avg",
      "| group year (m = median(score)) | bar year m",
    ]
    for c in cases {
      let ours = BufferSink()
      let theirs = BufferSink()
      #expect(builtin.run("scores " + c, sink: ours), "\(ours.diagnostics)")
      #expect(remote.run("srv_scores " + c, sink: theirs), "\(theirs.diagnostics)")
      // The server sums in its own order: floats may differ in the last bits.
      let a = SQLDifferentialTests.rows(ours.output)
      let b = SQLDifferentialTests.rows(theirs.output)
      let same =
        a.count == b.count
        && zip(a, b).allSatisfy { SQLDifferentialTests.rowEqual($0, CSVCompare.cells($1)) }
      #expect(same, "scores \(c)\n\(ours.output)\n\(theirs.output)")
      if c.contains("trend") || c.contains("bar") { #expect(ours.output == theirs.output) }
    }
    // regions (552 rows) is smaller than the server's 972: it is copied up.
    let join = BufferSink()
    #expect(remote.run("srv_scores | join regions on province == name | take 3", sink: join))
    #expect(remote.server?.statements.first?.contains("copied to pantau_upload") == true)
    #expect(remote.server?.statements.count == 2)
    // A local table larger than the server's: the server's answer comes down instead.
    let big = BufferSink()
    #expect(
      remote.run(
        "let many = regions | append regions | append regions\n"
          + "srv_scores | filter year == 2023 | join many on province == name | take 2",
        sink: big), "\(big.diagnostics)")
    let sent = remote.server?.statements ?? []
    #expect(sent.count == 1 && !sent[0].contains("upload"), "\(sent)")
  }

  @Test func ctrlCCancelsTheServerQueryAndTheConnectionLives() throws {
    let remote = try Self.connected(
      [
        (
          "nums",
          Table([
            ("v", .int(TypedColumn(Array(0..<3000)))),
            ("k", .int(TypedColumn(Array(repeating: 1, count: 3000)))),
          ])
        )
      ],
      schema: "pantau_connect_cancel")
    defer { remote.disconnect() }
    let cancel = remote.cancellation
    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(500)) { cancel.cancel() }
    let clock = ContinuousClock()
    let start = clock.now
    let sink = BufferSink()
    // 2.7e10 rows to count: minutes of work, unless cancelled.
    let ok = remote.run(
      "nums | join nums on k | join nums on k | group (n = count())", sink: sink)
    #expect(!ok)
    #expect(sink.diagnostics.contains("cancelled"), "\(sink.diagnostics)")
    #expect(clock.now - start < .seconds(10))
    let after = BufferSink()
    #expect(remote.run("nums | group (n = count())", sink: after), "\(after.diagnostics)")
    #expect(after.output.contains("3000"))
  }

  @Test func answersLargerThanTheMemoryLimitStopWithAHint() throws {
    let remote = try Self.connected(
      [("nums", Table([("v", .int(TypedColumn(Array(0..<50_000))))]))],
      schema: "pantau_connect_limit")
    defer { remote.disconnect() }
    remote.settings.memoryLimit = 100_000
    let sink = BufferSink()
    #expect(!remote.run("nums | filter v > 10", sink: sink))
    #expect(sink.diagnostics.contains("larger than the memory limit"), "\(sink.diagnostics)")
    #expect(sink.diagnostics.contains("--memory-limit"))
    let small = BufferSink()
    #expect(remote.run("nums | group (s = sum(v))", sink: small), "\(small.diagnostics)")
    #expect(small.output.contains("1249975000"))
  }

  @Test func tablesSaysWhereEachTableLives() throws {
    let remote = try Self.connected(
      [("nums", Table([("v", .int(TypedColumn([1, 2, 3])))]))], schema: "pantau_connect_where")
    defer { remote.disconnect() }
    remote.catalog.set("mine", Table([("a", .int(TypedColumn([1])))]), origin: "test")
    let listing = remote.tablesListing()
    #expect(listing.contains("nums,"))
    #expect(listing.contains("pantau_connect_where.nums"))
    #expect(listing.contains("mine,1,1,local"))
    // .explain runs nothing on the server: its rows are unknown, not 0.
    let explain = BufferSink()
    #expect(remote.run(".explain nums | filter v > 1", sink: explain), "\(explain.diagnostics)")
    #expect(!explain.output.contains(",0\n"), "\(explain.output)")
    // It shows the statement it would send (and sends none); analyze runs and shows it.
    #expect(explain.output.contains("scan (server answer)"), "\(explain.output)")
    #expect(explain.output.contains("server statement 1 (to send):\nWITH"), "\(explain.output)")
    #expect(remote.server?.statements.isEmpty != false)
    let analyzed = BufferSink()
    #expect(remote.run(".explain analyze nums | filter v > 1", sink: analyzed))
    #expect(analyzed.output.contains("server statement 1 (sent):\nWITH"), "\(analyzed.output)")
    #expect(analyzed.output.contains("scan (server answer),filter v > 1,v int,2,2,"))
    // A join with a local table: what would be copied up is said, nothing is.
    let mixed = BufferSink()
    #expect(remote.run(".explain nums | join mine on v == a", sink: mixed), "\(mixed.diagnostics)")
    #expect(
      mixed.output.contains("local rows would be copied to a temporary table")
        || mixed.output.contains("server statement 1 (to send):\nWITH"), "\(mixed.output)")
    // A local table of the same name hides the server's.
    #expect(remote.run("let nums = mine", sink: BufferSink()))
    #expect(remote.serverTable("nums") == nil)
  }
}

/// TLS against the test server when it offers it (`.ci/postgres` with openssl): the link
/// is encrypted with `sslmode=require` and with the default `prefer`, and not with
/// `disable`, as the server itself reports for the connection.
@Suite(
  .serialized,
  .enabled(
    if: SQLEngine.postgres.unavailable == nil
      && ProcessInfo.processInfo.environment["PANTAU_POSTGRES_TLS"] == "1",
    "needs a PostgreSQL server offering TLS (.ci/postgres start DIR with openssl)"))
struct ConnectTLSTests {
  @Test func theLinkIsEncryptedUnlessDisabled() throws {
    let view = "CREATE VIEW link AS SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
    let script =
      "SET client_min_messages = warning;\nDROP SCHEMA IF EXISTS pantau_tls CASCADE;\n"
      + "CREATE SCHEMA pantau_tls;\nSET search_path = pantau_tls;\n\(view);\n"
    let (status, _, err) = try runProcess(
      "/usr/bin/env", ["psql", ConnectTests.conninfo, "-X", "-q", "-v", "ON_ERROR_STOP=1"],
      input: script)
    try #require(status == 0, "psql: \(err)")
    for (mode, encrypted) in [("require", "true"), ("prefer", "true"), ("disable", "false")] {
      let session = Session()
      session.settings.format = .csv
      try session.connect(
        to: ConnectTests.conninfo + " sslmode=\(mode) options='-c search_path=pantau_tls'",
        sink: BufferSink())
      defer { session.disconnect() }
      let sink = BufferSink()
      #expect(session.run("link", sink: sink), "\(sink.diagnostics)")
      #expect(sink.output.contains("ssl\n\(encrypted)\n"), "\(mode): \(sink.output)")
    }
  }
}

/// Connection strings, without a server.
struct ConnectionTargetTests {
  @Test func urlsAndKeywordsGiveTheSameTarget() throws {
    let env = ["HOME": "/nonexistent"]
    let a = try ConnectionTarget.parse(
      "postgres://ana:s%40cret@db.example:6543/ombudsman", environment: env)
    #expect(a.user == "ana" && a.password == "s@cret" && a.host == "db.example")
    #expect(a.port == 6543 && a.database == "ombudsman")
    #expect(a.description == "postgres://ana@db.example:6543/ombudsman")
    #expect(!a.description.contains("cret"))
    let b = try ConnectionTarget.parse(
      "host=db.example port=6543 user=ana password='s@cret' dbname=ombudsman", environment: env)
    #expect(a == b)
    let c = try ConnectionTarget.parse(
      "postgresql://ana@db.example/x?sslmode=require", environment: env)
    #expect(c.tls == .require && c.port == 5432 && c.password == nil)
  }

  @Test func thePasswordComesFromTheEnvironmentOrPgpass() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "pantau-pgpass-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent(".pgpass").path
    try "# comment\nother:*:*:*:no\ndb:5432:*:ana:pa\\:ss\n".write(
      toFile: file, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
    let fromFile = try ConnectionTarget.parse(
      "postgres://ana@db/x", environment: ["HOME": dir.path])
    #expect(fromFile.password == "pa:ss")
    let fromEnv = try ConnectionTarget.parse(
      "postgres://ana@db/x", environment: ["HOME": dir.path, "PGPASSWORD": "env"])
    #expect(fromEnv.password == "env")
    // A file others can read is ignored, as libpq does.
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
    let open = try ConnectionTarget.parse("postgres://ana@db/x", environment: ["HOME": dir.path])
    #expect(open.password == nil)
  }

  @Test func badConnectionsAreErrorsThatNeverShowThePassword() {
    #expect(throws: RemoteError.self) {
      try ConnectionTarget.parse("db.example", environment: [:])
    }
    #expect(throws: RemoteError.self) {
      try ConnectionTarget.parse("postgres://a@h:99999/x", environment: [:])
    }
    let session = Session()
    let sink = BufferSink()
    #expect(!session.run(".connect postgres://ana:hunter2@127.0.0.1:1/x", sink: sink))
    #expect(sink.diagnostics.contains("cannot connect to postgres://ana@127.0.0.1:1/x"))
    #expect(!sink.diagnostics.contains("hunter2"))
  }
}
