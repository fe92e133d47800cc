import Columnar
import FuzzSupport
import Spreadsheet

#if canImport(Glibc)
  import Glibc
#endif

/// Arbitrary bytes through every reader: the plain parsers (CSV, TSV, JSON lines), the
/// sniffing loader with option sets that take each of its paths (delimiter, decimal comma,
/// title rows, nulls, types, rejects, encodings), and the workbook reader, both on the
/// bytes as an archive and on the bytes as a sheet's XML inside a well-formed workbook.
/// Any table that comes back must be rectangular.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  func check(_ t: Table, _ what: String) {
    for c in t.columns { precondition(c.count == t.rowCount, "ragged table from \(what)") }
  }
  for path in ["f.csv", "f.tsv", "f.jsonl", "f.txt"] {
    if let t = try? TableReader.parse(bytes, path: path) { check(t, path) }
  }
  for (i, options) in optionSets.enumerated() {
    if let (t, _) = try? TableReader.load(bytes: bytes, path: "f.csv", options: options) {
      check(t, "load with options \(i)")
    }
  }
  if let (t, _) = try? TableReader.load(bytes: bytes, path: "f.csv.gz") { check(t, "gz") }
  if write(bytes), let (t, _) = try? XLSXReader.read(path: scratch) { check(t, "xlsx bytes") }
  // The bytes as a sheet (before the first 0xFF) and shared strings (after it).
  let cut = bytes.firstIndex(of: 0xFF) ?? bytes.count
  let sheet = String(decoding: bytes[..<cut], as: UTF8.self)
  let strings = cut < bytes.count ? String(decoding: bytes[(cut + 1)...], as: UTF8.self) : ""
  if let book = try? FuzzWorkbook.make(sheet: sheet, strings: strings), write(book) {
    for options in [ReadOptions(), headerless, typed] {
      if let (t, _) = try? XLSXReader.read(path: scratch, options: options) {
        check(t, "xlsx sheet")
      }
    }
  }
  return 0
}

/// Workbooks are read from a file (as pantau reads them), in memory-backed /dev/shm.
let scratch = "/dev/shm/pantau-fuzz-\(getpid()).xlsx"

func write(_ bytes: [UInt8]) -> Bool {
  guard let f = fopen(scratch, "wb") else { return false }
  defer { fclose(f) }
  return fwrite(bytes, 1, bytes.count, f) == bytes.count
}

let optionSets: [ReadOptions] = {
  var semicolon = ReadOptions()
  semicolon.delimiter = 59
  semicolon.decimal = 44
  semicolon.thousands = 46
  var rejects = ReadOptions()
  rejects.ignoreErrors = true
  rejects.nulls = ["-", "NA"]
  rejects.types = ["a": .int, "b": .date, "c": .float, "d": .bool]
  var titled = ReadOptions()
  titled.skip = 2
  titled.header = false
  titled.encoding = .windows1252
  var utf16 = ReadOptions()
  utf16.encoding = .utf16BE
  utf16.allText = true
  return [ReadOptions(), semicolon, rejects, titled, utf16]
}()

let headerless: ReadOptions = {
  var o = ReadOptions()
  o.header = false
  o.skip = 1
  o.sheetNumber = 1
  return o
}()

let typed: ReadOptions = {
  var o = ReadOptions()
  o.ignoreErrors = true
  o.nulls = ["-"]
  o.types = ["column_1": .int, "column_2": .date]
  return o
}()

/// The executable's entry: libFuzzer runs `fuzz`.
@_cdecl("FuzzReaders_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}

/// A well-formed workbook around a sheet part and a shared-strings part given as text.
enum FuzzWorkbook {
  static func make(sheet: String, strings: String) throws -> [UInt8] {
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    let pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    return try XLSXWriter.package([
      (
        "_rels/.rels",
        "<Relationships xmlns=\"\(pkg)\"><Relationship Id=\"r\" Type=\"\(rel)/officeDocument\" "
          + "Target=\"xl/workbook.xml\"/></Relationships>"
      ),
      (
        "xl/workbook.xml",
        "<workbook xmlns:r=\"\(rel)\"><sheets><sheet name=\"S\" r:id=\"s\"/></sheets></workbook>"
      ),
      (
        "xl/_rels/workbook.xml.rels",
        "<Relationships xmlns=\"\(pkg)\"><Relationship Id=\"s\" Type=\"\(rel)/worksheet\" "
          + "Target=\"sheet.xml\"/><Relationship Id=\"t\" Type=\"\(rel)/sharedStrings\" "
          + "Target=\"strings.xml\"/></Relationships>"
      ),
      ("xl/sheet.xml", sheet),
      ("xl/strings.xml", strings),
    ])
  }
}
