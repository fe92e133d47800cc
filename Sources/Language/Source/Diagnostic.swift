/// A user-facing problem, with the place it points at and hints on how to fix it.
public struct Diagnostic: Error, Sendable, Equatable {
  /// Errors stop a statement; warnings are only shown.
  public enum Severity: String, Sendable { case error, warning }

  /// Error or warning.
  public var severity: Severity
  /// What went wrong, in one line.
  public var message: String
  /// Where, in the statement's source; `nil` only for problems with no source position.
  public var span: SourceSpan?
  /// A short label printed under the caret.
  public var label: String?
  /// How to fix it.
  public var hints: [String]

  /// Makes a diagnostic.
  public init(
    _ message: String, at span: SourceSpan?, label: String? = nil, hints: [String] = [],
    severity: Severity = .error
  ) {
    self.message = message
    self.span = span
    self.label = label
    self.hints = hints
    self.severity = severity
  }
}

/// Prints diagnostics in the house layout:
/// ```
/// error: unknown column "scroe"
///  --> script.pantau:3:10
/// 3 |   | filter scroe > 80
///   |            ^^^^^ unknown column
///   = help: did you mean "score"?
/// ```
public struct DiagnosticRenderer: Sendable {
  /// Whether to colour the label and caret.
  public var color: Bool

  /// Makes a renderer.
  public init(color: Bool = false) { self.color = color }

  /// The part of a line to show, the caret's column in it, and the caret's width; a line
  /// longer than 120 characters is cut around the caret with `…`.
  static func window(_ line: String, caretStart: Int, caretEnd: Int) -> (String, Int, Int) {
    let bytes = Array(line.utf8)
    let s = min(max(0, caretStart), bytes.count)
    let e = min(max(s, caretEnd), bytes.count)
    let chars = Array(line)
    let before = String(decoding: bytes[..<s], as: UTF8.self).count
    let width = max(1, String(decoding: bytes[s..<e], as: UTF8.self).count)
    guard chars.count > 120 else { return (line, before, width) }
    let from = max(0, before - 40)
    let to = min(chars.count, before + min(width, 60) + 20)
    let head = from > 0 ? "…" : ""
    let tail = to < chars.count ? "…" : ""
    return (head + String(chars[from..<to]) + tail, before - from + head.count, min(width, 60))
  }

  /// The diagnostic as text (ending in a newline).
  public func render(_ d: Diagnostic, in source: SourceText?) -> String {
    let red = color ? "\u{1B}[1;31m" : ""
    let blue = color ? "\u{1B}[1;34m" : ""
    let reset = color ? "\u{1B}[0m" : ""
    var out = "\(red)\(d.severity.rawValue)\(reset): \(d.message)\n"
    if let span = d.span, let source {
      let (line, column) = source.location(of: span.start)
      let gutter = String(line)
      let pad = String(repeating: " ", count: gutter.count)
      out += "\(pad)\(blue)-->\(reset) \(source.name):\(line):\(column)\n"
      let (fullLine, start) = source.line(containing: span.start)
      let (text, before, width) = DiagnosticRenderer.window(
        fullLine, caretStart: span.start - start, caretEnd: span.end - start)
      let caretPad = String(repeating: " ", count: before)
      out += "\(blue)\(gutter) |\(reset) \(text)\n"
      out += "\(pad) \(blue)|\(reset) \(caretPad)\(red)\(String(repeating: "^", count: width))"
      out += d.label.map { " " + $0 } ?? ""
      out += "\(reset)\n"
    } else if let source {
      out += " --> \(source.name)\n"
    }
    for hint in d.hints {
      out += "  = help: \(hint)\n"
    }
    return out
  }
}
