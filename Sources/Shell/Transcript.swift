import Language

/// Runs a notebook and records a transcript that reads on its own: each statement's
/// comments, the statement echoed with `> `, then its result or error.
public enum Transcript {
  /// The settings notebooks are recorded with: box tables 100 columns wide, no colour.
  public static var settings: Settings {
    var s = Settings()
    s.format = .box
    s.width = 100
    s.color = false
    return s
  }

  /// Runs the source through the session and returns the transcript.
  public static func record(_ source: SourceText, session: Session) -> String {
    let sink = MergedSink()
    var last = 0
    session.run(source, sink: sink) { span in
      guard let span else { return }
      let lead = source.slice(SourceSpan(last, span.start))
      let (_, lineStart) = source.line(containing: span.start)
      var end = span.end
      while end < source.bytes.count && source.bytes[end] != 10 { end += 1 }
      let statement = source.slice(SourceSpan(lineStart, end))
      last = end
      var echo = ""
      for line in lead.split(separator: "\n", omittingEmptySubsequences: false) {
        let t = line.drop { $0 == " " }
        if t.hasPrefix("#") { echo += t + "\n" }
      }
      for line in statement.split(separator: "\n") { echo += "> " + line + "\n" }
      if !sink.text.isEmpty { echo = "\n" + echo }
      sink.write(echo)
      session.resetSeparator()
    }
    session.finish(sink: sink)
    return sink.text
  }
}

/// Results and diagnostics in one stream, in the order they happen.
private final class MergedSink: OutputSink {
  var text = ""
  func write(_ text: String) { self.text += text }
  func diagnostic(_ text: String) { self.text += text }
}
