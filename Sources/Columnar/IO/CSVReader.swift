import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Columns filled by several threads, each its own.
private struct SharedColumns: @unchecked Sendable {
  let columns: UnsafeMutableBufferPointer<InferredColumn>
  init(_ columns: UnsafeMutableBufferPointer<InferredColumn>) { self.columns = columns }
}

/// The file's bytes, shared read-only by the two halves.
private struct SendablePointer: @unchecked Sendable {
  let p: UnsafeBufferPointer<UInt8>
  init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }
}

/// Reads delimited text (RFC 4180: quoted fields with embedded delimiters, newlines and
/// doubled quotes; a UTF-8 byte-order mark and CRLF line ends are accepted). The first
/// record is the header; an unquoted empty field is null.
public struct CSVReader: Sendable {
  var bytes: [UInt8]
  let delimiter: UInt8
  let path: String
  /// Columns read as text whatever their cells look like (by position, or every one).
  var textColumns: Set<Int> = []
  var allText = false
  /// Columns read as text, by header name.
  var textNames: Set<String> = []
  /// The decimal separator of floats: `.` or `,`.
  var decimal: UInt8 = 46
  /// Records (title rows) to skip before the header.
  var skip = 0
  /// Whether the first record (after `skip`) names the columns; else they are
  /// `column_1`, `column_2`, ….
  var header = true
  /// Cell texts that mean null (compared without surrounding spaces), besides the empty cell.
  var nullTokens: [[UInt8]] = []
  /// Bytes of a mapped file read between two releases of its pages (see `readUnquoted`).
  var releaseEvery = 1 << 25

  /// A reader over file content.
  public init(bytes: [UInt8], delimiter: UInt8, path: String) {
    self.bytes = bytes
    self.delimiter = delimiter
    self.path = path
  }

  /// One field: a byte range and whether it was quoted (and holds doubled quotes).
  struct FieldRef {
    var start: Int
    var end: Int
    var quoted: Bool
    var escaped: Bool
  }

  /// Reads the whole table, inferring each column's type.
  /// - Throws: `EngineError.malformed` for an unclosed quote or a row of the wrong width.
  public func read() throws(EngineError) -> Table {
    let result: Result<Table, EngineError> = bytes.withUnsafeBufferPointer { p in
      do throws(EngineError) { return .success(try read(p)) } catch { return .failure(error) }
    }
    return try result.get()
  }

  /// Reads a table from bytes the caller keeps alive. `mapped`: they are a read-only mapping
  /// of a file, whose pages may be let go once parsed (they read back from the file).
  func read(_ p: UnsafeBufferPointer<UInt8>, mapped: Bool = false) throws(EngineError) -> Table {
    var pos = p.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var line = 1
    var fields: [FieldRef] = []
    var scratch: [UInt8] = []
    var skipped = 0
    var first = (pos, line)
    while true {
      first = (pos, line)
      guard try nextRecord(p, &pos, &line, &fields) else {
        return Table(names: [], columns: [])
      }
      if fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted { continue }
      if skipped == skip { break }
      skipped += 1
    }
    let names: [String]
    if header {
      names = CSVReader.headerNames(fields.map { text(p, $0, &scratch) })
    } else {
      names = (1...max(1, fields.count)).map { "column_\($0)" }
      (pos, line) = first
    }
    let forced = textColumns.union(
      names.indices.filter { allText || textNames.contains(names[$0]) })
    var table: Table
    if forced.isEmpty, nullTokens.isEmpty,
      let parallel = try readInHalves(p, from: pos, line: line, width: names.count, mapped: mapped)
    {
      table = Table(names: names, columns: parallel.0, rowCount: parallel.1)
    } else {
      let (columns, rows) = try readRows(
        p, from: pos, line: line, width: names.count, forced: forced)
      table = Table(names: names, columns: columns.map { $0.build() }, rowCount: rows)
    }
    // Dotted codes (`35.10`) under a code's name are codes, not numbers: as floats `35.10`
    // and `35.1` would be one value. Such a column is read again as text.
    let codes = names.indices.filter {
      table.columns[$0].type == .float && CSVReader.isCodeName(names[$0])
    }
    if !codes.isEmpty {
      let (columns, rows) = try readRows(
        p, from: pos, line: line, width: names.count, forced: forced.union(codes))
      table = Table(names: names, columns: columns.map { $0.build() }, rowCount: rows)
    }
    return table
  }

  /// Whether a column's name says it holds codes: a word of it (split at anything but
  /// letters and digits) is `kode…`, `code`, `kd`, `id`, `nip`, `nik`, `npwp` or `nomor`.
  static func isCodeName(_ name: String) -> Bool {
    let words = name.lowercased().split { !($0.isLetter || $0.isNumber) }
    return words.contains { w in
      w.hasPrefix("kode") || ["code", "kd", "id", "nip", "nik", "npwp", "nomor"].contains(w)
    }
  }

  /// Every record from `start` into inferred columns (re-reading as text the columns that
  /// met a cell of no other type).
  private func readRows(
    _ p: UnsafeBufferPointer<UInt8>, from start: Int, line startLine: Int, width: Int,
    unquoted: Bool = false, scale: Int = 1, forced: Set<Int> = [], releasing: Bool = false,
    numbers: [(NumberValues<Int>, NumberValues<Double>)?]? = nil
  )
    throws(EngineError) -> ([InferredColumn], Int)
  {
    var pos = start
    var line = startLine
    var fields: [FieldRef] = []
    var scratch: [UInt8] = []
    var expected = 0
    if p.count - start > 1 << 20 {
      let sample = min(p.count, start + 1 << 16)
      var lines = 0
      for i in start..<sample where p[i] == 10 { lines += 1 }
      if lines > 0 {
        expected = (p.count - start) / max(1, (sample - start) / lines) * scale + 16
      }
    }
    // Cells read without quotes lie in `p`, which outlives the columns' build.
    var columns = (0..<width).map { c in
      InferredColumn(
        forceText: forced.contains(c), capacity: expected, share: expected / scale,
        decimal: decimal, keepsCells: unquoted, numbers: numbers?[c])
    }
    var rows = 0
    if unquoted {
      rows = try readUnquoted(
        p, from: start, line: startLine, into: &columns, releasing: releasing)
    }
    while !unquoted {
      let recordLine = line
      guard try nextRecord(p, &pos, &line, &fields) else { break }
      if fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted { continue }
      guard fields.count == width else {
        throw .malformed(
          path: path, line: recordLine,
          reason: "this row has \(fields.count) fields but the header has \(width)")
      }
      for (c, f) in fields.enumerated() { append(p, f, to: &columns[c], &scratch) }
      rows += 1
    }
    let retext = columns.indices.filter { columns[$0].needsText }
    if !retext.isEmpty {
      pos = start
      line = startLine
      for c in retext { columns[c] = InferredColumn(forceText: true) }
      while try nextRecord(p, &pos, &line, &fields) {
        if fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted { continue }
        for c in retext { append(p, fields[c], to: &columns[c], &scratch) }
      }
    }
    return (columns, rows)
  }

  /// A large file without quotes is read as two halves on two cores, then joined; `nil`
  /// when that does not apply or the halves disagree in a way only a whole read settles
  /// (an error, a column that turns to text).
  private func readInHalves(
    _ p: UnsafeBufferPointer<UInt8>, from start: Int, line: Int, width: Int, mapped: Bool
  ) throws(EngineError) -> ([Column], Int)? {
    let end = p.count
    guard end - start > 4 << 20, let base = p.baseAddress,
      memchr(base + start, 34, end - start) == nil
    else {
      return nil
    }
    var mid = start + (end - start) / 2
    while mid < end && p[mid - 1] != 10 { mid += 1 }
    guard mid < end else { return nil }
    let split = mid
    let whole = SendablePointer(p)
    // Each half's lines, counted on both cores: a number column's values go to one array,
    // the first half's from row 0 and the second's after the first half's lines (at most
    // that many records), not to an array per half joined by a copy.
    let lines = Parallel.map(2, spread: true) { i in
      lineCount(
        UnsafeBufferPointer(rebasing: whole.p[i == 0 ? start..<split : split..<end]),
        releasing: mapped)
    }
    let shared = Unchecked(
      (0..<width).map { _ in SharedNumbers(first: lines[0], second: lines[1]) })
    let halves = Collected<Result<([InferredColumn], Int), EngineError>>(count: 2)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      let range = i == 0 ? start..<split : split..<end
      let part = UnsafeBufferPointer(rebasing: whole.p[range])
      // The first half's text columns have room for both: the second's codes are appended
      // in place.
      let result = Result { () throws(EngineError) in
        try readRows(
          part, from: 0, line: 1, width: width, unquoted: true, scale: i == 0 ? 2 : 1,
          releasing: mapped, numbers: shared.value.map { $0?.windows(second: i == 1) })
      }
      halves.set(i, result)
    }
    guard case .success(var a)? = halves.take(0), case .success(let b)? = halves.take(1),
      !a.0.contains(where: { $0.needsText || $0.overflowed }),
      !b.0.contains(where: { $0.needsText || $0.overflowed })
    else { return nil }
    // The text is parsed: a mapped file's pages can go (they read back from the file if the
    // whole read below needs them), so they do not add to the peak memory of the joining;
    // unless a column still reads its cells there.
    let addressed = a.0.contains(where: \.keepsAddresses) || b.0.contains(where: \.keepsAddresses)
    if mapped && !addressed {
      madvise(UnsafeMutableRawPointer(mutating: base), end, MADV_DONTNEED)
    }
    // Each column of the second half goes after the first's, on both cores: number columns
    // of one kind are in their shared array already (the second half's values moved down
    // over the first half's blank lines); other columns are appended; a pair of columns of
    // different kinds (int and float, say) is joined by conversion.
    let joined = Collected<Column>(count: width)
    let later = Collected<Bool>(count: width)
    let second = b.0
    a.0.withUnsafeMutableBufferPointer { columns in
      let first = SharedColumns(columns)
      DispatchQueue.concurrentPerform(iterations: width) { c in
        if let numbers = shared.value[c],
          let column = first.columns[c].joined(second[c], in: numbers)
        {
          joined.set(c, column)
        } else if first.columns[c].merge(second[c]) {
          // A column coded at the end is built below, each on every core.
          if first.columns[c].isDeferred {
            later.set(c, true)
          } else {
            joined.set(c, first.columns[c].build())
          }
        } else if let column = Column.concatenate(first.columns[c].build(), second[c].build()) {
          joined.set(c, column)
        }
      }
      for c in 0..<width where later.results[c] == true {
        joined.set(c, columns[c].build())
      }
    }
    var columns: [Column] = []
    for column in joined.results {
      guard let column else { return nil }
      columns.append(column)
    }
    return (columns, a.1 + b.1)
  }

  private func append(
    _ p: UnsafeBufferPointer<UInt8>, _ f: FieldRef, to column: inout InferredColumn,
    _ scratch: inout [UInt8]
  ) {
    if !nullTokens.isEmpty && f.start < f.end && isNullToken(p, f, &scratch) {
      column.appendNull()
    } else if f.start == f.end {
      if f.quoted {
        column.append(p, f.start, f.end, quotedEmpty: true)
      } else {
        column.appendNull()
      }
    } else if f.escaped {
      scratch = unescaped(p, f)
      scratch.withUnsafeBufferPointer { s in
        column.append(s, 0, s.count, quotedEmpty: false)
      }
    } else {
      column.append(p, f.start, f.end, quotedEmpty: false)
    }
  }

  /// Whether a field, without surrounding spaces, is one of `nullTokens`.
  private func isNullToken(
    _ p: UnsafeBufferPointer<UInt8>, _ f: FieldRef, _ scratch: inout [UInt8]
  ) -> Bool {
    if f.escaped {
      var s = unescaped(p, f)[...]
      while let first = s.first, first == 32 { s = s.dropFirst() }
      while let last = s.last, last == 32 { s = s.dropLast() }
      return nullTokens.contains { $0.elementsEqual(s) }
    }
    var s = f.start
    var e = f.end
    while s < e && p[s] == 32 { s += 1 }
    while e > s && p[e - 1] == 32 { e -= 1 }
    let length = e - s
    return nullTokens.contains { token in
      token.count == length
        && token.withUnsafeBufferPointer { t in
          (0..<length).allSatisfy { t[$0] == p[s + $0] }
        }
    }
  }

  private func unescaped(_ p: UnsafeBufferPointer<UInt8>, _ f: FieldRef) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(f.end - f.start)
    var i = f.start
    while i < f.end {
      out.append(p[i])
      i += p[i] == 34 ? 2 : 1
    }
    return out
  }

  private func text(_ p: UnsafeBufferPointer<UInt8>, _ f: FieldRef, _ scratch: inout [UInt8])
    -> String
  {
    if f.escaped { return String(decoding: unescaped(p, f), as: UTF8.self) }
    return String(decoding: UnsafeBufferPointer(rebasing: p[f.start..<f.end]), as: UTF8.self)
  }

  /// Reads one record's fields starting at `pos`; `false` at the end of the input.
  private func nextRecord(
    _ p: UnsafeBufferPointer<UInt8>, _ pos: inout Int, _ line: inout Int, _ fields: inout [FieldRef]
  ) throws(EngineError) -> Bool {
    fields.removeAll(keepingCapacity: true)
    guard pos < p.count else { return false }
    var i = pos
    let n = p.count
    while true {
      if i < n && p[i] == 34 {
        let openLine = line
        var j = i + 1
        var escaped = false
        while true {
          guard j < n else {
            throw .malformed(
              path: path, line: openLine, reason: "a quoted field is never closed")
          }
          if p[j] == 34 {
            if j + 1 < n && p[j + 1] == 34 {
              escaped = true
              j += 2
              continue
            }
            break
          }
          if p[j] == 10 { line += 1 }
          j += 1
        }
        fields.append(FieldRef(start: i + 1, end: j, quoted: true, escaped: escaped))
        i = j + 1
        while i < n && p[i] != delimiter && p[i] != 10 && p[i] != 13 { i += 1 }
      } else {
        let s = i
        while i < n && p[i] != delimiter && p[i] != 10 { i += 1 }
        var e = i
        if e > s && p[e - 1] == 13 && (i == n || p[i] == 10) { e -= 1 }
        fields.append(FieldRef(start: s, end: e, quoted: false, escaped: false))
      }
      if i < n && p[i] == delimiter {
        i += 1
        continue
      }
      if i < n && p[i] == 13 { i += 1 }
      if i < n && p[i] == 10 {
        i += 1
        line += 1
      }
      pos = i
      return true
    }
  }

  /// Header names made unique and non-empty: an empty name becomes `column_N`, a repeated
  /// one gets `_2`, `_3`, ….
  static func headerNames(_ raw: [String]) -> [String] {
    var seen = Set<String>()
    var out: [String] = []
    for (i, r) in raw.enumerated() {
      let base = r.isEmpty ? "column_\(i + 1)" : r
      var name = base
      var k = 2
      while seen.contains(name) {
        name = "\(base)_\(k)"
        k += 1
      }
      seen.insert(name)
      out.append(name)
    }
    return out
  }
}
