/// A half-open range of UTF-8 offsets into one source text.
public struct SourceSpan: Sendable, Hashable {
  /// First byte offset.
  public var start: Int
  /// One past the last byte offset.
  public var end: Int

  /// Makes a span.
  public init(_ start: Int, _ end: Int) {
    self.start = start
    self.end = max(start, end)
  }

  /// The smallest span covering both.
  public func merged(_ other: SourceSpan) -> SourceSpan {
    SourceSpan(min(start, other.start), max(end, other.end))
  }
}

/// A named source text: a script file, a `-c` argument, a shell line.
public struct SourceText: Sendable {
  /// The name shown in diagnostics (`report.pantau`, `<command>`).
  public var name: String
  /// The text.
  public var text: String
  /// The text as UTF-8 bytes.
  public let bytes: [UInt8]
  /// The folder relative paths in the text are taken from.
  public var directory: String

  /// Makes a source.
  public init(name: String, text: String, directory: String = ".") {
    self.name = name
    self.text = text
    self.bytes = Array(text.utf8)
    self.directory = directory
  }

  /// The 1-based line and column (counted in characters) of a byte offset.
  public func location(of offset: Int) -> (line: Int, column: Int) {
    let o = min(max(0, offset), bytes.count)
    var line = 1
    var lineStart = 0
    for i in 0..<o where bytes[i] == 10 {
      line += 1
      lineStart = i + 1
    }
    let column = String(decoding: bytes[lineStart..<o], as: UTF8.self).count + 1
    return (line, column)
  }

  /// The text of the line holding `offset`, and the line's start offset.
  public func line(containing offset: Int) -> (text: String, start: Int) {
    let o = min(max(0, offset), bytes.count)
    var s = o
    while s > 0 && bytes[s - 1] != 10 { s -= 1 }
    var e = o
    while e < bytes.count && bytes[e] != 10 { e += 1 }
    var end = e
    if end > s && bytes[end - 1] == 13 { end -= 1 }
    return (String(decoding: bytes[s..<end], as: UTF8.self), s)
  }

  /// The text of a span.
  public func slice(_ span: SourceSpan) -> String {
    let s = min(max(0, span.start), bytes.count)
    let e = min(max(s, span.end), bytes.count)
    return String(decoding: bytes[s..<e], as: UTF8.self)
  }
}
