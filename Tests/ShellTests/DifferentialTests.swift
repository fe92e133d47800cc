import Columnar
import Foundation
import TestSupport
import Testing

@testable import Shell

/// Random tables and random pipelines, answered by pantau and by sqlite3 running the
/// equivalent SQL on the same data; the answers must agree cell by cell (numbers to a
/// relative 1e-9, 1e-6 for stddev's different formula).
struct DifferentialTests {
  /// 24 tables of 20 queries each; `PANTAU_DIFF_SEEDS=N` runs N tables instead.
  static let seeds: [UInt64] = Array(
    1...max(1, UInt64(ProcessInfo.processInfo.environment["PANTAU_DIFF_SEEDS"] ?? "") ?? 24))
  static let queriesPerTable = 20

  @Test(arguments: seeds)
  func pantauAgreesWithSQLite(seed: UInt64) throws {
    try agree(seed: seed, rows: nil)
  }

  /// Tables of 100,000 rows, so that every size threshold of the engine's routes fires
  /// (streamed groups and tops, packed keys, top-k candidates).
  @Test(arguments: [UInt64(101), 102])
  func largeTablesAgreeWithSQLite(seed: UInt64) throws {
    try agree(seed: seed, rows: 100_000)
  }

  func agree(seed: UInt64, rows: Int?) throws {
    var rng = Random(seed: seed &* 7919)
    let data = RandomData(&rng, rows: rows)
    var cases: [QueryCase] = []
    for _ in 0..<DifferentialTests.queriesPerTable { cases.append(QueryGenerator.make(&rng)) }
    let expected = try SQLite.answers(
      "BEGIN;\n" + data.sqlSetup + "COMMIT;\n", cases.map(\.sql))
    try #require(
      expected.count == cases.count, "seed \(seed): sqlite3 gave \(expected.count) answers")
    let session = Session()
    session.settings.format = .csv
    let tTypes: [DataType] = [.int, .text, .int, .int, .float, .text]
    session.catalog.set(
      "t", typed(try TableReader.parse(Array(data.tCSV.utf8), path: "t.csv"), tTypes))
    session.catalog.set(
      "u", typed(try TableReader.parse(Array(data.uCSV.utf8), path: "u.csv"), [.text, .int, .int]))
    for (i, c) in cases.enumerated() {
      let sink = BufferSink()
      let ok = session.run(c.pantau, sink: sink)
      #expect(ok, "seed \(seed) case \(i): \(c.pantau)\n\(sink.diagnostics)")
      guard ok else { continue }
      let text = sink.output.hasPrefix("\n") ? String(sink.output.dropFirst()) : sink.output
      let ours = Array(
        text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast())
      let theirs = expected[i]
      let same =
        ours.count == theirs.count
        && zip(ours, theirs).allSatisfy {
          CSVCompare.rowsEqual(String($0), $1, tolerance: c.tolerance)
        }
      #expect(
        same,
        """
        seed \(seed) case \(i) differs
        pantau: \(c.pantau)
        sql:    \(c.sql)
        pantau rows (\(ours.count)): \(ours.prefix(30).joined(separator: " | "))
        sqlite rows (\(theirs.count)): \(theirs.prefix(30).joined(separator: " | "))
        """)
    }
  }
}

/// The table with the SQL schema's types: a column the CSV reader could not type (all
/// null, or no rows) gets its declared type; ints widen to floats.
func typed(_ t: Table, _ types: [DataType]) -> Table {
  var out = t
  for (i, type) in types.enumerated() where out.columns[i].type != type {
    out.columns[i] = .from(out.columns[i].values, type: type)
  }
  return out
}

struct QueryCase {
  var pantau: String
  var sql: String
  var tolerance = 1e-9
}

/// A seeded generator (SplitMix64).
struct Random {
  var mix: SplitMix
  init(seed: UInt64) { mix = SplitMix(seed: seed) }
  mutating func next() -> UInt64 { mix.next() }
  mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.count))
  }
  mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
  mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
  mutating func subset<T>(_ xs: [T], min: Int = 1) -> [T] {
    var out = xs.filter { _ in chance(0.5) }
    while out.count < min { out.append(pick(xs)) }
    var seen: [Int] = []
    return out.enumerated().filter { e in
      let i = xs.indices.first { "\(xs[$0])" == "\(e.element)" } ?? 0
      if seen.contains(i) { return false }
      seen.append(i)
      return true
    }.map(\.element)
  }
}

/// Two random tables with nulls, ties and repeated keys, as CSV and as SQL inserts.
struct RandomData {
  var tCSV = "id,g1,g2,x,y,s\n"
  var uCSV = "k,k2,w\n"
  var sqlSetup =
    "CREATE TABLE t(id INTEGER, g1 TEXT, g2 INTEGER, x INTEGER, y REAL, s TEXT);\n"
    + "CREATE TABLE u(k TEXT, k2 INTEGER, w INTEGER);\n"

  /// With `rows`, that many rows in `t` (else 0 to 60).
  init(_ rng: inout Random, rows: Int? = nil) {
    let n = rows ?? (rng.chance(0.1) ? 0 : rng.int(1...60))
    let words = ["alpha", "Beta", "gamma", "DELTA", "epsilon", "zeta", "Eta"]
    func sql(_ v: String?) -> String { v.map { "'\($0)'" } ?? "NULL" }
    func num(_ v: String?) -> String { v ?? "NULL" }
    for id in 0..<n {
      let g1: String? = rng.chance(0.1) ? nil : rng.pick(["a", "b", "c", "dd", "é"])
      let g2: String? = rng.chance(0.1) ? nil : String(rng.int(1...3))
      let x: String? = rng.chance(0.12) ? nil : String(rng.int(-20...20))
      let y: String? = rng.chance(0.12) ? nil : String(Double(rng.int(-20...20)) / 4 + 0.5)
      let s: String? = rng.chance(0.1) ? nil : rng.pick(words)
      tCSV += "\(id),\(g1 ?? ""),\(g2 ?? ""),\(x ?? ""),\(y ?? ""),\(s ?? "")\n"
      sqlSetup +=
        "INSERT INTO t VALUES(\(id),\(sql(g1)),\(num(g2)),\(num(x)),\(num(y)),\(sql(s)));\n"
    }
    for _ in 0..<rng.int(1...12) {
      let k: String? = rng.chance(0.1) ? nil : rng.pick(["a", "b", "c", "zz"])
      let k2: String? = rng.chance(0.1) ? nil : String(rng.int(1...3))
      let w = String(rng.int(0...9))
      uCSV += "\(k ?? ""),\(k2 ?? ""),\(w)\n"
      sqlSetup += "INSERT INTO u VALUES(\(sql(k)),\(num(k2)),\(w));\n"
    }
    uCSV += ""
  }
}

/// Compares CSV rows from pantau and sqlite3: numbers numerically, null as empty.
enum CSVCompare {
  static func cells(_ row: String) -> [String] {
    var out: [String] = []
    var cur = ""
    var quoted = false
    var it = Array(row)
    var i = 0
    while i < it.count {
      let ch = it[i]
      if quoted {
        if ch == "\"" {
          if i + 1 < it.count && it[i + 1] == "\"" {
            cur.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else {
          cur.append(ch)
        }
      } else if ch == "\"" {
        quoted = true
      } else if ch == "," {
        out.append(cur)
        cur = ""
      } else {
        cur.append(ch)
      }
      i += 1
    }
    out.append(cur)
    it = []
    return out
  }

  static func rowsEqual(_ a: String, _ b: String, tolerance: Double) -> Bool {
    let x = cells(a)
    let y = cells(b)
    guard x.count == y.count else { return false }
    for (p, q) in zip(x, y) where p != q {
      guard let u = Double(p), let v = Double(q) else { return false }
      let scale = max(1, abs(u), abs(v))
      if abs(u - v) > tolerance * scale { return false }
    }
    return true
  }
}

/// Runs sqlite3 once per table with every query, each answer after a marker line.
enum SQLite {
  static func answers(_ setup: String, _ queries: [String]) throws -> [[String]] {
    var script = setup + ".headers off\n.mode csv\n.nullvalue ''\n"
    for q in queries { script += "SELECT '@@@';\n\(q);\n" }
    let (status, out, err) = try runProcess("/usr/bin/sqlite3", [":memory:"], input: script)
    guard status == 0, err.isEmpty, out.components(separatedBy: "@@@").count == queries.count + 1
    else {
      try? script.write(toFile: "/tmp/pantau-sqlite-failed.sql", atomically: true, encoding: .utf8)
      throw SQLiteError(message: "sqlite3 failed (\(status)): \(err)")
    }
    var answers: [[String]] = []
    let unix = out.replacing("\r\n", with: "\n")
    for line in unix.split(separator: "\n", omittingEmptySubsequences: false) {
      let l = String(line)
      if l == "@@@" {
        answers.append([])
      } else if !answers.isEmpty {
        answers[answers.count - 1].append(l)
      }
    }
    if var last = answers.last, last.last == "" {
      last.removeLast()
      answers[answers.count - 1] = last
    }
    return answers
  }

  struct SQLiteError: Error { var message: String }
}
