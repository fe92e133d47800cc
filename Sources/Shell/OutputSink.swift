/// Where a session's output goes: results to one stream, diagnostics to the other. Library
/// code never prints; the executable wires these to stdout and stderr.
public protocol OutputSink: AnyObject {
  /// Writes result text (tables, charts).
  func write(_ text: String)
  /// Writes diagnostic text (errors, warnings, timings, "saved N rows").
  func diagnostic(_ text: String)
  /// Shows long result text, through a pager when the sink has one.
  func page(_ text: String)
}

extension OutputSink {
  /// Without a pager, long text is written like any result.
  public func page(_ text: String) { write(text) }
}

/// A sink that keeps everything in memory (tests, notebooks).
public final class BufferSink: OutputSink {
  /// Result text so far.
  public private(set) var output = ""
  /// Diagnostic text so far.
  public private(set) var diagnostics = ""

  /// An empty buffer.
  public init() {}

  public func write(_ text: String) { output += text }
  public func diagnostic(_ text: String) { diagnostics += text }
}
