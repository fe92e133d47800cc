import Columnar
import FuzzSupport

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

/// The executable's entry: libFuzzer runs `fuzz`.
@_cdecl("FuzzReaders_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}
