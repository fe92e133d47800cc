import Columnar
import Testing

@testable import Language

/// `+`, `-` and `*` over whole columns (one loop straight from the arrays when the rows
/// allow) give what each row's arithmetic gives, worked out here row by row: with and
/// without nulls, an int side read as floats, a constant on either side, and an overflow
/// an error, never a wrapped value. So do comparisons of two columns (text through its
/// codes).
struct ArithmeticTests {
  static let n = 5000
  static let i: [Int] = (0..<n).map { ($0 &* 7919) % 20_001 - 10_000 }
  static let j: [Int] = (0..<n).map { ($0 &* 104_729) % 3001 - 1500 }
  static let f: [Double] = (0..<n).map { Double(($0 &* 31) % 997) / 8 - 60 }
  static let nulls: [Int?] = (0..<n).map { $0 % 5 == 0 ? nil : ($0 % 101) - 50 }

  func run(_ text: String) throws -> Table {
    let t = Table([
      ("i", .int(TypedColumn(Self.i))), ("j", .int(TypedColumn(Self.j))),
      ("f", .float(TypedColumn(Self.f))),
      ("m", .int(TypedColumn(optionals: Self.nulls, placeholder: Int.max))),
      ("big", .int(TypedColumn((0..<Self.n).map { $0 == 4321 ? Int.max / 2 + 1 : $0 }))),
    ])
    return try runBothWays(text, over: [("t", t)])[0]
  }

  func values(_ c: Column) -> [Value] { (0..<c.count).map { c.value(at: $0) } }

  @Test func intsGiveEachRowsArithmetic() throws {
    let t = try run(
      "t | select a = i + j, b = i - j, c = i * j, d = i * 3, e = 7 - j, g = m * 2, h = m + i")
    let (i, j, m) = (Self.i, Self.j, Self.nulls)
    let expected: [[Value]] = [
      zip(i, j).map { .int($0 + $1) }, zip(i, j).map { .int($0 - $1) },
      zip(i, j).map { .int($0 * $1) }, i.map { .int($0 * 3) }, j.map { .int(7 - $0) },
      m.map { $0.map { .int($0 * 2) } ?? .null },
      zip(m, i).map { x, y in x.map { .int($0 + y) } ?? .null },
    ]
    for (k, column) in t.columns.enumerated() {
      let same = values(column) == expected[k]
      #expect(same, "column \(t.names[k])")
    }
  }

  @Test func floatsGiveEachRowsArithmetic() throws {
    let t = try run(
      "t | select a = f + i, b = i - f, c = f * f, d = f * 0.5, e = 2 - f, g = m * 1.5, "
        + "h = 0.25 + i")
    let (i, f, m) = (Self.i, Self.f, Self.nulls)
    let expected: [[Value]] = [
      zip(f, i).map { .float($0 + Double($1)) }, zip(i, f).map { .float(Double($0) - $1) },
      f.map { .float($0 * $0) }, f.map { .float($0 * 0.5) }, f.map { .float(2 - $0) },
      m.map { $0.map { .float(Double($0) * 1.5) } ?? .null },
      i.map { .float(0.25 + Double($0)) },
    ]
    for (k, column) in t.columns.enumerated() {
      let same = values(column) == expected[k]
      #expect(same, "column \(t.names[k])")
    }
  }

  @Test func anOverflowIsAnErrorNotAWrappedValue() throws {
    for text in [
      "t | derive o = big * 2", "t | derive o = big + big", "t | derive o = 0 - big - big - big",
    ] {
      #expect(throws: Diagnostic.self, "\(text)") { try run(text) }
    }
    // A null row's placeholder (Int.max here) is never computed on.
    #expect(try run("t | derive o = m * 4 | filter o > 0").rowCount > 1000)
  }

  @Test func twoColumnsCompareAsEachRowDoes() throws {
    let words: [String?] = ["Kab B", "kota a", "Kota A", "é", "", nil, "Kab B ", "Kota A"]
    let p: [String?] = (0..<Self.n).map { words[$0 % words.count] }
    let q: [String?] = (0..<Self.n).map { words[($0 * 5 + 3) % words.count] }
    let t = Table([
      ("p", .text(TextColumn(p))), ("q", .text(TextColumn(q.reversed()))),
      ("i", .int(TypedColumn(Self.i))), ("j", .int(TypedColumn(Self.j))),
      ("f", .float(TypedColumn(Self.f))),
      ("m", .int(TypedColumn(optionals: Self.nulls, placeholder: Int.max))),
    ])
    let out = try runBothWays(
      "t | select a = p == q, b = p != q, c = p < q, d = p <= q, e = p > q, g = p >= q, "
        + "h = i < j, k = f >= i, l = m == j, o = m > i",
      over: [("t", t)])[0]
    let qr = Array(q.reversed())
    func texts(_ holds: @escaping (Int) -> Bool) -> [Value] {
      (0..<Self.n).map { r in
        guard let x = p[r], let y = qr[r] else { return .null }
        let order = x == y ? 0 : x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        return .bool(holds(order))
      }
    }
    let (i, j, f, m) = (Self.i, Self.j, Self.f, Self.nulls)
    let expected: [[Value]] = [
      texts { $0 == 0 }, texts { $0 != 0 }, texts { $0 < 0 }, texts { $0 <= 0 },
      texts { $0 > 0 }, texts { $0 >= 0 },
      zip(i, j).map { .bool($0 < $1) }, zip(f, i).map { .bool($0 >= Double($1)) },
      zip(m, j).map { x, y in x.map { .bool($0 == y) } ?? .null },
      zip(m, i).map { x, y in x.map { .bool($0 > y) } ?? .null },
    ]
    for (k, column) in out.columns.enumerated() {
      let same = values(column) == expected[k]
      #expect(same, "column \(out.names[k])")
    }
  }

  /// A filter comparing two columns of one type writes straight into its row mask.
  @Test func aFilterOnTwoColumnsKeepsTheRowsWhereTheyCompare() throws {
    let g: [Double] = (0..<Self.n).map { Double(($0 &* 17) % 991) / 8 - 60 }
    let t = Table([
      ("i", .int(TypedColumn(Self.i))), ("j", .int(TypedColumn(Self.j))),
      ("f", .float(TypedColumn(Self.f))), ("g", .float(TypedColumn(g))),
      ("m", .int(TypedColumn(optionals: Self.nulls, placeholder: Int.max))),
      ("r", .int(TypedColumn(Array(0..<Self.n)))),
    ])
    let (i, j, f, m) = (Self.i, Self.j, Self.f, Self.nulls)
    let cases: [(String, (Int) -> Bool)] = [
      ("i < j", { i[$0] < j[$0] }), ("j >= i", { j[$0] >= i[$0] }),
      ("f == g", { f[$0] == g[$0] }), ("f != g and i > j", { f[$0] != g[$0] && i[$0] > j[$0] }),
      ("m <= j", { r in m[r].map { $0 <= j[r] } ?? false }),
      ("m != i", { r in m[r].map { $0 != i[r] } ?? false }),
    ]
    for (condition, holds) in cases {
      let out = try runBothWays("t | filter \(condition) | select r", over: [("t", t)])[0]
      let kept = (0..<out.rowCount).map { out.columns[0].value(at: $0) }
      #expect(kept == (0..<Self.n).filter(holds).map { .int($0) }, "\(condition)")
    }
  }
}
