import Foundation
import Testing

@testable import Shell

/// What a user sees of the SQL compiler: readable SQL, one CTE per stage; errors at the
/// stage a dialect cannot express, with the reason; `--sql` printing nothing but SQL.
struct SQLCompilerTests {
  func session() -> Session {
    let s = Session()
    s.settings.format = .csv
    Builtins.load(into: s)
    return s
  }

  func sql(_ s: Session, _ text: String) -> (ok: Bool, out: String, err: String) {
    let sink = BufferSink()
    let ok = s.run(text, sink: sink)
    return (ok, sink.output, sink.diagnostics)
  }

  @Test func oneNamedCTEPerStageAndTheRowOrderAtTheEnd() {
    let r = sql(
      session(),
      ".sql scores | filter year == 2023 | group province (n = count()) | sort n desc | take 3")
    #expect(r.ok, "\(r.err)")
    for name in ["from_scores AS (", "filter_1 AS (", "group_2 AS (", "sort_3 AS (", "take_4 AS ("]
    {
      #expect(r.out.contains(name), "no \(name) in\n\(r.out)")
    }
    #expect(r.out.contains("GROUP BY province"))
    #expect(r.out.contains("ROW_NUMBER() OVER (ORDER BY n DESC NULLS LAST, _row) AS _row"))
    #expect(r.out.hasSuffix("FROM take_4\nORDER BY _row;\n"))
  }

  @Test func aLetBecomesACTEOfItsName() {
    let s = session()
    _ = sql(s, "let jatim = scores | filter province == \"Jawa Timur\"")
    let r = sql(s, ".sql jatim | group year")
    #expect(r.ok, "\(r.err)")
    #expect(r.out.contains("  jatim AS (\n    SELECT *\n    FROM filter_1\n  )"), "\(r.out)")
    #expect(r.out.contains("WHERE province = 'Jawa Timur'"))
  }

  @Test func eachDialectQuotesAndTypesInItsOwnWay() {
    let s = session()
    _ = sql(s, "let t = scores | select `Nama Daerah` = region, year, x = float(year)")
    var r = sql(s, ".sql t | filter `Nama Daerah` > \"K\"")
    #expect(r.out.contains("\"Nama Daerah\"") && r.out.contains("CAST(year AS DOUBLE)"))
    _ = sql(s, ".sql dialect postgres")
    r = sql(s, ".sql t | filter `Nama Daerah` > \"K\"")
    #expect(r.out.contains("\"Nama Daerah\" COLLATE \"C\" > 'K'"), "\(r.out)")
    #expect(r.out.contains("CAST(year AS double precision)") && r.out.contains("ORDER BY ctid"))
    _ = sql(s, ".sql dialect spark")
    r = sql(s, ".sql t | filter `Nama Daerah` ~ \"kota\"")
    #expect(r.out.contains("`Nama Daerah`") && r.out.contains("monotonically_increasing_id()"))
  }

  @Test func whatADialectCannotSayIsAnErrorAtItsStage() {
    let s = session()
    _ = sql(s, ".sql dialect sqlite")
    let r = sql(s, ".sql scores | group region (c = corr(score, year))")
    #expect(!r.ok)
    #expect(r.err.contains("error: corr has no SQLite form"), "\(r.err)")
    #expect(r.err.contains("1:38") && r.err.contains("^^^^^ not expressible in SQL"), "\(r.err)")
    #expect(r.err.contains("help: SQLite has no corr"), "\(r.err)")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "pantau-sql-\(getpid()).csv"
    ).path
    _ = FileManager.default.createFile(atPath: path, contents: Data("a,b\n1,x\n".utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let file = sql(s, ".sql from \"\(path)\" | take 1")
    #expect(!file.ok && file.err.contains("reading a file has no SQLite form"), "\(file.err)")
    _ = sql(s, ".sql dialect duckdb")
    let duck = sql(s, ".sql from \"\(path)\" | take 1")
    #expect(duck.ok && duck.out.contains("FROM read_csv('\(path)')"), "\(duck.out)")
  }

  @Test func wherePantauAndTheDialectDifferAWarningSaysSo() {
    let s = session()
    _ = sql(s, ".sql dialect sqlite")
    let r = sql(s, ".sql scores | derive r = upper(region) + text(year * 2) | take 1")
    #expect(r.ok)
    #expect(r.err.contains("warning: SQLite's upper() changes only ASCII letters"), "\(r.err)")
    #expect(r.err.contains("warning: SQLite turns an integer overflow into a float"))
    let chart = sql(s, ".sql scores | group year | trend year n")
    #expect(chart.ok && chart.err.contains("the trend chart is drawn by pantau"), "\(chart.err)")
  }

  @Test func pivotColumnsComeFromTheData() {
    let r = sql(
      session(), ".sql scores | filter indicator == \"kepatuhan\" | group year, zone | pivot zone n"
    )
    #expect(r.ok, "\(r.err)")
    #expect(
      r.out.contains("CAST(SUM(CASE WHEN zone = 'hijau' THEN n END) AS BIGINT) AS hijau"),
      "\(r.out)")
    #expect(r.out.contains("CASE WHEN zone IS NULL THEN n END"), "\(r.out)")
  }

  @Test func aBadDialectIsAUsageError() {
    let r = sql(session(), ".sql dialect oracle")
    #expect(!r.ok && r.err.contains("usage: .sql dialect duckdb|postgres|sqlite|spark"))
  }

  @Test func theCommandLinePrintsOnlySQL() throws {
    let (status, out, err) = try runProcess(
      pantauBinary,
      [
        "--sql", "postgres", "-c",
        "let k = scores | filter year == 2023\nk | take 2\n.sql dialect duckdb\nk | group zone",
      ])
    #expect(status == 0, "\(err)")
    let statements = out.components(separatedBy: ";\n").filter {
      !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
    #expect(statements.count == 2, "\(out)")
    #expect(
      statements.allSatisfy {
        $0.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("WITH")
      })
    #expect(out.contains("ORDER BY ctid"), "--sql's dialect wins over .sql dialect")
    let (bad, _, usage) = try runProcess(pantauBinary, ["--sql", "oracle", "-c", "scores"])
    #expect(bad == 2 && usage.contains("unknown SQL dialect \"oracle\""))
  }
}
