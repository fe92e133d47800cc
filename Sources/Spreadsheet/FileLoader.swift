import Columnar

#if canImport(Glibc)
  import Glibc
#endif

/// Loads any file pantau reads: Excel workbooks (by extension, or by the ZIP magic bytes
/// when the extension says nothing) here, every other format by `TableReader.load`.
public enum FileLoader {
  /// Loads `path` with `options`; see `TableReader.load` and `XLSXReader.read`. A path with
  /// `*`, `?` or `[` that names no file is a pattern: every file it matches, in name
  /// order, is read and their rows appended (see `FileSet`). With `filename` a column of
  /// that name says which file each row came from.
  public static func load(path: String, options: ReadOptions = ReadOptions(), byteLimit: Int = .max)
    throws(EngineError) -> (Table, LoadReport)
  {
    if FileSet.isPattern(path) {
      return try FileSet(pattern: path).load(options: options, byteLimit: byteLimit)
    }
    var (table, report) = try loadOne(path: path, options: options, byteLimit: byteLimit)
    if options.filenameColumn { table = FileSet.withFilename(table, path) }
    return (table, report)
  }

  static func loadOne(path: String, options: ReadOptions, byteLimit: Int)
    throws(EngineError) -> (Table, LoadReport)
  {
    switch kind(path) {
    case .workbook: return try XLSXReader.read(path: path, options: options, byteLimit: byteLimit)
    case .oldWorkbook:
      throw .malformed(
        path: path, line: 0,
        reason: "this is an Excel 97–2003 .xls workbook, which pantau does not read; "
          + "save it as .xlsx (or .csv) in Excel or LibreOffice first")
    case .textNamedAsWorkbook:
      // Many sites export "Excel" files that are really delimited text.
      var (table, report) = try TableReader.load(path: path, options: options, byteLimit: byteLimit)
      report.notices.insert("\(path) is not a workbook but text: read as delimited text", at: 0)
      return (table, report)
    case .other: return try TableReader.load(path: path, options: options, byteLimit: byteLimit)
    }
  }

  enum Kind { case workbook, oldWorkbook, textNamedAsWorkbook, other }

  /// A workbook by its magic bytes (a ZIP archive, or the OLE container of an `.xls`); a
  /// file named `.xlsx` or `.xls` that is neither is text under a workbook's name.
  static func kind(_ path: String) -> Kind {
    let lower = path.lowercased()
    let named = [".xlsx", ".xlsm", ".xls"].contains { lower.hasSuffix($0) }
    guard let head = try? TableReader.prefix(path, count: 8), !head.isEmpty else {
      return named ? .workbook : .other
    }
    if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .workbook }
    if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .oldWorkbook }
    if named && !head.contains(0) { return .textNamedAsWorkbook }
    return named ? .workbook : .other
  }

  /// Whether a file name is one `.load folder` takes.
  public static func isDataFile(_ name: String) -> Bool {
    let lower = name.lowercased()
    if [".xlsx", ".xlsm", ".xls"].contains(where: { lower.hasSuffix($0) }) { return true }
    let inner = ["gz", "zst"].reduce(lower) { s, ext in
      s.hasSuffix("." + ext) ? String(s.dropLast(ext.count + 1)) : s
    }
    return [FileFormat.csv, .tsv, .json, .jsonl].contains(
      FileFormat.byExtension(inner) ?? .markdown)
  }
}
