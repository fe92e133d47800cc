#if canImport(Glibc)
  import Glibc
#endif

extension TableReader {
  /// Loads a file as a table, sniffing what `options` leaves open: gzip or zstd (by
  /// extension or magic bytes), the encoding, the format (JSON array or lines, or delimited text) and a
  /// delimited file's dialect. A UTF-8 file that the fast reader reads by itself (any
  /// delimiter, title rows, header or not, decimal point or comma) is parsed straight from a
  /// mapping of the file; any other goes through `CellNormalizer` first.
  /// - Returns: the table and what was found, for the user.
  public static func load(path: String, options: ReadOptions = ReadOptions(), byteLimit: Int = .max)
    throws(EngineError) -> (Table, LoadReport)
  {
    try Allocator.whileLoading { () throws(EngineError) in
      try loadFile(path: path, options: options, byteLimit: byteLimit)
    }
  }

  private static func loadFile(path: String, options: ReadOptions, byteLimit: Int)
    throws(EngineError) -> (Table, LoadReport)
  {
    let lower = path.lowercased()
    let gzipped = lower.hasSuffix(".gz") || lower.hasSuffix(".zst")
    let inner = gzipped ? String(path[..<(path.lastIndex(of: ".") ?? path.endIndex)]) : path
    let format = FileFormat.byExtension(inner)
    if !gzipped, options.isDirect, format != .json, format != .jsonl,
      let sample = try? prefix(path, count: 1 << 16), !Gzip.isGzip(sample), !Zstd.isZstd(sample),
      !startsWithArray(sample), format != nil || FileFormat.sniff(sample) != .jsonl,
      sample.withUnsafeBufferPointer({ TextDecoding.detect($0) == (.utf8, false) })
    {
      var sniffing = options
      if sniffing.delimiter == nil && format == .tsv { sniffing.delimiter = 9 }
      let d = sample.withUnsafeBufferPointer {
        Sniffer.sniff($0, sniffing, path: path, complete: $0.count < 1 << 16)
      }
      if d.isDirect, let table = try mapped(path, byteLimit, reader(d, options, path)) {
        try checkNames(options, table, path)
        return (table, LoadReport(dialect: d.description))
      }
    }
    return try load(
      bytes: try readBytes(path, byteLimit: byteLimit), path: path, options: options,
      byteLimit: byteLimit)
  }

  /// Loads file content as `load(path:)` does (`path` names its format by extension and
  /// appears in messages).
  public static func load(
    bytes input: [UInt8], path: String, options: ReadOptions = ReadOptions(),
    byteLimit: Int = .max
  ) throws(EngineError) -> (Table, LoadReport) {
    let lower = path.lowercased()
    let gzipped = lower.hasSuffix(".gz") || lower.hasSuffix(".zst")
    let inner = gzipped ? String(path[..<(path.lastIndex(of: ".") ?? path.endIndex)]) : path
    let format = FileFormat.byExtension(inner)
    var bytes = input
    var notes: [String] = []
    if Gzip.isGzip(bytes) {
      bytes = try Gzip.inflate(bytes, path: path, byteLimit: byteLimit)
      notes.append("gzip")
    } else if Zstd.isZstd(bytes) {
      bytes = try Zstd.decompress(bytes, path: path, byteLimit: byteLimit)
      notes.append("zstd")
    }
    let (encoding, guessed) =
      options.encoding.map { ($0, false) }
      ?? bytes.withUnsafeBufferPointer { TextDecoding.detect($0) }
    var report = LoadReport(dialect: "")
    if guessed {
      report.notices.append(
        "\(path) is not UTF-8: read as Windows-1252 (say encoding 'latin-1' or another if not)")
    }
    if encoding != .utf8 || bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      bytes = bytes.withUnsafeBufferPointer { TextDecoding.utf8($0, from: encoding) }
    }
    if encoding != .utf8 { notes.append(encoding.rawValue) }
    if format == .json || format == .jsonl || (format == nil && FileFormat.sniff(bytes) == .jsonl)
      || startsWithArray(bytes)
    {
      report.dialect = (["json"] + notes).joined(separator: ", ")
      return (try JSONLinesReader(bytes: bytes, path: path).read(), report)
    }
    var sniffing = options
    if sniffing.delimiter == nil && format == .tsv { sniffing.delimiter = 9 }
    let d = bytes.withUnsafeBufferPointer {
      Sniffer.sniff(
        UnsafeBufferPointer(rebasing: $0.prefix(1 << 16)), sniffing, path: path,
        complete: $0.count <= 1 << 16)
    }
    report.dialect = ([d.description] + notes).joined(separator: ", ")
    let typed = options.types.filter { $0.value != .text }
    if d.isDirect && options.isDirect {
      var reader = reader(d, options, path)
      reader.bytes = bytes
      let table = try reader.read()
      try checkNames(options, table, path)
      return (table, report)
    }
    var normalizer = CellNormalizer(dialect: d, options: options, path: path)
    var normalized = try bytes.withUnsafeBufferPointer { p throws(EngineError) in
      try normalizer.run(p)
    }
    if !normalized.mixed.isEmpty {
      normalizer.raw = normalized.mixed
      normalized = try bytes.withUnsafeBufferPointer { p throws(EngineError) in
        try normalizer.run(p)
      }
    }
    // The rewritten text is plain CSV with a header; typed columns are read as text first.
    var reader = CSVReader(bytes: normalized.csv, delimiter: 44, path: path)
    reader.allText = options.allText
    reader.textNames = Set(options.types.keys)
    reader.textColumns = normalized.textColumns
    var table = try reader.read()
    if normalized.names.count == 1 && table.columns.count == 2 {
      table = Table(names: [table.names[0]], columns: [table.columns[0]], rowCount: table.rowCount)
    }
    try checkNames(options, table, path)
    report.rejects = normalized.rejects
    for (name, type) in typed.sorted(by: { $0.key < $1.key }) {
      guard let c = table.names.firstIndex(of: name) else { continue }
      let (column, bad) = try convert(
        table.columns[c], to: type, name: name, lines: normalized.lines, path: path,
        keepGoing: options.ignoreErrors)
      report.rejects += bad
      var columns = table.columns
      columns[c] = column
      table = Table(names: table.names, columns: columns, rowCount: table.rowCount)
    }
    report.rejects.sort { $0.line < $1.line }
    return (table, report)
  }

  /// Header names made unique and non-empty: an empty name becomes `column_N`, a repeated
  /// one gets `_2`, `_3`, ….
  public static func headerNames(_ raw: [String]) -> [String] { CSVReader.headerNames(raw) }

  /// The fast reader set up for a dialect it reads by itself (see `Dialect.isDirect`).
  static func reader(_ d: Dialect, _ options: ReadOptions, _ path: String) -> CSVReader {
    var reader = CSVReader(bytes: [], delimiter: d.delimiter, path: path)
    reader.decimal = d.decimal
    reader.skip = d.skip
    reader.header = d.header
    reader.allText = options.allText
    reader.textNames = Set(options.types.filter { $0.value == .text }.map(\.key))
    reader.nullTokens = options.nulls.map { Array($0.utf8) }
    return reader
  }

  /// A column named in `types` that the file does not have is a mistake worth a word.
  private static func checkNames(_ options: ReadOptions, _ table: Table, _ path: String)
    throws(EngineError)
  {
    for name in options.types.keys.sorted() where !table.names.contains(name) {
      throw .invalidValue(
        reason: "\(path) has no column \"\(name)\" (it has \(table.names.joined(separator: ", ")))",
        hint: "name the columns as the header does, or say header false and use column_1, …")
    }
  }

  /// A text column as `type`, cell by cell (as the CSV reader reads a cell); a cell that
  /// does not read is an error at its line, or with `keepGoing` a null and a reject.
  public static func convert(
    _ column: Column, to type: DataType, name: String, lines: [Int], path: String,
    keepGoing: Bool
  ) throws(EngineError) -> (Column, [(line: Int, reason: String)]) {
    var values: [Value] = []
    var bad: [(line: Int, reason: String)] = []
    for r in 0..<(lines.count) {
      guard case .text(let s) = column.value(at: r) else {
        values.append(.null)
        continue
      }
      let bytes = Array(s.utf8)
      let v: Value? = bytes.withUnsafeBufferPointer { p in
        switch type {
        case .int: FieldParsing.int(p, 0, p.count).map(Value.int)
        case .float: FieldParsing.float(p, 0, p.count).map(Value.float)
        case .date: FieldParsing.date(p, 0, p.count).map(Value.date)
        case .bool: FieldParsing.bool(p, 0, p.count).map(Value.bool)
        case .text: .text(s)
        }
      }
      if let v {
        values.append(v)
        continue
      }
      let reason = "column \(name): \"\(s)\" is not \(type == .int ? "an" : "a") \(type.rawValue)"
      if !keepGoing { throw .malformed(path: path, line: lines[r], reason: reason) }
      bad.append((lines[r], reason))
      values.append(.null)
    }
    return (.from(values, type: type), bad)
  }

  private static func startsWithArray(_ bytes: [UInt8]) -> Bool {
    var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while i < bytes.count, [9, 10, 13, 32].contains(bytes[i]) { i += 1 }
    return i < bytes.count && bytes[i] == UInt8(ascii: "[")
  }

  /// The first `count` bytes of a file (fewer if it is shorter).
  public static func prefix(_ path: String, count: Int) throws(EngineError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .io(path: path, reason: errnoText()) }
    defer { close(fd) }
    var out = [UInt8](repeating: 0, count: count)
    let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
    guard n >= 0 else { throw .io(path: path, reason: errnoText()) }
    out.removeLast(count - n)
    return out
  }
}
