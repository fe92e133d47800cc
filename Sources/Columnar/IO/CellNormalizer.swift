/// The general path for delimited files that the plain reader cannot take as they are: the
/// records are read in their own dialect (delimiter, quote, title rows, header or not) and
/// written again as plain CSV, numbers in plain form (`1.234,5` → `1234.5`, ` 12` → `12`),
/// the null words as empty cells, rows that do not fit left out when asked. Columns whose
/// cells must stay text (a code like `35.10` in a decimal-comma file, a column given as
/// text) are named for the reader.
struct CellNormalizer {
  let dialect: Dialect
  let options: ReadOptions
  let path: String
  /// Columns whose cells are written as they are (numbers not rewritten): those that turn
  /// out to be text, found by a first run (see `Output.mixed`).
  var raw: Set<Int> = []

  struct Output {
    var csv: [UInt8]
    var names: [String]
    /// The file line of each row of `csv`.
    var lines: [Int]
    var textColumns: Set<Int>
    var rejects: [(line: Int, reason: String)]
    /// Columns where a number was rewritten and some other cell is not a number: they will
    /// be text, whose cells must read as written, so the run is made again with them raw.
    var mixed: Set<Int> = []
  }

  /// The plain form of a number written in the dialect (sign, digits, `.` decimals), or
  /// nil when the cell is not one.
  static func number(_ cell: ArraySlice<UInt8>, _ d: Dialect) -> [UInt8]? {
    var t = cell
    while let f = t.first, f == 32 { t = t.dropFirst() }
    while let l = t.last, l == 32 { t = t.dropLast() }
    guard !t.isEmpty else { return nil }
    if d.decimal == 46 && d.thousands == 0 {
      let bytes = Array(t)
      return plainNumber(bytes) ? bytes : nil
    }
    var out: [UInt8] = []
    if t.first == 45 || t.first == 43 {
      if t.first == 45 { out.append(45) }
      t = t.dropFirst()
    }
    var sawDecimal = false
    var group = -1
    var leading = 0
    var digits = 0
    for b in t {
      if b >= 48 && b <= 57 {
        out.append(b)
        digits += 1
        if sawDecimal { continue }
        if group >= 0 { group += 1 } else { leading += 1 }
      } else if b == d.decimal && !sawDecimal {
        guard digits > 0, group == -1 || group == 3 else { return nil }
        sawDecimal = true
        out.append(46)
      } else if b == d.thousands && d.thousands != 0 && !sawDecimal {
        guard group == -1 ? (leading >= 1 && leading <= 3) : group == 3 else { return nil }
        group = 0
      } else {
        return nil
      }
    }
    guard digits > 0, group == -1 || group == 3 || sawDecimal else { return nil }
    if out.last == 46 { return nil }
    return plainNumber(out) ? out : nil
  }

  func run(_ bytes: UnsafeBufferPointer<UInt8>) throws(EngineError) -> Output {
    var scanner = RecordScanner(bytes: bytes, delimiter: dialect.delimiter, quote: dialect.quote)
    var skipped = 0
    while skipped < dialect.skip, try scanner.next(path: path) != nil { skipped += 1 }
    var names: [String] = []
    var out = Output(csv: [], names: [], lines: [], textColumns: [], rejects: [])
    out.csv.reserveCapacity(bytes.count + bytes.count / 8)
    var width = 0
    var firstRow: ([RecordScanner.Field], Int)?
    while let (fields, line) = try scanner.next(path: path) {
      if fields.count == 1 && fields[0].text.isEmpty && !fields[0].quoted { continue }
      if dialect.header {
        names = fields.map { String(decoding: $0.text, as: UTF8.self) }
      } else {
        names = (1...fields.count).map { "column_\($0)" }
        firstRow = (fields, line)
      }
      width = fields.count
      break
    }
    out.names = CSVReader.headerNames(names)
    emit(out.names.map { Array($0.utf8) }, quoted: true, into: &out.csv)
    let nulls = Set(options.nulls.map { Array($0.utf8) })
    var misread = [Bool](repeating: false, count: width)
    var rewritten = [Bool](repeating: false, count: width)
    var other = [Bool](repeating: false, count: width)
    var row: [[UInt8]] = []
    var quoted: [Bool] = []
    func take(_ fields: [RecordScanner.Field], _ line: Int) throws(EngineError) {
      guard fields.count == width else {
        let reason = "this row has \(fields.count) fields but the header has \(width)"
        if options.ignoreErrors {
          out.rejects.append((line, reason))
          return
        }
        throw .malformed(path: path, line: line, reason: reason)
      }
      row.removeAll(keepingCapacity: true)
      quoted.removeAll(keepingCapacity: true)
      for (c, f) in fields.enumerated() {
        let trimmed = CellNormalizer.trimmed(f.text)
        if !f.quoted && f.text.isEmpty || nulls.contains(trimmed) {
          row.append([])
          quoted.append(false)
        } else if !raw.contains(c), let n = CellNormalizer.number(f.text[...], dialect) {
          if n != f.text { rewritten[c] = true }
          row.append(n)
          quoted.append(false)
        } else {
          other[c] = true
          // A cell the plain reader would take for a number (35.10 in a decimal-comma
          // file) keeps its column as text.
          if !misread[c] && CellNormalizer.plainNumber(f.text) { misread[c] = true }
          row.append(f.text)
          quoted.append(true)
        }
      }
      emit(row, quotedFlags: quoted, into: &out.csv)
      out.lines.append(line)
    }
    if let (fields, line) = firstRow { try take(fields, line) }
    while let (fields, line) = try scanner.next(path: path) {
      if fields.count == 1 && fields[0].text.isEmpty && !fields[0].quoted { continue }
      try take(fields, line)
    }
    out.textColumns = Set(misread.indices.filter { misread[$0] })
    out.mixed = Set(rewritten.indices.filter { rewritten[$0] && other[$0] })
    return out
  }

  static func trimmed(_ t: [UInt8]) -> [UInt8] {
    var s = t[...]
    while let f = s.first, f == 32 { s = s.dropFirst() }
    while let l = s.last, l == 32 { s = s.dropLast() }
    return Array(s)
  }

  static func plainNumber(_ t: [UInt8]) -> Bool {
    t.withUnsafeBufferPointer {
      FieldParsing.int($0, 0, $0.count) != nil || FieldParsing.float($0, 0, $0.count) != nil
    }
  }

  private func emit(_ cells: [[UInt8]], quoted: Bool, into out: inout [UInt8]) {
    emit(cells, quotedFlags: [Bool](repeating: quoted, count: cells.count), into: &out)
  }

  /// One record of plain CSV; a text cell is quoted when it is empty or holds a comma,
  /// quote or line break (so that an empty text stays text, not null).
  private func emit(_ cells: [[UInt8]], quotedFlags: [Bool], into out: inout [UInt8]) {
    for (k, cell) in cells.enumerated() {
      if k > 0 { out.append(44) }
      let needs =
        quotedFlags[k]
        && (cell.isEmpty || cell.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 })
      if needs {
        out.append(34)
        for b in cell {
          if b == 34 { out.append(34) }
          out.append(b)
        }
        out.append(34)
      } else {
        out.append(contentsOf: cell)
      }
    }
    // A one-column row that is null would be a blank line, which CSV skips: every row of a
    // one-column file gets an empty second field, which the loader drops.
    if cells.count == 1 { out.append(44) }
    out.append(10)
  }
}
