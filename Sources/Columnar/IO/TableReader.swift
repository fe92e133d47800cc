#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Loads a table from a file: CSV or TSV by extension (else sniffed), or JSON lines.
public enum TableReader {
  /// Reads and parses the file at `path`.
  /// - Throws: `EngineError.io` when the file cannot be read, `.malformed` when it cannot be
  ///   parsed.
  ///   A file whose content and columns would need more than `byteLimit` bytes (about three
  ///   times its size; a CSV or TSV file, mapped, its columns as estimated from its first
  ///   rows, `LoadEstimate`) is refused before it is read, with `.limit`.
  public static func read(path: String, byteLimit: Int = .max) throws(EngineError) -> Table {
    let format = FileFormat.byExtension(path)
    if format == .csv || format == .tsv,
      let table = try mapped(
        path, byteLimit, CSVReader(bytes: [], delimiter: format == .tsv ? 9 : 44, path: path))
    {
      return table
    }
    let bytes = try readBytes(path, byteLimit: byteLimit)
    return try parse(bytes, path: path)
  }

  /// CSV and TSV files are parsed straight from a read-only mapping of the file: no copy
  /// of the text, no fresh pages to clear. `nil` when the file cannot be mapped (then it is
  /// read the ordinary way).
  static func mapped(_ path: String, _ byteLimit: Int, _ reader: CSVReader) throws(EngineError)
    -> Table?
  {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .io(path: path, reason: errnoText()) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else { return nil }
    let size = Int(st.st_size)
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      return nil
    }
    defer { munmap(base, size) }
    let buffer = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
    // The text is mapped, not copied: what the load needs is its columns, estimated from
    // the first rows (three times the file's size when they hold no whole row).
    let estimate = LoadEstimate(
      delimiter: reader.delimiter, skip: reader.skip, header: reader.header,
      allText: reader.allText)
    let need =
      estimate.bytes(
        sample: UnsafeBufferPointer(rebasing: buffer.prefix(LoadEstimate.sampleBytes)), size: size,
        complete: size <= LoadEstimate.sampleBytes)
      ?? size.multipliedReportingOverflow(by: 3).partialValue
    if need > byteLimit {
      throw .limit(
        reason: "loading \"\(path)\" (\(EngineError.size(size))) would need about "
          + "\(EngineError.size(need)), over the memory limit of \(EngineError.size(byteLimit))"
      )
    }
    return try reader.read(buffer, mapped: true)
  }

  /// Parses file content; the path names the format by extension and appears in errors.
  public static func parse(_ bytes: [UInt8], path: String) throws(EngineError) -> Table {
    let format = FileFormat.byExtension(path) ?? FileFormat.sniff(bytes)
    switch format {
    case .tsv: return try CSVReader(bytes: bytes, delimiter: 9, path: path).read()
    case .jsonl, .json: return try JSONLinesReader(bytes: bytes, path: path).read()
    case .csv, .markdown: return try CSVReader(bytes: bytes, delimiter: 44, path: path).read()
    }
  }

  /// The whole content of a file.
  public static func readBytes(_ path: String, byteLimit: Int = .max) throws(EngineError) -> [UInt8]
  {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .io(path: path, reason: errnoText()) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw .io(path: path, reason: errnoText()) }
    if (st.st_mode & S_IFMT) == S_IFDIR { throw .io(path: path, reason: "it is a folder") }
    let (need, overflow) = Int(st.st_size).multipliedReportingOverflow(by: 3)
    if overflow || need > byteLimit {
      throw .limit(
        reason: "loading \"\(path)\" (\(EngineError.size(Int(st.st_size)))) would need about "
          + "\(EngineError.size(overflow ? .max : need)), over the memory limit of \(EngineError.size(byteLimit))"
      )
    }
    var out: [UInt8] = []
    out.reserveCapacity(Int(st.st_size))
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .io(path: path, reason: errnoText())
      }
      if n == 0 { break }
      out.append(contentsOf: buffer[0..<n])
    }
    return out
  }

  static func errnoText() -> String {
    String(cString: strerror(errno)).lowercased()
  }
}
