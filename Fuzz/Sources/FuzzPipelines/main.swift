import Columnar
import FuzzSupport
import Glibc
import Language
import Shell

/// Random valid pipelines (chosen by the input bytes from the language's grammar) run on a
/// small table with nulls, ties and repeated keys.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  var choices = Choices(Array(UnsafeBufferPointer(start: data, count: size)))
  let session = Session()
  session.settings.format = .csv
  session.settings.memoryLimit = 256 << 20
  session.catalog.set("t", FuzzTable.table)
  var text = "t"
  for _ in 0..<choices.int(1...6) { text += " | " + choices.stage() }
  if getenv("PANTAU_FUZZ_PRINT") != nil { print(text) }
  session.run(text, sink: BufferSink())
  return 0
}

enum FuzzTable {
  static let table = Table([
    ("k", .text(TextColumn(["a", "b", nil, "a", "c", "b", "a", ""]))),
    (
      "n",
      .int(
        TypedColumn(
          [1, 2, 2, 0, -5, 9_223_372_036_854_775_807, 3, 2],
          validity: Validity([true, true, true, false, true, true, true, true])))
    ),
    (
      "x",
      .float(
        TypedColumn(
          [1.5, -0.0, 2.5, 2.5, .infinity, 0, 1e300, 3],
          validity: Validity([true, true, false, true, true, true, true, true])))
    ),
    ("d", .date(TypedColumn([0, 19000, 19000, -1, 2_932_896, 5, 6, 7]))),
    ("b", .bool(TypedColumn([true, false, true, true, false, false, true, false]))),
  ])
}

struct Choices {
  let bytes: [UInt8]
  var i = 0
  init(_ bytes: [UInt8]) { self.bytes = bytes }

  mutating func next() -> Int {
    defer { i += 1 }
    return i < bytes.count ? Int(bytes[i]) : 0
  }

  mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + next() % r.count }

  mutating func pick(_ xs: [String]) -> String { xs[next() % xs.count] }

  mutating func column() -> String { pick(["k", "n", "x", "d", "b"]) }

  mutating func literal() -> String {
    pick([
      "0", "1", "-1", "2.5", "\"a\"", "\"\"", "null", "true", "@2024-02-29", "9223372036854775807",
      "1e308",
    ])
  }

  mutating func expr(_ depth: Int = 0) -> String {
    switch int(0...9) {
    case 0, 1: return column()
    case 2: return literal()
    case 3 where depth < 4:
      return "(" + expr(depth + 1) + " "
        + pick(["+", "-", "*", "/", "%", "==", "<", ">=", "!=", "and", "or", "~"]) + " "
        + expr(depth + 1) + ")"
    case 4 where depth < 4:
      return pick([
        "abs", "round", "floor", "ceil", "sqrt", "ln", "exp", "lower", "upper", "trim", "length",
        "year", "int", "float", "text", "date",
      ]) + "(" + expr(depth + 1) + ")"
    case 5 where depth < 4:
      return pick(["coalesce", "pow", "substr", "starts_with", "contains"]) + "(" + expr(depth + 1)
        + ", " + expr(depth + 1) + ")"
    case 6 where depth < 4:
      return "if(" + expr(depth + 1) + ", " + expr(depth + 1) + ", " + expr(depth + 1) + ")"
    case 7: return column() + " in (" + literal() + ", " + literal() + ")"
    case 8: return "not " + column()
    default: return column() + " == null"
    }
  }

  mutating func aggregate() -> String {
    let a = pick([
      "count()", "count(x)", "count_distinct(k)", "sum(n)", "avg(x)", "min(k)", "max(d)",
      "median(x)", "quantile(n, 0.3)", "stddev(x)", "first(k)", "last(b)", "spark(x)", "sum(x)",
    ])
    return "v" + String(int(0...9)) + " = " + a
  }

  mutating func stage() -> String {
    switch int(0...17) {
    case 0: return "filter " + expr()
    case 1: return "select " + column() + ", e = " + expr()
    case 2: return "derive z = " + expr()
    case 3:
      return "derive w = "
        + pick([
          "lag(n)", "lead(x, 2)", "row_number()", "rank()", "dense_rank()", "cumsum(n)", "first(k)",
          "sum(x)",
        ]) + " by " + column() + " order " + column() + pick(["", " desc"])
    case 4: return "sort " + column() + pick(["", " desc"]) + ", " + column()
    case 5: return "take " + String(int(0...10))
    case 6: return "group " + column() + " (" + aggregate() + ")"
    case 7: return "group (" + aggregate() + ")"
    case 8:
      return "rank " + column() + pick(["", " asc"]) + " by " + column() + " as r"
        + String(int(0...3))
    case 9: return "top " + String(int(0...3)) + " " + column() + " by " + column()
    case 10: return "join " + pick(["", "left "]) + "t on " + column()
    case 11: return "distinct " + column()
    case 12: return "append t"
    case 13:
      return "pivot " + column() + " " + column() + " " + pick(["sum", "count", "min", "avg"])
    case 14: return "describe"
    case 15: return "trend " + column() + " " + column() + pick(["", " by k"])
    case 16: return "bar " + column() + " " + column()
    default: return "hist " + column()
    }
  }
}

/// The executable's entry: libFuzzer runs `fuzz`.
@_cdecl("FuzzPipelines_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}
