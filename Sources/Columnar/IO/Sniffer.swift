/// One record's fields as they are written (quotes removed, doubled quotes undone), with the
/// line each record starts on.
struct RecordScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  let delimiter: UInt8
  let quote: UInt8
  var position = 0
  var line = 1

  struct Field {
    var text: [UInt8]
    var quoted: Bool
  }

  /// The next record and its first line, nil at the end; throws for a quote never closed
  /// (unless `lenient`, for sampling, where the sample may end inside a quote).
  mutating func next(path: String, lenient: Bool = false) throws(EngineError) -> (
    [Field], Int
  )? {
    let n = bytes.count
    guard position < n else { return nil }
    let start = line
    var fields: [Field] = []
    var i = position
    while true {
      var text: [UInt8] = []
      var quoted = false
      if i < n && bytes[i] == quote {
        quoted = true
        var j = i + 1
        while true {
          guard j < n else {
            if lenient {
              position = n
              return nil
            }
            throw .malformed(path: path, line: start, reason: "a quoted field is never closed")
          }
          if bytes[j] == quote {
            if j + 1 < n && bytes[j + 1] == quote {
              text.append(quote)
              j += 2
              continue
            }
            break
          }
          if bytes[j] == 10 { line += 1 }
          text.append(bytes[j])
          j += 1
        }
        i = j + 1
        while i < n && bytes[i] != delimiter && bytes[i] != 10 && bytes[i] != 13 { i += 1 }
      } else {
        let s = i
        while i < n && bytes[i] != delimiter && bytes[i] != 10 { i += 1 }
        var e = i
        if e > s && bytes[e - 1] == 13 { e -= 1 }
        text = Array(bytes[s..<e])
      }
      fields.append(Field(text: text, quoted: quoted))
      if i < n && bytes[i] == delimiter {
        i += 1
        continue
      }
      if i < n && bytes[i] == 13 { i += 1 }
      if i < n && bytes[i] == 10 {
        i += 1
        line += 1
      }
      position = i
      return (fields, start)
    }
  }
}

/// A delimited file's dialect, guessed from a sample as DuckDB's sniffer does: the
/// delimiter whose field count is the most consistent, title rows to skip, whether the
/// first row is a header, and how numbers are written (decimal comma, thousands marks).
struct Dialect: Equatable {
  var delimiter: UInt8 = 44
  var quote: UInt8 = 34
  var header = true
  var skip = 0
  var decimal: UInt8 = 46
  var thousands: UInt8 = 0
  /// Some cells are numbers padded with spaces (` 12`), which only the general path trims.
  var paddedNumbers = false

  /// What the fast reader does by itself: any delimiter, title rows, a header or not, a
  /// decimal point or comma; not thousands marks, padded numbers or another quote.
  var isDirect: Bool { quote == 34 && thousands == 0 && !paddedNumbers }

  /// What the plain fast reader does by itself (comma or tab, header, `.` decimals).
  var isPlain: Bool {
    (delimiter == 44 || delimiter == 9) && quote == 34 && header && skip == 0 && decimal == 46
      && thousands == 0 && !paddedNumbers
  }

  var delimiterText: String {
    switch delimiter {
    case 9: "tab"
    default: "'" + String(UnicodeScalar(delimiter)) + "'"
    }
  }

  /// `csv ';', decimal ','` and the like: only what differs from plain CSV, after the
  /// delimiter.
  var description: String {
    var parts = ["csv " + delimiterText]
    if decimal != 46 { parts.append("decimal '" + String(UnicodeScalar(decimal)) + "'") }
    if thousands != 0 { parts.append("thousands '" + String(UnicodeScalar(thousands)) + "'") }
    if !header { parts.append("no header") }
    if skip > 0 { parts.append("skip \(skip)") }
    return parts.joined(separator: ", ")
  }
}

enum Sniffer {
  static let candidates: [UInt8] = [44, 59, 9, 124]

  /// The dialect of `sample` (the first bytes of the file, as UTF-8), with `options`
  /// overriding every guess they make.
  static func sniff(
    _ sample: UnsafeBufferPointer<UInt8>, _ options: ReadOptions, path: String,
    complete: Bool = false
  ) -> Dialect {
    var d = Dialect()
    d.quote = options.quote ?? 34
    let rowsFor = { (delimiter: UInt8) -> [[RecordScanner.Field]] in
      var scanner = RecordScanner(bytes: sample, delimiter: delimiter, quote: d.quote)
      var rows: [[RecordScanner.Field]] = []
      while rows.count < 200, let (fields, _) = try? scanner.next(path: path, lenient: true) {
        if fields.count == 1 && fields[0].text.isEmpty && !fields[0].quoted { continue }
        rows.append(fields)
      }
      // The last record of a sample may be cut short.
      if !complete && scanner.position >= sample.count && rows.count > 2 { rows.removeLast() }
      return rows
    }
    var best: (score: Double, width: Int, delimiter: UInt8, rows: [[RecordScanner.Field]])?
    for c in options.delimiter.map({ [$0] }) ?? candidates {
      let rows = rowsFor(c)
      guard !rows.isEmpty else { continue }
      var counts: [Int: Int] = [:]
      for r in rows { counts[r.count, default: 0] += 1 }
      let (width, often) = counts.max { a, b in
        a.value != b.value ? a.value < b.value : a.key < b.key
      }!
      if width < 2 && options.delimiter == nil { continue }
      let score = Double(often) / Double(rows.count)
      if best.map({ score > $0.score + 1e-9 || (abs(score - $0.score) < 1e-9 && width > $0.width) })
        ?? true
      {
        best = (score, width, c, rows)
      }
    }
    guard let chosen = best else {
      d.delimiter = options.delimiter ?? 44
      return d
    }
    d.delimiter = chosen.delimiter
    // Title rows: leading records narrower than the table (a report's name and date).
    var skip = 0
    while skip < chosen.rows.count - 1 && chosen.rows[skip].count < chosen.width { skip += 1 }
    d.skip = options.skip ?? skip
    let body = Array(chosen.rows.dropFirst(min(d.skip, chosen.rows.count)))
    numbers(body.dropFirst(), &d)
    if let decimal = options.decimal { d.decimal = decimal }
    if let thousands = options.thousands { d.thousands = thousands }
    d.header = options.header ?? guessHeader(body, d)
    return d
  }

  /// Decimal comma and thousands marks, decided by columns: a column whose number-like cells
  /// are all written with a decimal comma (`88,26`, `1.234,5`) votes for `,`, one whose cells
  /// are all `12.5` or `1,234.5` for `.`. A `;` file with a comma column reads `,` even when
  /// some other column holds dotted codes (`35.10`), which then stay text.
  private static func numbers(_ rows: ArraySlice<[RecordScanner.Field]>, _ d: inout Dialect) {
    let width = rows.map(\.count).max() ?? 0
    var commaColumns = 0
    var dotColumns = 0
    var dotGroups = false
    var dotGroupColumns = 0
    var commaGroups = false
    for c in 0..<width {
      var comma = 0
      var dot = 0
      var groupsDot = 0
      var groupsComma = 0
      for row in rows where c < row.count {
        let f = row[c]
        var t = f.text[...]
        while let first = t.first, first == 32 { t = t.dropFirst() }
        while let last = t.last, last == 32 { t = t.dropLast() }
        if t.count != f.text.count, !t.isEmpty, isPlainNumber(t) { d.paddedNumbers = true }
        if t.first == 45 || t.first == 43 { t = t.dropFirst() }
        guard let first = t.first, first >= 48 && first <= 57 else { continue }
        switch shape(t) {
        case .commaDecimal: comma += 1
        case .dotDecimal: dot += 1
        case .dotGroups: groupsDot += 1
        case .commaGroups: groupsComma += 1
        case .dotGroupsCommaDecimal:
          comma += 1
          groupsDot += 1
        case .commaGroupsDotDecimal:
          dot += 1
          groupsComma += 1
        case .other: break
        }
      }
      if comma > 0 && dot == 0 && groupsComma == 0 {
        commaColumns += 1
        if groupsDot > 0 { dotGroups = true }
      } else if dot > 0 && comma == 0 {
        dotColumns += 1
        if groupsComma > 0 { commaGroups = true }
      } else if groupsComma > 0 && comma == 0 && dot == 0 && groupsDot == 0 && d.delimiter != 44 {
        commaGroups = true
      } else if groupsDot > 0 && comma == 0 && dot == 0 && groupsComma == 0 {
        // A column of whole numbers grouped by dots (`1.234.567`, `980`).
        dotGroupColumns += 1
      }
    }
    if commaColumns > 0 && (dotColumns == 0 || d.delimiter == 59) {
      d.decimal = 44
      if dotGroups || dotGroupColumns > 0 { d.thousands = 46 }
    } else if d.delimiter == 59 && dotGroupColumns > 0 && dotColumns == 0 {
      // A semicolon file is written in a comma-decimal locale.
      d.decimal = 44
      d.thousands = 46
    } else if commaGroups {
      d.thousands = 44
    }
  }

  enum Shape {
    case commaDecimal, dotDecimal, dotGroups, commaGroups, dotGroupsCommaDecimal
    case commaGroupsDotDecimal, other
  }

  /// The form of an unsigned number: `12,5` (comma decimal), `1.234` (groups of three or a
  /// decimal: counted as groups, the commoner reading in a comma-decimal file), `1.234,5`,
  /// `1,234.5`, `12.5`.
  static func shape(_ t: ArraySlice<UInt8>) -> Shape {
    var seps: [(UInt8, Int)] = []
    var digitsAfterLast = 0
    var leading = 0
    for b in t {
      if b >= 48 && b <= 57 {
        if seps.isEmpty { leading += 1 } else { digitsAfterLast += 1 }
      } else if b == 44 || b == 46 {
        if seps.isEmpty ? leading == 0 : digitsAfterLast == 0 { return .other }
        seps.append((b, digitsAfterLast))
        digitsAfterLast = 0
      } else {
        return .other
      }
    }
    guard digitsAfterLast > 0 || seps.isEmpty else { return .other }
    guard let last = seps.last else { return .other }
    let groupsOK = leading <= 3 && seps.dropFirst().allSatisfy { $0.1 == 3 }
    let marks = Set(seps.map(\.0))
    if marks.count == 2 {
      let decimal = last.0
      let inner = seps.dropLast()
      guard groupsOK, inner.allSatisfy({ $0.0 != decimal }), inner.count == seps.count - 1 else {
        return .other
      }
      return decimal == 44 ? .dotGroupsCommaDecimal : .commaGroupsDotDecimal
    }
    if seps.count > 1 {
      guard groupsOK, digitsAfterLast == 3 else { return .other }
      return last.0 == 46 ? .dotGroups : .commaGroups
    }
    if digitsAfterLast == 3 && leading <= 3 { return last.0 == 46 ? .dotGroups : .commaGroups }
    return last.0 == 44 ? .commaDecimal : .dotDecimal
  }

  static func isPlainNumber(_ t: ArraySlice<UInt8>) -> Bool {
    var t = t
    if t.first == 45 || t.first == 43 { t = t.dropFirst() }
    var dot = false
    var digit = false
    for b in t {
      if b >= 48 && b <= 57 {
        digit = true
      } else if b == 46 && !dot {
        dot = true
      } else {
        return false
      }
    }
    return digit
  }

  /// A header when some column holds numbers below a first row whose cell there is not a
  /// number; when every column is text, a header too (as DuckDB assumes).
  private static func guessHeader(_ rows: [[RecordScanner.Field]], _ d: Dialect) -> Bool {
    guard rows.count >= 2 else { return true }
    let first = rows[0]
    var numericColumns = 0
    var firstNumeric = 0
    for c in first.indices {
      let below = rows.dropFirst().compactMap { $0.count > c ? $0[c] : nil }.filter {
        !$0.text.isEmpty
      }
      guard !below.isEmpty else { continue }
      let numeric = below.allSatisfy { CellNormalizer.number($0.text[...], d) != nil }
      if numeric {
        numericColumns += 1
        if CellNormalizer.number(first[c].text[...], d) != nil { firstNumeric += 1 }
      }
    }
    if numericColumns == 0 { return true }
    return firstNumeric < numericColumns
  }
}
