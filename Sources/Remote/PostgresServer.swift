import Columnar
import Foundation
import Logging
import NIOSSL
import PostgresNIO
import SQL

/// A table on the server as pantau sees it: its place, its columns with pantau's types
/// (and the SQL that reads each as that type), its primary key, and the planner's row
/// estimate.
public struct ServerTable: Sendable {
  public var schemaName: String
  public var name: String
  public var fields: [Field]
  /// One SQL expression per field, casting the server's type to pantau's.
  public var readers: [String]
  /// The primary key's columns in key order (the row order pantau gives the table).
  public var primaryKey: [String]
  /// `pg_class.reltuples`; nil when the table was never analysed.
  public var estimatedRows: Int?
  /// `table`, `view`, …
  public var kind: String
  /// An integer column `_row` (as `.sql table` writes it) holds the row order and is not
  /// shown as a column.
  public var hasRowColumn = false

  /// `"schema"."name"`.
  public var relation: String { quoted(schemaName) + "." + quoted(name) }
}

/// `"name"`, with inner quotes doubled.
func quoted(_ name: String) -> String { "\"" + name.replacing("\"", with: "\"\"") + "\"" }

/// One connection to a PostgreSQL server (or anything speaking its protocol), used
/// synchronously by the shell: every call waits for its answer, and a call that takes long
/// can be cancelled through a `Cancellation` (pantau's Ctrl-C flag), which sends the server
/// a cancel for the running query.
public final class PostgresServer: @unchecked Sendable {
  public let target: ConnectionTarget
  let connection: PostgresConnection
  let backendPID: Int
  let logger: Logger
  private var uploads = 0

  private init(
    target: ConnectionTarget, connection: PostgresConnection, backendPID: Int, logger: Logger
  ) {
    self.target = target
    self.connection = connection
    self.backendPID = backendPID
    self.logger = logger
  }

  /// A logger that drops everything: nothing about the connection reaches the terminal.
  static let silent = Logger(label: "pantau.postgres") { _ in SwiftLogNoOpLogHandler() }

  /// Connects, authenticates and learns the connection's backend process (for cancel).
  public static func connect(_ target: ConnectionTarget) throws(RemoteError) -> PostgresServer {
    let configuration = try configuration(target)
    let logger = silent
    let result = blocking(poll: {}) { () async throws -> (PostgresConnection, Int) in
      let connection = try await PostgresConnection.connect(
        configuration: configuration, id: 1, logger: logger)
      do {
        let rows = try await connection.query("SELECT pg_backend_pid()", logger: logger)
        var pid = 0
        for try await row in rows {
          pid = Int(try row.decode(Int32.self))
        }
        return (connection, pid)
      } catch {
        try? await connection.close()
        throw error
      }
    }
    switch result {
    case .success(let (connection, pid)):
      return PostgresServer(target: target, connection: connection, backendPID: pid, logger: logger)
    case .failure(let error):
      throw describe(error, connecting: target)
    }
  }

  static func configuration(_ target: ConnectionTarget) throws(RemoteError)
    -> PostgresConnection.Configuration
  {
    if let socket = target.socketDirectory {
      return PostgresConnection.Configuration(
        unixSocketPath: socket + "/.s.PGSQL.\(target.port)", username: target.user,
        password: target.password, database: target.database)
    }
    var tls = PostgresConnection.Configuration.TLS.disable
    if target.tls != .disable {
      // As libpq's prefer and require: the link is encrypted, the certificate not checked.
      var config = TLSConfiguration.makeClientConfiguration()
      config.certificateVerification = .none
      do {
        let context = try NIOSSLContext(configuration: config)
        tls = target.tls == .require ? .require(context) : .prefer(context)
      } catch {
        throw RemoteError("cannot set up TLS: \(error)", hint: "try sslmode=disable")
      }
    }
    var c = PostgresConnection.Configuration(
      host: target.host, port: target.port, username: target.user, password: target.password,
      database: target.database, tls: tls)
    c.options.connectTimeout = .seconds(10)
    if let options = target.options {
      // libpq's `options` (e.g. `-c search_path=x`) is a startup parameter of the protocol.
      c.options.additionalStartupParameters = [("options", options)]
    }
    return c
  }

  /// Closes the connection.
  public func close() {
    let connection = connection
    _ = blocking { try await connection.close() }
  }

  /// The tables and views the connection's search path shows (system schemas left out).
  public func tables() throws(RemoteError) -> [ServerTable] {
    let sql = """
      SELECT n.nspname::text, c.relname::text, c.relkind::text, c.reltuples::float8,
        a.attname::text, t.typname::text,
        coalesce(array_position(i.indkey::int2[], a.attnum), 0)::int4
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
      WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND pg_table_is_visible(c.oid)
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
      ORDER BY 1, 2, a.attnum
      """
    let connection = connection
    let logger = logger
    let result = blocking { () async throws -> [ServerTable] in
      var out: [ServerTable] = []
      var keys: [(Int32, String)] = []
      func finish() {
        guard !out.isEmpty else { return }
        out[out.count - 1].primaryKey = keys.sorted { $0.0 < $1.0 }.map(\.1)
        keys = []
      }
      for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
      {
        let (schema, name, kind, tuples, column, type, keyPosition) = try row.decode(
          (String, String, String, Double, String, String, Int32).self)
        if out.last?.schemaName != schema || out.last?.name != name {
          finish()
          out.append(
            ServerTable(
              schemaName: schema, name: name, fields: [], readers: [], primaryKey: [],
              estimatedRows: tuples < 0 ? nil : Int(tuples), kind: Self.kindName(kind)))
        }
        if column == "_row" && ["int2", "int4", "int8"].contains(type) {
          out[out.count - 1].hasRowColumn = true
          continue
        }
        let (pantauType, reader) = Self.reader(column, type)
        out[out.count - 1].fields.append(Field(column, pantauType))
        out[out.count - 1].readers.append(reader)
        if keyPosition > 0 { keys.append((keyPosition, column)) }
      }
      finish()
      return out
    }
    return try result.remote()
  }

  static func kindName(_ relkind: String) -> String {
    switch relkind {
    case "v": "view"
    case "m": "materialized view"
    case "f": "foreign table"
    default: "table"
    }
  }

  /// pantau's type for a server type, and the SQL that reads the column as it.
  static func reader(_ column: String, _ type: String) -> (DataType, String) {
    let q = quoted(column)
    switch type {
    case "int2", "int4", "int8": return (.int, "CAST(\(q) AS bigint)")
    case "float4", "float8", "numeric": return (.float, "CAST(\(q) AS double precision)")
    case "bool": return (.bool, q)
    case "date": return (.date, q)
    default: return (.text, "CAST(\(q) AS text)")
    }
  }

  /// Runs a statement whose columns are exactly `schema`'s pantau types (the SQL casts
  /// them: `bigint`, `double precision`, `text`, `boolean`, `date`) and builds the table.
  /// - Parameters:
  ///   - byteLimit: the most the result may take in memory; past it the query is
  ///     cancelled and an error says so.
  ///   - cancellation: when it is set, the server is asked to cancel the query.
  public func query(
    _ sql: String, schema: Schema, cancellation: Cancellation?, byteLimit: Int = .max
  ) throws(RemoteError) -> Table {
    let connection = connection
    let logger = logger
    let types = schema.fields.map(\.type)
    let result = wait(cancellation) { () async throws -> Table in
      var builders = types.map { ColumnBuilder($0) }
      var bytes = 0
      var rows = 0
      let stream = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
      for try await row in stream {
        if cancellation?.isCancelled == true { throw RemoteError.cancelled }
        var i = 0
        for cell in row where i < builders.count {
          bytes += try Self.append(cell, to: &builders[i])
          i += 1
        }
        rows += 1
        if bytes > byteLimit {
          throw RemoteError(
            "the server's answer is larger than the memory limit "
              + "(\(EngineError.size(byteLimit)) after \(rows) rows)",
            hint: "filter or group on the server so less comes back, or raise --memory-limit")
        }
      }
      return Table(
        names: schema.names, columns: builders.map { $0.build() }, rowCount: rows)
    }
    return try result.remote()
  }

  /// Appends one cell; returns roughly the bytes it takes.
  static func append(_ cell: PostgresCell, to builder: inout ColumnBuilder) throws -> Int {
    guard cell.bytes != nil else {
      builder.appendNull()
      return 1
    }
    switch builder.type {
    case .int:
      builder.append(.int(Int(try cell.decode(Int64.self))))
      return 9
    case .float:
      builder.append(.float(try cell.decode(Double.self)))
      return 9
    case .bool:
      builder.append(.bool(try cell.decode(Bool.self)))
      return 2
    case .date:
      let date = try cell.decode(Date.self)
      builder.append(.date(Int((date.timeIntervalSince1970 / 86_400).rounded(.down))))
      return 5
    case .text:
      let s = try cell.decode(String.self)
      builder.append(.text(s))
      return 16 + s.utf8.count
    }
  }

  /// Runs statements that return no rows (DDL, `SET`).
  public func execute(_ sql: String, cancellation: Cancellation? = nil) throws(RemoteError) {
    let connection = connection
    let logger = logger
    let result = wait(cancellation) {
      try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
      return 0
    }
    _ = try result.remote()
  }

  /// Copies a local table into a new temporary table (gone when the connection closes)
  /// with its row order in a column `_row`; returns the table's name.
  public func upload(_ table: Table, cancellation: Cancellation?) throws(RemoteError) -> String {
    uploads += 1
    let name = "pantau_upload_\(uploads)"
    var columns = zip(table.names, table.columns).map { name, column in
      quoted(name) + " " + SQLDialect.postgres.typeName(column.type)
    }
    columns.append("_row bigint")
    try execute("CREATE TEMPORARY TABLE \(name) (\(columns.joined(separator: ", ")))")
    let connection = connection
    let logger = logger
    let names = table.names.map { $0.replacing("\"", with: "\"\"") } + ["_row"]
    let result = wait(cancellation) { () async throws -> Int in
      try await connection.copyFrom(table: name, columns: names, logger: logger) { writer in
        var chunk = ""
        for r in 0..<table.rowCount {
          CopyText.row(table, r, into: &chunk)
          if chunk.utf8.count > 1 << 20 {
            try await writer.write(ByteBuffer(string: chunk))
            chunk = ""
          }
        }
        if !chunk.isEmpty { try await writer.write(ByteBuffer(string: chunk)) }
      }
      return table.rowCount
    }
    _ = try result.remote()
    try execute("ANALYZE \(name)")
    return name
  }

  /// Waits for `work`; when `cancellation` is set meanwhile, asks the server (once) to
  /// cancel what this connection runs.
  private func wait<T: Sendable>(
    _ cancellation: Cancellation?, _ work: @escaping @Sendable () async throws -> T
  ) -> Result<T, any Error> {
    var sent = false
    let result = blocking(
      poll: {
        if cancellation?.isCancelled == true && !sent {
          sent = true
          cancelRunning()
        }
      }, work)
    if sent || cancellation?.isCancelled == true {
      if case .failure = result { return .failure(RemoteError.cancelled) }
    }
    return result
  }

  /// Asks the server to cancel this connection's running query, through a second
  /// short-lived connection (`pg_cancel_backend` of our backend process).
  public func cancelRunning() {
    guard let configuration = try? Self.configuration(target) else { return }
    let pid = backendPID
    let logger = logger
    Task(executorPreference: ServerThread.shared) {
      guard
        let side = try? await PostgresConnection.connect(
          configuration: configuration, id: 2, logger: logger)
      else { return }
      do {
        let r = try await side.query(
          PostgresQuery(unsafeSQL: "SELECT pg_cancel_backend(\(pid))"), logger: logger)
        for try await _ in r {}
      } catch {
        // The query then runs to its end; the statement still stops when it answers.
      }
      try? await side.close()
    }
  }

  /// The message for a failure, with the server's own words when it sent some.
  static func describe(_ error: any Error, connecting target: ConnectionTarget? = nil)
    -> RemoteError
  {
    if let e = error as? RemoteError { return e }
    if let e = error as? PSQLError {
      if let info = e.serverInfo, let message = info[.message] {
        if info[.sqlState] == "57014" { return .cancelled }
        var text = "the server says: \(message)"
        if let detail = info[.detail] { text += " (\(detail))" }
        var out = RemoteError(text, hint: info[.hint])
        out.sqlState = info[.sqlState]
        return out
      }
      if let target {
        switch e.code {
        case .authMechanismRequiresPassword:
          return RemoteError(
            "\(target) asks for a password",
            hint: "set PGPASSWORD, or add a line to ~/.pgpass (mode 0600)")
        case .sslUnsupported:
          return RemoteError(
            "\(target) does not offer TLS", hint: "connect with ?sslmode=prefer or disable")
        default:
          return RemoteError(
            "cannot connect to \(target): \(e.code)",
            hint:
              "is the server running and reachable? (pg_isready -h \(target.host) -p \(target.port))"
          )
        }
      }
      return RemoteError("the connection failed: \(e.code)", hint: "try .connect again")
    }
    if let target {
      return RemoteError(
        "cannot connect to \(target): \(error)",
        hint:
          "is the server running and reachable? (pg_isready -h \(target.host) -p \(target.port))")
    }
    return RemoteError("the server request failed: \(error)")
  }
}

extension RemoteError {
  /// The statement was cancelled.
  public static var cancelled: RemoteError {
    var e = RemoteError("cancelled")
    e.cancelled = true
    return e
  }
}

extension Result {
  /// The value, or the failure as a `RemoteError`.
  func remote() throws(RemoteError) -> Success {
    switch self {
    case .success(let v): return v
    case .failure(let e): throw PostgresServer.describe(e)
    }
  }
}

/// COPY's text format: tab-separated, `\N` for null, backslash escapes.
enum CopyText {
  static func row(_ table: Table, _ r: Int, into out: inout String) {
    for (c, column) in table.columns.enumerated() {
      if c > 0 { out += "\t" }
      field(column.value(at: r), into: &out)
    }
    out += "\t\(r + 1)\n"
  }

  static func field(_ v: Value, into out: inout String) {
    switch v {
    case .null: out += "\\N"
    case .int(let i): out += String(i)
    case .float(let d): out += "\(d)"
    case .bool(let b): out += b ? "t" : "f"
    case .date(let d): out += CivilDate.format(d)
    case .text(let s):
      for ch in s.unicodeScalars {
        switch ch {
        case "\\": out += "\\\\"
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        default: out.unicodeScalars.append(ch)
        }
      }
    }
  }
}
