import Columnar

/// Arbitrary bytes as CSV, TSV and JSON lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  for path in ["f.csv", "f.tsv", "f.jsonl", "f.txt"] {
    if let t = try? TableReader.parse(bytes, path: path) {
      for c in t.columns { precondition(c.count == t.rowCount, "ragged table from \(path)") }
    }
  }
  return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's entry as `<module>_main`; here it hands over to libFuzzer.
@_cdecl("FuzzReaders_main")
public func entry(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  var count = argc
  var vector = argv
  return runDriver(&count, &vector) { data, size in fuzz(data, size) }
}
