import TestSupport
import Testing

@testable import Columnar

/// The fast reader takes any delimiter, title rows, a missing header, decimal commas and
/// null tokens by itself; the general path (`CellNormalizer`, then plain CSV) reads the same files.
/// Random files in many dialects, read both ways: the same names, types and bits.
struct DialectPathTests {
  func cell(_ rng: inout SplitMix, kind: Int, decimal: UInt8, delimiter: UInt8) -> String {
    let r = rng.next()
    if r % 11 == 0 { return "" }
    if r % 17 == 0 { return ["-", "NA", " - ", "\"NA\""][Int(r / 17 % 4)] }
    switch kind {
    case 0: return String(Int(r % 200_000) - 100_000)
    case 1:
      let v = String(Double(Int(r % 2_000_000) - 1_000_000) / 100)
      return decimal == 44 ? String(v.map { $0 == "." ? "," : $0 }) : v
    case 2: return ["0501", "007", "3510", "0000"][Int(r % 4)]
    case 3: return ["2024-01-0\(r % 9 + 1)", "2023-12-31"][Int(r % 2)]
    case 4: return r % 2 == 0 ? "true" : "FALSE"
    case 5:
      let d = String(UnicodeScalar(delimiter))
      return ["Kab. Aceh", "\"a\(d) b\"", "\"say \"\"hi\"\"\"", "Kota Batu", "x"][Int(r % 5)]
    default: return r % 3 == 0 ? "1" : "1.5.\(r % 7)"
    }
  }

  @Test func fastAndGeneralPathsReadEveryDialectAlike() throws {
    var rng = SplitMix(seed: 2024)
    for round in 0..<300 {
      let delimiter: UInt8 = [44, 59, 9, 124][Int(rng.next() % 4)]
      let decimal: UInt8 = delimiter == 44 ? 46 : [46, 44][Int(rng.next() % 2)]
      let width = Int(rng.next() % 6) + 1
      let kinds = (0..<width).map { _ in Int(rng.next() % 7) }
      let d = String(UnicodeScalar(delimiter))
      let eol = rng.next() % 4 == 0 ? "\r\n" : "\n"
      var text = ""
      for t in 0..<Int(rng.next() % 3) { text += "Laporan \(t + 1)" + eol }
      let header = rng.next() % 5 != 0
      if header { text += (0..<width).map { "kolom \($0)" }.joined(separator: d) + eol }
      for _ in 0..<Int(rng.next() % 40) + 1 {
        text +=
          kinds.map { cell(&rng, kind: $0, decimal: decimal, delimiter: delimiter) }.joined(
            separator: d) + eol
      }
      let bytes = Array(text.utf8)
      var options = ReadOptions()
      if round % 3 == 0 { options.nulls = ["-", "NA"] }
      var general = options
      general.forceGeneral = true
      let fast = try? TableReader.load(bytes: bytes, path: "f.csv", options: options)
      let slow = try? TableReader.load(bytes: bytes, path: "f.csv", options: general)
      #expect((fast == nil) == (slow == nil), "round \(round): one path failed\n\(text)")
      guard let (a, ra) = fast, let (b, rb) = slow else { continue }
      #expect(ra.dialect == rb.dialect, "round \(round)")
      #expect(a.names == b.names, "round \(round)\n\(text)")
      #expect(a.columns.map(\.type) == b.columns.map(\.type), "round \(round)\n\(text)")
      #expect(a.rowCount == b.rowCount, "round \(round)")
      for c in a.columns.indices where c < b.columns.count {
        for r in 0..<min(a.rowCount, b.rowCount) {
          let x = a.columns[c].value(at: r)
          let y = b.columns[c].value(at: r)
          if case .float(let u) = x, case .float(let v) = y {
            #expect(u.bitPattern == v.bitPattern, "round \(round) [\(r), \(c)]")
          } else {
            #expect(x == y, "round \(round) [\(r), \(c)]: \(x) vs \(y)\n\(text)")
          }
        }
      }
    }
  }
}
