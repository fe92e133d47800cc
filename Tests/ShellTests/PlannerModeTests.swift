import Columnar
import Foundation
import Language
import Testing

@testable import Shell

/// Every pipeline run with the fast planner and with the general one gives the same
/// output, warnings and errors (with their carets): random pipelines over small tables and
/// over tables of 100,000 rows (where every size threshold of the fast routes fires), and
/// the shapes the planner fuses or prunes. (The notebooks run both ways in `NotebookTests`.)
struct PlannerModeTests {
  /// Pipelines whose fast plans fuse stages or take a streaming route.
  static func fusedShape(_ rng: inout Random) -> String {
    let (p, _) = QueryGenerator.predicate(&rng)
    let col = rng.pick(["x", "y"])
    let key = rng.pick(["g1", "g2", "s"])
    switch rng.int(0...17) {
    case 0: return "t | join u on g1 == k | group k2 (n = count(), sx = sum(x), my = max(y))"
    case 1: return "t | join u on g1 == k | group w (n = count(), a = avg(\(col)))"
    case 2: return "t | rank \(col) by \(key) as r | filter r <= \(rng.int(0...3))"
    case 3: return "t | filter \(p) | derive z = x * 2 | group \(key) (n = count(), s = sum(z))"
    case 4: return "t | group id, g1, g2, x, y, s (n = count(), sx = sum(x))"
    case 5:
      return "t | derive c = cumsum(x), r = rank() by g2 order \(col), id | select id, c, r"
    case 6: return "t | filter \(p) | sort \(col) desc, id | take \(rng.int(0...5))"
    case 7: return "t | sort \(col), s desc | take \(rng.int(0...5))"
    case 8: return "t | filter \(p) | group \(key) (n = count(), m = min(\(col)), a = avg(x))"
    case 9: return "t | filter \(p) | group \(key), g2 (m = median(\(col)), sd = stddev(x))"
    case 10: return "t | join left u on g2 == k2 | group k (n = count(), s = sum(w))"
    // Operators given only the columns read above them.
    case 11: return "t | append t | group \(key) (n = count(), s = sum(x))"
    case 12: return "t | sort \(col) desc, id | select id, \(col)"
    case 13: return "t | join u on g1 == k | select id, w"
    case 14: return "t | append t | distinct \(key)"
    case 15: return "t | filter \(p) | sort \(col), id | take \(rng.int(0...5)) | select id"
    case 16: return "t | derive z = x * 2 | sort y, id | select id, \(col)"
    default:
      return "t | top \(rng.int(1...3)) \(col) by \(key) no ties | select id, \(key), \(col), rank"
    }
  }

  /// The output and diagnostics of each pipeline in one session.
  static func outcomes(_ session: Session, _ pipelines: [String]) -> [String] {
    pipelines.map { text in
      let sink = BufferSink()
      _ = session.run(text, sink: sink)
      return sink.output + "\n--\n" + sink.diagnostics
    }
  }

  static func compare(_ data: RandomData, _ pipelines: [String], _ label: String) {
    let fast = SQLDifferentialTests.session(data)
    fast.planner = Planner(mode: .fast)
    let general = SQLDifferentialTests.session(data)
    general.planner = Planner(mode: .general)
    let a = outcomes(fast, pipelines)
    let b = outcomes(general, pipelines)
    for (i, text) in pipelines.enumerated() where a[i] != b[i] {
      Issue.record(
        "\(label): \(text)\nfast:    \(a[i].prefix(600))\ngeneral: \(b[i].prefix(600))")
    }
  }

  @Test(arguments: Array(UInt64(1)...16))
  func smallTablesBothWays(seed: UInt64) {
    var rng = Random(seed: seed &* 104_729)
    let data = RandomData(&rng)
    var pipelines = SQLDifferentialTests.pipelines(&rng)
    for _ in 0..<12 { pipelines.append(Self.fusedShape(&rng)) }
    Self.compare(data, pipelines, "seed \(seed)")
  }

  @Test(arguments: [UInt64(7), 8])
  func largeTablesBothWays(seed: UInt64) {
    var rng = Random(seed: seed &* 104_729)
    let data = RandomData(&rng, rows: 100_000)
    var pipelines = (0..<8).map { _ in QueryGenerator.make(&rng).pantau }
    for _ in 0..<12 { pipelines.append(Self.fusedShape(&rng)) }
    Self.compare(data, pipelines, "seed \(seed), 100,000 rows")
  }

  /// `.explain` runs nothing: on a join whose answer would be 10^10 rows it answers at
  /// once with the operators; `.explain analyze` runs and shows the rows.
  @Test func explainRunsNothing() {
    let session = Session()
    session.settings.format = .csv
    let n = 100_000
    let ones = Column.int(TypedColumn([Int](repeating: 1, count: n)))
    session.catalog.set("a", Table([("k", ones)]))
    session.catalog.set("b", Table([("k", ones), ("v", ones)]))
    let big = BufferSink()
    #expect(session.run(".explain a | join b on k | group v (n = count())", sink: big))
    #expect(big.output.contains("join-group (no joined table),join b on k | group v"))
    #expect(big.output.contains("scan b,b,\"k int, v int\",100000"), "\(big.output)")
    let sink = BufferSink()
    #expect(
      session.run(".explain analyze a | filter k > 0 | take 3", sink: sink), "\(sink.diagnostics)")
    let rows = sink.output.split(separator: "\n").map(String.init)
    #expect(rows.first == "operator,stages,columns,estimate,rows,ms,note", "\(sink.output)")
    #expect(rows.count == 4)
    #expect(rows[1].hasPrefix("take 3,take 3,k int,≤ 3,3,"), "\(sink.output)")
    #expect(rows[2].hasPrefix("└─ filter,filter k > 0,k int,≤ 100000,100000,"), "\(sink.output)")
  }

  /// `.explain` does not run a pivot: it plans up to it and names the stages left.
  @Test func explainStopsAtAPivot() {
    let session = Session()
    session.settings.format = .csv
    session.catalog.set(
      "t",
      Table([
        ("r", .text(TextColumn(["a", "a", "b"]))), ("y", .int(TypedColumn([1, 2, 1]))),
        ("v", .int(TypedColumn([5, 6, 7]))),
      ]))
    let sink = BufferSink()
    #expect(session.run(".explain t | pivot y v | filter r == \"a\"", sink: sink))
    #expect(sink.output.contains("pivot,pivot y v,r text,≤ 3\n"), "\(sink.output)")
    #expect(sink.output.hasSuffix("after the pivot (planned once it has run): filter r == \"a\"\n"))
    let analyzed = BufferSink()
    #expect(session.run(".explain analyze t | pivot y v | filter r == \"a\"", sink: analyzed))
    #expect(analyzed.output.contains("\"r text, 1 int, 2 int\",≤ 2,1,"), "\(analyzed.output)")
  }
}
