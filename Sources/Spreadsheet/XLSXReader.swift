import Columnar
import Foundation

/// Reads a worksheet of an `.xlsx` workbook as a table: the first sheet unless `sheet`
/// names another; title rows above the header skipped; the header found or numbered; each
/// column typed by its cells: all numbers → int (when whole) or float, numbers in a date
/// format → date (text `YYYY-MM-DD HH:MM:SS` when they carry a time), booleans → bool,
/// anything mixed → text. Text cells stay text, so codes stored as text keep their zeros.
/// Error cells (`#N/A`, `#DIV/0!`) and empty cells are nulls; entirely empty rows are left
/// out.
public enum XLSXReader {
  /// Reads the workbook at `path`. (From a file, not from bytes in memory: ZIPFoundation's
  /// in-memory archives trap on some damaged archives, found by fuzzing.)
  public static func read(path: String, options: ReadOptions = ReadOptions(), byteLimit: Int = .max)
    throws(EngineError) -> (Table, LoadReport)
  {
    do {
      var book = try Workbook(path: path, byteLimit: byteLimit)
      let sheet = try book.sheet(name: options.sheetName, number: options.sheetNumber)
      let cells = try SheetCells(
        try book.data(sheet.part), part: sheet.part, strings: book.sharedStrings)
      var builder = SheetTable(
        cells: cells, kinds: book.styleKinds, date1904: book.date1904, options: options, path: path)
      let table = try builder.build()
      var parts = ["xlsx", "sheet '\(sheet.name)'"]
      if builder.skipped > 0 { parts.append("skip \(builder.skipped)") }
      if !builder.header { parts.append("no header") }
      var report = LoadReport(dialect: parts.joined(separator: ", "))
      if book.sheets.count > 1 && options.sheetName == nil && options.sheetNumber == nil {
        report.notices.append(
          "\(path) has \(book.sheets.count) sheets: "
            + book.sheets.map { "'\($0.name)'" }.joined(separator: ", ")
            + "; read the first (say sheet 'Name' or sheet 2 for another)")
      }
      report.rejects = builder.rejects
      if builder.errorCells > 0 {
        report.notices.append(
          "\(path): \(builder.errorCells) error cell(s) such as \(builder.firstError) read as null")
      }
      return (table, report)
    } catch let error as SpreadsheetError {
      switch error {
      case .tooBig(let reason): throw .limit(reason: reason)
      case .noSheet(let reason):
        throw .invalidValue(reason: reason, hint: "say sheet 'Name' or sheet 2")
      case .damaged(let reason): throw .malformed(path: path, line: 0, reason: reason)
      }
    } catch let error as EngineError {
      throw error
    } catch {
      throw .malformed(path: path, line: 0, reason: "\(error)")
    }
  }
}

/// Turns a sheet's cells into typed columns.
struct SheetTable {
  let cells: SheetCells
  let kinds: [NumberKind]
  let date1904: Bool
  let options: ReadOptions
  let path: String
  private(set) var skipped = 0
  private(set) var header = true
  private(set) var rejects: [(line: Int, reason: String)] = []
  private(set) var errorCells = 0
  private(set) var firstError = ""

  init(cells: SheetCells, kinds: [NumberKind], date1904: Bool, options: ReadOptions, path: String) {
    self.cells = cells
    self.kinds = kinds
    self.date1904 = date1904
    self.options = options
    self.path = path
  }

  mutating func build() throws(EngineError) -> Table {
    var rows = cells.rows
    if let skip = options.skip {
      rows.removeAll { $0.number <= skip }
      skipped = skip
    } else {
      let start = Self.titleRows(rows)
      skipped = start > 0 ? rows[start].number - 1 : 0
      rows.removeFirst(start)
    }
    header = options.header ?? guessHeader(rows)
    var names: [String] = []
    if header, let first = rows.first {
      let width = first.cells.map { $0.column + 1 }.max() ?? 0
      var raw = [String](repeating: "", count: width)
      for (c, v) in first.cells { raw[c] = text(v).trimmingCharacters(in: .whitespaces) }
      names = raw
      rows.removeFirst()
    }
    let width = max(names.count, rows.map { $0.cells.map { $0.column + 1 }.max() ?? 0 }.max() ?? 0)
    while names.count < width { names.append("") }
    names = TableReader.headerNames(names)
    var grid = [[Cell?]](repeating: [Cell?](repeating: nil, count: rows.count), count: width)
    for (r, row) in rows.enumerated() {
      for (c, v) in row.cells {
        if case .error(let e) = v {
          errorCells += 1
          if firstError.isEmpty { firstError = e }
          continue
        }
        if case .text(let s) = v, !options.nulls.isEmpty,
          options.nulls.contains(s.trimmingCharacters(in: .whitespaces))
        {
          continue
        }
        grid[c][r] = v
      }
    }
    let lines = rows.map(\.number)
    var columns: [Column] = []
    for (c, name) in names.enumerated() {
      var column = typed(grid[c])
      if let type = options.types[name], type != column.type {
        let asText = textColumn(grid[c])
        let (converted, bad) = try TableReader.convert(
          asText, to: type, name: name, lines: lines, path: path, keepGoing: options.ignoreErrors)
        column = converted
        rejects += bad
      }
      columns.append(column)
    }
    for name in options.types.keys.sorted() where !names.contains(name) {
      throw .invalidValue(
        reason: "\(path) has no column \"\(name)\" (it has \(names.joined(separator: ", ")))",
        hint: "name the columns as the header does, or say header false and use column_1, …")
    }
    rejects.sort { $0.line < $1.line }
    return Table(names: names, columns: columns, rowCount: rows.count)
  }

  /// Leading rows narrower than the table (a report's title and date above the header).
  static func titleRows(_ rows: [(number: Int, cells: [(column: Int, value: Cell)])]) -> Int {
    let sample = rows.prefix(50)
    var counts: [Int: Int] = [:]
    for r in sample { counts[r.cells.count, default: 0] += 1 }
    guard
      let width = counts.max(by: { a, b in a.value != b.value ? a.value < b.value : a.key < b.key }
      )?
      .key, width > 1
    else { return 0 }
    var skip = 0
    while skip < sample.count - 1 && sample[skip].cells.count < width { skip += 1 }
    return skip
  }

  /// The first row (after the title rows) is a header when its cells are all text, as a
  /// sheet's column names are; a lone row is one too.
  private func guessHeader(_ rows: [(number: Int, cells: [(column: Int, value: Cell)])]) -> Bool {
    guard let first = rows.first else { return true }
    return first.cells.allSatisfy { if case .text = $0.value { true } else { false } }
  }

  /// A column's type from its cells, and the column.
  private func typed(_ cells: [Cell?]) -> Column {
    if options.allText {
      return textColumn(cells)
    }
    var numbers = 0
    var whole = 0
    var dates = 0
    var timed = 0
    var bools = 0
    var present = 0
    for cell in cells {
      guard let cell else { continue }
      present += 1
      switch cell {
      case .number(let d, let style):
        numbers += 1
        if d == d.rounded() && abs(d) < 9.0e15 { whole += 1 }
        switch kind(style) {
        case .date: dates += 1
        case .dateTime, .time: timed += 1
        case .number: break
        }
      case .bool: bools += 1
      default: break
      }
    }
    if present == 0 { return .nulls(.text, count: cells.count) }
    let values = { (type: DataType) in Column.from(cells.map { $0.map(value) ?? .null }, type: type)
    }
    if bools == present { return values(.bool) }
    if numbers == present {
      if dates + timed == present && timed == 0 && whole == present { return values(.date) }
      if dates + timed == 0 { return values(whole == present ? .int : .float) }
    }
    return textColumn(cells)
  }

  /// Cells as a text column (numbers and dates as `text` writes them).
  private func textColumn(_ cells: [Cell?]) -> Column {
    Column.from(cells.map { $0.map { .text(text($0)) } ?? .null }, type: .text)
  }

  private func kind(_ style: Int) -> NumberKind {
    style >= 0 && style < kinds.count ? kinds[style] : .number
  }

  /// A cell as a typed value (for a column whose cells are all of its kind).
  private func value(_ cell: Cell) -> Value {
    switch cell {
    case .number(let d, let style):
      switch kind(style) {
      case .date: return .date(days(d))
      case .number: return d == d.rounded() && abs(d) < 9.0e15 ? .int(Int(d)) : .float(d)
      case .time, .dateTime: return .text(text(cell))
      }
    case .text(let s): return .text(s)
    case .bool(let b): return .bool(b)
    case .error: return .null
    }
  }

  /// Days since 1970-01-01 of an Excel serial (1900 system, with its phantom 29 February
  /// 1900, or the 1904 system).
  private func days(_ serial: Double) -> Int {
    let whole = Int(serial.rounded(.down))
    if date1904 { return whole - 24_107 }
    // Serial 60, the 29 February 1900 that never was, reads as the day before (as openpyxl).
    return whole < 60 ? whole - 25_568 : whole == 60 ? -25_509 : whole - 25_569
  }

  /// A cell as text, for text columns and headers.
  func text(_ cell: Cell) -> String {
    switch cell {
    case .text(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .error(let e): return e
    case .number(let d, let style):
      let k = kind(style)
      if k == .number || !d.isFinite || abs(d) > 3.0e6 {
        return d == d.rounded() && abs(d) < 9.0e15 ? String(Int(d)) : CellText.format(d)
      }
      let date = CivilDate.format(days(d))
      var seconds = Int(((d - d.rounded(.down)) * 86_400).rounded())
      if seconds == 86_400 { seconds = 86_399 }
      let clock = [seconds / 3600, seconds / 60 % 60, seconds % 60].map {
        $0 < 10 ? "0\($0)" : "\($0)"
      }.joined(separator: ":")
      switch k {
      case .date: return date
      case .time: return clock
      default: return date + " " + clock
      }
    }
  }
}
