import Language

/// Reads lines for the interactive shell. The executable provides a readline reader; tests
/// provide scripted ones.
public protocol LineReader: AnyObject {
  /// One line without its newline, or `nil` at end of input (Ctrl-D).
  func readLine(prompt: String) -> String?
  /// Records a whole statement in the history.
  func addHistory(_ entry: String)
  /// The earlier lines of a statement being continued (for completion); "" at a new one.
  func setPendingInput(_ text: String)
  /// Whether the last `readLine` ended because Ctrl-C was pressed at the prompt.
  var wasInterrupted: Bool { get }
}

extension LineReader {
  public func setPendingInput(_ text: String) {}
  public var wasInterrupted: Bool { false }
}

/// The interactive loop: prompts, continuation lines, and one statement at a time through
/// the session. Errors never end it.
public struct Repl {
  /// The primary prompt.
  public static let prompt = "pantau> "
  /// The continuation prompt.
  public static let continuation = "   ...> "

  let session: Session
  let reader: LineReader
  let sink: OutputSink
  /// Runs before each statement (the executable follows the terminal's width with it).
  public var beforeStatement: () -> Void = {}

  /// A loop over a session.
  public init(session: Session, reader: LineReader, sink: OutputSink) {
    self.session = session
    self.reader = reader
    self.sink = sink
  }

  /// Runs until end of input or `.quit`.
  public func run() {
    var buffer = ""
    while !session.quitRequested {
      reader.setPendingInput(buffer.isEmpty ? "" : buffer + "\n")
      guard let line = reader.readLine(prompt: buffer.isEmpty ? Repl.prompt : Repl.continuation)
      else {
        break
      }
      if reader.wasInterrupted {
        buffer = ""
        continue
      }
      if buffer.isEmpty && line.trimmingCharacters().isEmpty { continue }
      buffer += buffer.isEmpty ? line : "\n" + line
      if Lexer.needsContinuation(buffer) { continue }
      reader.addHistory(buffer)
      beforeStatement()
      session.run(SourceText(name: "<shell>", text: buffer), sink: sink)
      buffer = ""
    }
    session.finish(sink: sink)
  }
}

extension String {
  func trimmingCharacters() -> String {
    String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
  }
}
