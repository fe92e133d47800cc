import Columnar
import Testing

@testable import Language

/// An expression of numbers over many rows is evaluated a chunk of rows at a time on every
/// core. Each row must get what the whole-column evaluation gives it (the general planner
/// evaluates whole columns), worked out here row by row for some; an error must be the one
/// the whole-column evaluation raises first, even when another chunk fails earlier in
/// its rows; and the warnings of float results made null must be counted and ordered alike.
struct ChunkedEvaluationTests {
  /// More rows than the chunked evaluation starts from, and not a whole number of chunks.
  static let n = Tuning.chunkedExpressionsFrom * 2 + 4_321
  static let i: [Int] = (0..<n).map { ($0 &* 7_919) % 20_001 - 10_000 }
  static let f: [Double] = (0..<n).map { Double(($0 &* 31) % 997) / 8 - 60 }
  static let m: [Int?] = (0..<n).map { $0 % 7 == 2 ? nil : $0 % 101 - 50 }
  static let g: [Double?] = (0..<n).map { $0 % 5 == 1 ? nil : Double($0 % 89) * 0.25 }

  static var table: Table {
    Table([
      ("i", .int(TypedColumn(i))), ("f", .float(TypedColumn(f))),
      ("m", .int(TypedColumn(optionals: m, placeholder: 0))),
      ("g", .float(TypedColumn(optionals: g, placeholder: 0))),
      ("big", .int(TypedColumn((0..<n).map { $0 == n - 10 ? Int.max / 3 : $0 }))),
      ("huge", .float(TypedColumn((0..<n).map { $0 >= n - 500 ? 1e307 : 1 }))),
      ("early", .float(TypedColumn((0..<n).map { $0 < 100 ? 1e307 : 1 }))),
      ("wide", .int(TypedColumn((0..<n).map { $0 == 1 ? Int.max / 2 + 1 : 1 }))),
    ])
  }

  func values(_ c: Column) -> [Value] { (0..<c.count).map { c.value(at: $0) } }

  @Test func eachRowGetsItsOwnValue() throws {
    let t = try runBothWays(
      "t | select a = i * 3 + f, b = if(f > 0, g, f * 2), c = coalesce(g, m * 0.5), "
        + "d = m == null, e = abs(i) - round(f), h = f in 1..10 or m > 40",
      over: [("t", Self.table)])[0]
    let (i, f, m, g) = (Self.i, Self.f, Self.m, Self.g)
    let expected: [[Value]] = [
      zip(i, f).map { .float(Double($0 * 3) + $1) },
      zip(f, g).map { f, g in f > 0 ? (g.map { .float($0) } ?? .null) : .float(f * 2) },
      zip(g, m).map { g, m in g.map { .float($0) } ?? m.map { .float(Double($0) * 0.5) } ?? .null },
      m.map { .bool($0 == nil) },
      zip(i, f).map { .float(Double(abs($0)) - $1.rounded(.toNearestOrAwayFromZero)) },
      zip(f, m).map { f, m in
        if f >= 1 && f <= 10 { return .bool(true) }
        guard let m else { return .null }
        return .bool(m > 40)
      },
    ]
    for (k, column) in t.columns.enumerated() {
      let same = values(column) == expected[k]
      #expect(same, "column \(t.names[k])")
    }
  }

  /// `big * 4` overflows only near the last row; `wide + wide` at the second row. The
  /// whole-column evaluation computes `big * 4` first, so its overflow is the error,
  /// though the chunk of the first rows fails at the addition first.
  @Test func anErrorIsTheOneTheWholeColumnRaisesFirst() throws {
    do {
      _ = try runBothWays("t | derive x = big * 4 + (wide + wide)", over: [("t", Self.table)])
      Issue.record("expected an overflow")
    } catch let d as Diagnostic {
      #expect(d.message == "integer overflow in *", "\(d.message)")
    }
  }

  /// `huge * 100` is infinite only in the last chunk's rows, `early * 100` only in the
  /// first's: the warnings come in the order of the expression (as the whole-column
  /// evaluation records them), with every row counted.
  @Test func warningsAreCountedAndOrderedAsForTheWholeColumn() throws {
    var catalog = Catalog()
    catalog.set("t", Self.table)
    let context = CheckContext(catalog: catalog, directory: ".")
    let statement = try Parser.parse(
      SourceText(name: "test", text: "t | derive x = huge * 100 + early * 100 + f"))
    guard case .pipeline(let p) = statement[0] else { return }
    let plan = try Checker(context).check(p).plan
    var warnings: [[String]] = []
    for mode in Planner.Mode.allCases {
      var e = Executor(cancellation: nil)
      e.planner = Planner(mode: mode)
      _ = try e.run(plan)
      warnings.append(e.warnings.map { "\($0.message) at \(String(describing: $0.span?.start))" })
    }
    #expect(warnings[0] == warnings[1])
    #expect(warnings[0].count == 2)
    #expect(warnings[0].first?.hasPrefix("500 float results") == true)
    #expect(warnings[0].last?.hasPrefix("100 float results") == true)
  }

  /// A filter's condition of numbers is evaluated by chunks too: the rows kept are those
  /// whose condition the whole-column evaluation finds true (nulls dropped), worked out
  /// here row by row; an overflow in it is the whole-column evaluation's error, at its
  /// place in the filter.
  @Test func aFilterKeepsTheRowsTheWholeColumnKeeps() throws {
    let kept = try runBothWays(
      "t | filter i % 3 + f > 0 and (m * 2 > 10 or g * 4 < 30) | select i",
      over: [("t", Self.table)])[0]
    var expected: [Value] = []
    for r in 0..<Self.n {
      let first = Double(Self.i[r] % 3) + Self.f[r] > 0
      let left: Bool? = Self.m[r].map { $0 * 2 > 10 }
      let right: Bool? = Self.g[r].map { $0 * 4 < 30 }
      let either: Bool? =
        left == true || right == true ? true : (left == nil || right == nil ? nil : false)
      if first && either == true { expected.append(.int(Self.i[r])) }
    }
    #expect(kept.rowCount > 1_000)
    #expect(values(kept.columns[0]) == expected)
    do {
      _ = try runBothWays("t | filter big * 4 + (wide + wide) > 0", over: [("t", Self.table)])
      Issue.record("expected an overflow")
    } catch let d as Diagnostic {
      #expect(d.message == "integer overflow in *", "\(d.message)")
      #expect(d.span?.start == 4, "at the filter stage")
    }
  }
}
