import Columnar

/// The options of `from "f.csv" (…)` and `.load "f.csv" (…)`, checked: each a known name
/// with a value of its kind, or an error at the option with the list of the known ones.
public enum FileOptions {
  /// Every read option, as documented.
  public static let readNames = [
    "delim", "quote", "header", "skip", "decimal", "thousands", "encoding", "nulls", "types",
    "all_text", "ignore_errors", "sheet", "filename",
  ]

  /// The options of `save "x.csv" (…)`.
  public static func write(_ list: [FileOption]) throws(Diagnostic) -> WriteOptions {
    var o = WriteOptions()
    for option in list {
      switch (option.key, option.argument) {
      case ("delim", .value(.text(let s))) where s.count == 1 || s == "\\t":
        o.delimiter = s == "\\t" ? "\t" : s.first ?? ","
      case ("decimal", .value(.text(","))): o.decimalComma = true
      case ("decimal", .value(.text("."))): o.decimalComma = false
      case ("bom", .flag): o.bom = true
      case ("excel", .flag):
        o.delimiter = ";"
        o.decimalComma = true
        o.bom = true
      default:
        throw Diagnostic(
          "save does not take \(option.key) like this", at: option.span, label: "bad option",
          hints: ["save takes delim ';', decimal ',', bom, or excel for all three"])
      }
    }
    return o
  }

  /// The read options the list says.
  public static func read(_ list: [FileOption]) throws(Diagnostic) -> ReadOptions {
    var o = ReadOptions()
    for option in list {
      func bad(_ what: String) -> Diagnostic {
        Diagnostic(
          "\(option.key) takes \(what)", at: option.span, label: "bad value",
          hints: ["e.g. .load \"f.csv\" (delim ';', decimal ',', header false, nulls ('-', 'NA'))"])
      }
      func text() throws(Diagnostic) -> String {
        guard case .value(.text(let s)) = option.argument else { throw bad("a quoted text") }
        return s
      }
      func char() throws(Diagnostic) -> UInt8 {
        var s = try text()
        if s == "\\t" || s.lowercased() == "tab" { s = "\t" }
        guard s.utf8.count == 1, let b = s.utf8.first, b < 128 else {
          throw bad("one character, e.g. ';' or '\\t'")
        }
        return b
      }
      switch option.key {
      case "delim", "delimiter", "sep", "separator": o.delimiter = try char()
      case "quote": o.quote = try char()
      case "decimal":
        let c = try char()
        guard c == 44 || c == 46 else { throw bad("',' or '.'") }
        o.decimal = c
      case "thousands":
        if case .value(.text(let s)) = option.argument, s.isEmpty {
          o.thousands = 0
        } else {
          o.thousands = try char()
        }
      case "header":
        switch option.argument {
        case .flag: o.header = true
        case .value(.bool(let b)): o.header = b
        default: throw bad("true or false")
        }
      case "skip":
        guard case .value(.int(let n)) = option.argument, n >= 0, n < 1_000_000 else {
          throw bad("a number of rows")
        }
        o.skip = n
      case "encoding":
        let name = try text()
        guard let e = TextEncoding.named(name) else {
          throw bad(TextEncoding.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
        }
        o.encoding = e
      case "nulls":
        switch option.argument {
        case .value(.text(let s)): o.nulls = [s]
        case .list(let values):
          o.nulls = values.map { v in
            if case .text(let s) = v { return s }
            return CellText.format(v)
          }
        default: throw bad("a text or a list of texts, e.g. ('-', 'NA')")
        }
      case "types":
        guard case .pairs(let pairs) = option.argument else {
          throw bad("a list of columns and types, e.g. (kode text, tahun int)")
        }
        for (name, typeName) in pairs {
          guard let t = DataType(rawValue: typeName) else {
            throw bad("the types int, float, text, bool and date (not \(typeName))")
          }
          o.types[name] = t
        }
      case "all_text": o.allText = true
      case "ignore_errors": o.ignoreErrors = true
      case "filename": o.filenameColumn = true
      case "sheet":
        switch option.argument {
        case .value(.text(let s)): o.sheetName = s
        case .value(.int(let n)) where n >= 1: o.sheetNumber = n
        default: throw bad("a sheet name or a number from 1")
        }
      default:
        let close = Suggestions.closest(to: option.key, among: readNames)
        throw Diagnostic(
          "unknown option \(option.key)", at: option.span, label: "not an option",
          hints: (close.map { ["did you mean \"\($0)\"?"] } ?? [])
            + ["options: " + readNames.joined(separator: ", ")])
      }
    }
    return o
  }
}
