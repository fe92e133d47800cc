@testable import Columnar

/// A column's values as bits (a float's bit pattern, an int, a text value) and its nulls,
/// to compare two columns to the bit.
func bits(_ c: Column) -> [String] {
  (0..<c.count).map { r in
    guard c.validity.isValid(r) else { return "null" }
    switch c {
    case .float(let f): return String(f.values[r].bitPattern)
    case .int(let i): return String(i.values[r])
    case .text(let t): return t.dictionary[Int(t.codes[r])]
    default: return "?"
    }
  }
}
