import Columnar
import FuzzSupport
import Language

/// Arbitrary text through the lexer, the parser and the checker (against a small table).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  var catalog = Catalog()
  catalog.set(
    "t",
    Table([
      ("a", .int(TypedColumn([1, 2, 3]))), ("b", .text(TextColumn(["x", nil, "y"]))),
      ("c", .float(TypedColumn([1.5, 2.5, -1]))),
    ]))
  catalog.parameters["p"] = .int(2)
  _ = Lexer.needsContinuation(text)
  var parser = Parser(SourceText(name: "fuzz", text: text))
  let context = CheckContext(catalog: catalog, directory: "/nonexistent")
  while let next = parser.nextStatement() {
    guard case .success(let statement) = next, case .pipeline(let p) = statement else { continue }
    if case .file = p.source { continue }
    _ = try? Checker(context).check(p)
  }
  return 0
}

/// The executable's entry: libFuzzer runs `fuzz`.
@_cdecl("FuzzLanguage_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}
