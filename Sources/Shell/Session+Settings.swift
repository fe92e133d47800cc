import Columnar
import Language
import Render

/// `.show`, and the settings that take a word as well as a number.
extension Session {
  /// `.maxrows N` or `.maxrows all`.
  func setMaxRows(_ c: DotContext) throws(Diagnostic) {
    if c.args.first == "all" {
      settings.maxRows = Int.max
    } else {
      settings.maxRows = try number(c, ".maxrows N|all", 0...1_000_000_000)
    }
  }

  /// `.width N` fixes the width; `.width auto` follows the terminal again (or returns to
  /// the width the session started with where there is none).
  func setWidth(_ c: DotContext) throws(Diagnostic) {
    if c.args.first == "auto" {
      settings.width = settings.autoWidth
      settings.widthFollowsTerminal = true
    } else {
      settings.width = try number(c, ".width N|auto", 10...10_000)
      settings.widthFollowsTerminal = false
    }
  }

  /// `.digits N` rounds floats in human formats to N significant digits; `.digits full`
  /// (or 0) shows them exactly.
  func setDigits(_ c: DotContext) throws(Diagnostic) {
    if c.args.first == "full" {
      settings.digits = 0
    } else {
      settings.digits = try number(c, ".digits N|full", 0...17)
    }
  }

  /// Every setting with its value, one per line, then the parameters (sorted by name).
  func shownSettings() -> String {
    let s = settings
    var lines: [(String, String)] = [
      ("mode", s.format.rawValue + (s.format == .box && s.boxWide ? " wide" : "")),
      ("width", s.widthFollowsTerminal ? "auto (\(s.width))" : String(s.width)),
      ("maxrows", s.maxRows == Int.max ? "all" : String(s.maxRows)),
      ("digits", s.digits == 0 ? "full" : String(s.digits)),
      ("thousands", s.thousands ? "on" : "off"),
      ("timer", s.timer ? "on" : "off"),
      ("chart", s.ascii || s.asciiCharts ? "ascii" : "unicode"),
      ("ascii", s.ascii ? "on" : "off"),
      ("color", s.color ? "on" : "off"),
      ("output", output.map { ($0.once ? "once " : "") + $0.path } ?? "stdout"),
      ("safe", s.safe ? "on" : "off"),
      ("keep-going", s.keepGoing ? "on" : "off"),
      ("memory-limit", EngineError.size(s.memoryLimit)),
    ]
    for name in catalog.parameters.keys.sorted() {
      let v = catalog.parameters[name] ?? .null
      lines.append(("$" + name, CellText.format(v)))
    }
    let w = lines.map(\.0.count).max() ?? 0
    return lines.map { $0.0 + String(repeating: " ", count: w - $0.0.count + 2) + $0.1 }
      .joined(separator: "\n") + "\n"
  }
}
