import Columnar
import Foundation
import SQL
import Testing

@testable import Shell

/// Writes the differential cases for Spark, which `swift test` does not run itself (a
/// local Spark takes a JVM and a minute to start): with `PANTAU_SPARK_CASES=FILE`, the
/// random tables as Spark SQL, each random pipeline's compiled `spark` SQL and pantau's own
/// answer go to FILE as JSON, and `python3 Benchmarks/spark/check.py FILE` runs them on
/// Spark and compares.
struct SparkCases {
  static let file = ProcessInfo.processInfo.environment["PANTAU_SPARK_CASES"]

  @Test(.enabled(if: file != nil, "only with PANTAU_SPARK_CASES=FILE (see Benchmarks/spark)"))
  func writeCases() throws {
    var out: [[String: Any]] = []
    for seed in SQLDifferentialTests.seeds {
      var rng = Random(seed: seed &* 104_729)
      let data = RandomData(&rng)
      let pipelines = SQLDifferentialTests.pipelines(&rng)
      let session = SQLDifferentialTests.session(data)
      var setup = ""
      for name in ["t", "u"] {
        guard let t = session.catalog.tables[name] else { continue }
        setup += SQLTables.script(name, t, .spark)
        session.sqlOrderColumns[name] = "_row"
      }
      var cases: [[String: Any]] = []
      for p in pipelines {
        let run = BufferSink()
        guard session.run(p, sink: run) else { continue }
        let ours = SQLDifferentialTests.rows(run.output).map { CSVCompare.cells($0) }
        session.settings.sqlOnly = .spark
        let sink = BufferSink()
        let ok = session.run(p, sink: sink)
        session.settings.sqlOnly = nil
        session.resetSeparator()
        guard ok else {
          #expect(sink.diagnostics.contains("has no Spark SQL form"), "\(p)\n\(sink.diagnostics)")
          continue
        }
        var sql = sink.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if sql.hasSuffix(";") { sql.removeLast() }
        cases.append(["pipeline": p, "sql": sql, "rows": ours])
      }
      out.append(["seed": seed, "setup": setup, "cases": cases])
    }
    let data = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
    try data.write(to: URL(fileURLWithPath: try #require(Self.file)))
  }
}
