import Columnar
import Foundation
import Language
import Remote
import Render
import SQL

/// The PostgreSQL server a session is connected to and the tables it showed.
struct ServerLink {
  var server: PostgresServer
  /// Server tables by the name pantau gives them.
  var tables: [String: ServerTable]
  /// The statements the last pipeline sent (for tests and `.explain`).
  var statements: [String] = []

  /// What `.tables` and `.sources` say about where a server table lives.
  func origin(_ t: ServerTable) -> String {
    "\(t.kind) \(t.schemaName).\(t.name) on \(server.target)"
  }
}

extension Session {
  /// `.connect URL` (or `.connect` alone: which server, if any); `.disconnect`.
  func connect(_ c: DotContext) throws(Diagnostic) {
    guard let text = c.args.first else {
      c.sink.diagnostic(
        server.map { "connected to \($0.server.target)\n" } ?? "not connected\n")
      return
    }
    guard c.args.count == 1 else {
      throw Diagnostic(
        "usage: .connect postgres://USER@HOST:PORT/DATABASE", at: c.span,
        hints: ["or .connect 'host=… port=… user=… dbname=…' (quoted)"])
    }
    // The error shows no source line: the line may hold a password.
    try connect(to: text, at: nil, sink: c.sink)
  }

  /// Connects and makes the server's tables available by name; replaces an earlier link.
  public func connect(to text: String, at span: SourceSpan? = nil, sink: OutputSink)
    throws(Diagnostic)
  {
    let target: ConnectionTarget
    let link: PostgresServer
    let tables: [ServerTable]
    do throws(RemoteError) {
      target = try ConnectionTarget.parse(text, environment: ProcessInfo.processInfo.environment)
      link = try PostgresServer.connect(target)
      tables = try link.tables()
    } catch {
      throw Diagnostic(remote: error, at: span)
    }
    disconnect()
    var added: [String: ServerTable] = [:]
    var skipped: [String] = []
    var candidate = ServerLink(server: link, tables: [:])
    for t in tables {
      let name = t.name
      guard Session.isPlainName(name), added[name] == nil, catalog.tables[name] == nil else {
        skipped.append("\(t.schemaName).\(t.name)")
        continue
      }
      added[name] = t
      catalog.set(
        name,
        Table(names: t.fields.map(\.name), columns: t.fields.map { .nulls($0.type, count: 0) }),
        origin: candidate.origin(t))
    }
    candidate.tables = added
    server = candidate
    var line = "connected to \(target): \(counted(added.count, "table"))"
    if !added.isEmpty { line += " (" + added.keys.sorted().joined(separator: ", ") + ")" }
    sink.diagnostic(line + "\n")
    if !skipped.isEmpty {
      sink.diagnostic(
        "note: not shown, their names are taken or are not plain names: "
          + skipped.joined(separator: ", ") + "\n")
    }
  }

  /// Forgets the server and its tables.
  public func disconnect() {
    guard let link = server else { return }
    for (name, t) in link.tables where catalog.origins[name] == link.origin(t) {
      catalog.remove(name)
    }
    link.server.close()
    server = nil
  }

  /// A name pantau can write without quotes.
  static func isPlainName(_ name: String) -> Bool {
    guard let first = name.first, first.isLetter || first == "_" else { return false }
    return name.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
  }

  /// The server table a scan name stands for (a local table of the same name made later
  /// hides it).
  func serverTable(_ name: String) -> ServerTable? {
    guard let link = server, let t = link.tables[name], catalog.origins[name] == link.origin(t)
    else { return nil }
    return t
  }

  /// A planner for this session's server, when there is one.
  func remotePlanner() -> RemotePlanner? {
    guard let link = server else { return nil }
    let tables = link.tables
    let origins = catalog.origins
    var planner = RemotePlanner(server: link.server) { name in
      guard let t = tables[name], origins[name] == link.origin(t) else { return nil }
      return t
    }
    planner.cancellation = cancellation
    planner.memoryLimit = settings.memoryLimit
    return planner
  }

  /// The plan with its server parts run on the server.
  func localize(_ plan: Plan) throws(Diagnostic) -> Plan {
    guard var planner = remotePlanner(), planner.readsServer(plan) else { return plan }
    defer { server?.statements = planner.statements }
    return try planner.localize(plan)
  }

  /// What `CheckContext.runPivot` runs: the pivot on this session's executor, its server
  /// parts first on the server.
  func pivotRunner() -> @Sendable (Plan) throws(Diagnostic) -> Table {
    let box = PivotBox(executor, remotePlanner())
    return { plan throws(Diagnostic) in try box.run(plan) }
  }
}

/// What a sendable closure needs to run a pivot (the shell runs one statement at a time).
final class PivotBox: @unchecked Sendable {
  let executor: Executor
  var planner: RemotePlanner?
  init(_ executor: Executor, _ planner: RemotePlanner?) {
    self.executor = executor
    self.planner = planner
  }
  func run(_ plan: Plan) throws(Diagnostic) -> Table {
    if var p = planner, p.readsServer(plan) {
      defer { planner = p }
      return try executor.run(try p.localize(plan))
    }
    return try executor.run(plan)
  }
}
