import Columnar

/// CSV (RFC 4180 quoting) or TSV (tabs and newlines in values escaped as `\t`, `\n`). Null
/// is an empty field; an empty text is `""` in CSV so that it reads back as text.
///
/// Written as bytes, a column at a time within each row: a text column's dictionary
/// entries are escaped once, not once per row, and ints are written digit by digit; no
/// value is boxed and no string made per cell but a float's.
struct DelimitedRenderer {
  let separator: Character
  var cancellation: Cancellation? = nil
  var decimalComma = false
  var bom = false

  /// The table as UTF-8 bytes.
  func bytes(_ t: Table) -> [UInt8] {
    let sep = Array(String(separator).utf8)
    var out: [UInt8] = bom ? [0xEF, 0xBB, 0xBF] : []
    for (i, name) in t.names.enumerated() {
      if i > 0 { out += sep }
      out += escape(Array(name.utf8), sep)
    }
    out.append(10)
    let cells = Shared(t.columns.map { CellWriter($0, self, sep, rows: t.rowCount) })
    let renderer = Shared(self)
    RenderBytes.byShares(rows: t.rowCount, into: &out) { range in
      renderer.value.rows(range, cells.value, sep)
    }
    return out
  }

  /// The rows `range`, each ending in a newline.
  private func rows(_ range: Range<Int>, _ cells: [CellWriter], _ sep: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(range.count * (cells.count * 6 + 1))
    // (Read through a buffer, the writers are borrowed, not retained per cell.)
    cells.withUnsafeBufferPointer { cells in
      for r in range {
        if r & 0x3FFF == 0, cancellation?.isCancelled == true { break }
        for i in cells.indices {
          if i > 0 {
            if sep.count == 1 { out.append(sep[0]) } else { out += sep }
          }
          cells[i].write(r, into: &out)
        }
        out.append(10)
      }
    }
    return out
  }

  /// A cell's bytes, escaped: in CSV, quoted when it holds the separator, a quote or a line
  /// break (its quotes doubled); in TSV, tabs and line breaks written `\t` and `\n`.
  func escape(_ s: [UInt8], _ sep: [UInt8]) -> [UInt8] {
    if separator == "\t" {
      guard s.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 }) else { return s }
      var out: [UInt8] = []
      var i = 0
      while i < s.count {
        switch s[i] {
        case 9: out += [92, 116]
        case 13:
          out += [92, 110]
          if i + 1 < s.count && s[i + 1] == 10 { i += 1 }
        case 10: out += [92, 110]
        default: out.append(s[i])
        }
        i += 1
      }
      return out
    }
    let special = s.contains { $0 == 34 || $0 == 10 || $0 == 13 } || contains(s, sep)
    guard special else { return s }
    var out: [UInt8] = [34]
    for b in s {
      out.append(b)
      if b == 34 { out.append(34) }
    }
    out.append(34)
    return out
  }

  private func contains(_ s: [UInt8], _ part: [UInt8]) -> Bool {
    guard !part.isEmpty, s.count >= part.count else { return false }
    for i in 0...(s.count - part.count) where s[i] == part[0] {
      if part.count == 1 || Array(s[i..<i + part.count]) == part { return true }
    }
    return false
  }
}

/// How one column's cells are written: a text column's dictionary entries escaped once
/// into one buffer, an int column's values, or any other column formatted per value.
private final class CellWriter {
  /// Which of the ways below writes the column.
  enum Kind { case text, int, float, other }
  let kind: Kind
  let validity: Validity
  let codes: [UInt32]
  let entries: EntryBytes
  let ints: [Int]
  /// A float column's values (written in their shortest form, escaped only when the
  /// separator is a character of it).
  let floats: [Double]
  let column: Column?
  let renderer: DelimitedRenderer
  let sep: [UInt8]
  /// Whether the separator can be a character of a float's text.
  let floatsNeedEscape: Bool

  /// (A dictionary larger than the rows, a few rows taken from many, is escaped a row at a
  /// time instead.)
  init(_ column: Column, _ renderer: DelimitedRenderer, _ sep: [UInt8], rows: Int) {
    (self.renderer, self.sep, validity) = (renderer, sep, column.validity)
    floatsNeedEscape = sep.contains { Array("0123456789.-+einfa".utf8).contains($0) }
    var (codes, entries, ints, other): ([UInt32], EntryBytes, [Int], Column?) =
      ([], EntryBytes(), [], nil)
    var floats: [Double] = []
    var kind = Kind.other
    switch column {
    case .text(let t) where t.dictionary.count <= rows:
      kind = .text
      let comma = renderer.separator == ","
      codes = t.codes
      entries = EntryBytes(t.dictionary) { s in
        s.isEmpty && comma ? [34, 34] : renderer.escape(Array(s.utf8), sep)
      }
    case .int(let c):
      (kind, ints) = (.int, c.values)
    case .float(let c) where !renderer.decimalComma:
      (kind, floats) = (.float, c.values)
    default:
      other = column
    }
    (self.codes, self.entries, self.ints, self.column) = (codes, entries, ints, other)
    (self.floats, self.kind) = (floats, kind)
  }

  func write(_ r: Int, into out: inout [UInt8]) {
    guard validity.isValid(r) else { return }
    switch kind {
    case .text:
      entries.append(Int(codes[r]), to: &out)
    case .int:
      RenderBytes.digits(ints[r], into: &out)
    case .float:
      let text = CellText.format(floats[r])
      if floatsNeedEscape {
        out += renderer.escape(Array(text.utf8), sep)
      } else {
        out.append(contentsOf: text.utf8)
      }
    case .other:
      guard let column else { return }
      let v = column.value(at: r)
      if case .text(let s) = v, s.isEmpty, renderer.separator == "," {
        out += [34, 34]
      } else if renderer.decimalComma, case .float = v {
        out += renderer.escape(Array(CellText.format(v).replacing(".", with: ",").utf8), sep)
      } else {
        out += renderer.escape(Array(CellText.format(v).utf8), sep)
      }
    }
  }
}
