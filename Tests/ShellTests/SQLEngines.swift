import Foundation

/// Real SQL engines for the differential tests: SQLite (the system library, through Python's
/// sqlite3 module), DuckDB (its Python package) and PostgreSQL (a server named by
/// `PANTAU_POSTGRES`, which `.ci/postgres` starts, reached with psql). Each runs a setup
/// script and then every query in one process, answering each with its rows as text cells,
/// or with its error.
enum SQLEngine: String, CaseIterable {
  case sqlite, duckdb, postgres

  /// Why the engine cannot be used here, or nil when it can.
  var unavailable: String? {
    switch self {
    case .sqlite: return SQLEngine.python(has: "sqlite3") ? nil : "no python3 with sqlite3"
    case .duckdb:
      return SQLEngine.python(has: "duckdb") ? nil : "the duckdb Python package is missing"
    case .postgres:
      guard let conn = ProcessInfo.processInfo.environment["PANTAU_POSTGRES"] else {
        return "PANTAU_POSTGRES is not set (.ci/postgres start DIR starts a server)"
      }
      let ok = (try? runProcess("/usr/bin/env", ["psql", conn, "-XAtc", "select 1"]))?.0 == 0
      return ok ? nil : "no PostgreSQL server answers at \(conn)"
    }
  }

  static func python(has module: String) -> Bool {
    (try? runProcess("/usr/bin/env", ["python3", "-c", "import \(module)"]))?.0 == 0
  }

  /// One query's answer.
  enum Answer {
    case rows([[String]])
    case failed(String)
  }

  /// Runs `setup`, then each query, in one process of the engine.
  func answers(setup: String, queries: [String], schema: String) throws -> [Answer] {
    let job: [String: Any] = [
      "engine": rawValue, "setup": setup, "queries": queries, "schema": schema,
      "postgres": ProcessInfo.processInfo.environment["PANTAU_POSTGRES"] ?? "",
    ]
    let input = String(decoding: try JSONSerialization.data(withJSONObject: job), as: UTF8.self)
    let script = FileManager.default.temporaryDirectory.appendingPathComponent(
      "pantau-sql-engine-\(getpid()).py"
    ).path
    if !FileManager.default.fileExists(atPath: script) {
      try SQLEngine.runner.write(toFile: script, atomically: true, encoding: .utf8)
    }
    let (status, out, err) = try runProcess("/usr/bin/env", ["python3", script], input: input)
    guard status == 0, let data = out.data(using: .utf8),
      let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    else {
      throw SubprocessError(description: "\(rawValue) runner failed (\(status)): \(err)")
    }
    return list.map { item in
      if let e = item["error"] as? String { return .failed(e) }
      return .rows((item["rows"] as? [[String]]) ?? [])
    }
  }

  /// The runner: cells as pantau's CSV writes them (null empty, bools true/false, floats in
  /// their shortest form).
  static let runner = #"""
    import csv, datetime, io, json, subprocess, sys
    job = json.load(sys.stdin)
    def cell(v):
        if v is None: return ""
        if isinstance(v, bool): return "true" if v else "false"
        if isinstance(v, float): return repr(v)
        if isinstance(v, (datetime.date, datetime.datetime)): return v.isoformat()[:10]
        return str(v)
    out = []
    if job["engine"] in ("sqlite", "duckdb"):
        if job["engine"] == "sqlite":
            import sqlite3
            con = sqlite3.connect(":memory:")
            con.executescript(job["setup"])
            run = lambda q: con.execute(q).fetchall()
        else:
            import duckdb
            con = duckdb.connect()
            con.execute("SET threads = 1")
            for stmt in job["setup"].split(";\n"):
                if stmt.strip(): con.execute(stmt)
            run = lambda q: con.execute(q).fetchall()
        for q in job["queries"]:
            try:
                out.append({"rows": [[cell(v) for v in row] for row in run(q)]})
            except Exception as e:
                out.append({"error": str(e).splitlines()[0] if str(e) else type(e).__name__})
    else:
        s = job["schema"]
        text = "\\set ON_ERROR_STOP 0\nSET client_min_messages = warning;\n"
        text += f"DROP SCHEMA IF EXISTS {s} CASCADE;\nCREATE SCHEMA {s};\nSET search_path = {s};\n"
        text += job["setup"] + "\n\\echo @@@START\n"
        for q in job["queries"]:
            text += q + ";\n\\echo @@@END :ERROR :'LAST_ERROR_MESSAGE'\n"
        text += f"DROP SCHEMA {s} CASCADE;\n"
        r = subprocess.run(["psql", job["postgres"], "-X", "-q", "--csv", "-t"], input=text,
                           capture_output=True, text=True)
        body = r.stdout.split("@@@START\n", 1)[-1]
        chunk = []
        for line in body.split("\n"):
            if line.startswith("@@@END "):
                parts = line.split(" ", 2)
                if parts[1] == "true":
                    out.append({"error": parts[2] if len(parts) > 2 else "error"})
                else:
                    rows = list(csv.reader(io.StringIO("\n".join(chunk) + "\n"))) if chunk else []
                    fixed = [["true" if c == "t" else "false" if c == "f" else c for c in row]
                             for row in rows]
                    out.append({"rows": fixed})
                chunk = []
            else:
                chunk.append(line)
        if len(out) != len(job["queries"]):
            sys.stderr.write(r.stderr)
            sys.exit(3)
    json.dump(out, sys.stdout)
    """#
}
