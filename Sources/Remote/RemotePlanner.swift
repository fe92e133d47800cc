import Columnar
import Language
import SQL

/// Decides which parts of a plan run on the server and runs them there.
///
/// A subtree whose tables all live on the server, and which compiles to PostgreSQL, runs
/// there as one statement; its answer comes back as a local table and the rest of the plan
/// (a stage SQL cannot say, a chart, a save, a local table) runs in pantau. Where a join or
/// append meets one server side and one local side, the smaller side moves: the local one
/// is copied to a temporary table on the server when it has at most `uploadLimit` rows
/// and no more than the server's estimate of the other side; otherwise the server side's
/// answer is fetched and the join runs locally.
public struct RemotePlanner {
  public var server: PostgresServer
  /// The server table a plan's scan name stands for, when it is one.
  public var serverTable: (String) -> ServerTable?
  public var cancellation: Cancellation?
  /// The most memory an answer from the server may take.
  public var memoryLimit = Int.max
  /// The most rows a local table may have to be copied to the server for a join.
  public var uploadLimit = 1_000_000
  /// Each statement sent, in order (for `.explain` and tests).
  public private(set) var statements: [String] = []
  /// Plan only (`.explain`): the statements are written but not sent, a server answer is
  /// an empty table, and a local side's size is the planner's bound on it, not its rows.
  public var dryRun = false
  private var uploads: [String: SQLTableSource] = [:]

  public init(server: PostgresServer, serverTable: @escaping (String) -> ServerTable?) {
    self.server = server
    self.serverTable = serverTable
  }

  /// The plan with every server part replaced by a scan of its fetched answer.
  public mutating func localize(_ plan: Plan) throws(Diagnostic) -> Plan {
    let (p, remote) = try walk(plan)
    return remote ? try fetch(p) : p
  }

  /// Whether a plan reads any server table.
  public func readsServer(_ plan: Plan) -> Bool {
    if case .scan(_, let name) = plan.op { return serverTable(name) != nil }
    return plan.inputs.contains { readsServer($0) }
  }

  /// The plan, and whether all of it can run on the server.
  private mutating func walk(_ plan: Plan) throws(Diagnostic) -> (Plan, Bool) {
    if case .scan(_, let name) = plan.op {
      return (plan, serverTable(name) != nil || uploads[name] != nil)
    }
    let inputs = plan.inputs
    if inputs.isEmpty { return (plan, false) }
    var walked: [(Plan, Bool)] = []
    for input in inputs { walked.append(try walk(input)) }
    let remote = walked.map(\.1)
    if remote.allSatisfy({ !$0 }) { return (plan.withInputs(walked.map(\.0)), false) }
    if remote.allSatisfy({ $0 }) {
      let node = plan.withInputs(walked.map(\.0))
      if compiles(node) { return (node, true) }
      var local: [Plan] = []
      for (p, _) in walked { local.append(try fetch(p)) }
      return (plan.withInputs(local), false)
    }
    // One side here, one there (a join or an append).
    var sides = walked.map(\.0)
    guard let l = remote.firstIndex(of: false), let r = remote.firstIndex(of: true) else {
      return (plan.withInputs(sides), false)
    }
    let localTable =
      dryRun
      ? Table(
        names: sides[l].schema.names,
        columns: sides[l].schema.fields.map { Column.nulls($0.type, count: 0) }, rowCount: 0)
      : try Executor(cancellation: cancellation, memoryLimit: memoryLimit).run(sides[l])
    let localRows =
      dryRun ? Planner().plan(sides[l]).estimate.bound ?? Int.max : localTable.rowCount
    let estimate = estimatedRows(sides[r]) ?? Int.max
    if localRows <= uploadLimit && localRows <= estimate {
      let name = try upload(localTable, rows: localRows, key: sides[l])
      let scan = Plan(
        op: .scan(
          Table(
            names: localTable.names,
            columns: localTable.columns.map {
              Column.nulls($0.type, count: 0)
            }, rowCount: 0), name: name), schema: sides[l].schema, span: sides[l].span)
      var moved = sides
      moved[l] = scan
      let node = plan.withInputs(moved)
      if compiles(node) { return (node, true) }
    }
    sides[l] = Plan(
      op: .scan(localTable, name: "(local rows)"), schema: sides[l].schema, span: sides[l].span)
    sides[r] = try fetch(sides[r])
    return (plan.withInputs(sides), false)
  }

  /// The server's estimate of a subtree's size: its largest table's.
  private func estimatedRows(_ plan: Plan) -> Int? {
    if case .scan(_, let name) = plan.op {
      if let t = serverTable(name) { return t.estimatedRows }
      return nil
    }
    var most: Int? = 0
    for input in plan.inputs {
      guard let m = most, let e = estimatedRows(input) else { return nil }
      most = max(m, e)
    }
    return most
  }

  private func compiler() -> SQLCompiler {
    var c = SQLCompiler(dialect: .postgres)
    c.typedOutput = true
    c.tableSources = uploads
    return c
  }

  private func compiles(_ plan: Plan) -> Bool {
    var c = compiler()
    c.tableSources.merge(sources(plan)) { a, _ in a }
    do throws(Diagnostic) {
      _ = try c.compile(plan)
      return true
    } catch {
      return false
    }
  }

  /// How each server table a plan reads is read: cast to pantau's types, numbered by
  /// its primary key (or the physical order of a table, none for a view).
  private func sources(_ plan: Plan) -> [String: SQLTableSource] {
    var out: [String: SQLTableSource] = [:]
    func visit(_ p: Plan) {
      if case .scan(_, let name) = p.op, let t = serverTable(name) {
        let order: String
        if t.hasRowColumn {
          order = "ORDER BY _row"
        } else if !t.primaryKey.isEmpty {
          order = "ORDER BY " + t.primaryKey.map(quoted).joined(separator: ", ")
        } else if t.kind == "table" {
          order = "ORDER BY ctid"
        } else {
          order = ""
        }
        out[name] = SQLTableSource(relation: t.relation, columns: t.readers, order: order)
      }
      for input in p.inputs { visit(input) }
    }
    visit(plan)
    return out
  }

  /// Runs a server subtree and makes it a local scan.
  private mutating func fetch(_ plan: Plan) throws(Diagnostic) -> Plan {
    var c = compiler()
    c.tableSources.merge(sources(plan)) { a, _ in a }
    let sql = try c.compile(plan).text
    statements.append(sql)
    if dryRun {
      let empty = Table(
        names: plan.schema.names,
        columns: plan.schema.fields.map { Column.nulls($0.type, count: 0) },
        rowCount: 0)
      return Plan(op: .scan(empty, name: "(server answer)"), schema: plan.schema, span: plan.span)
    }
    do throws(RemoteError) {
      let table = try server.query(
        sql, schema: plan.schema, cancellation: cancellation, byteLimit: memoryLimit)
      return Plan(op: .scan(table, name: "(server answer)"), schema: plan.schema, span: plan.span)
    } catch {
      throw Diagnostic(remote: error, at: plan.span)
    }
  }

  private mutating func upload(_ table: Table, rows: Int, key: Plan) throws(Diagnostic) -> String {
    do throws(RemoteError) {
      let name =
        dryRun
        ? "pantau_upload_\(uploads.count + 1)"
        : try server.upload(table, cancellation: cancellation)
      statements.append(
        dryRun
          ? "-- up to \(rows) local rows would be copied to a temporary table"
          : "-- \(rows) local rows copied to \(name)")
      let columns = table.names.map(quoted)
      uploads[name] = SQLTableSource(relation: name, columns: columns, order: "ORDER BY _row")
      return name
    } catch {
      throw Diagnostic(remote: error, at: key.span)
    }
  }
}

extension Diagnostic {
  /// A server failure at the stage whose part ran there.
  public init(remote error: RemoteError, at span: SourceSpan?) {
    if error.cancelled {
      self.init("cancelled", at: nil)
      return
    }
    self.init(error.message, at: span, hints: error.hint.map { [$0] } ?? [])
  }
}
