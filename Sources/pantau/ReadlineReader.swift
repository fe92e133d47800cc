import CReadline
import Columnar
import Shell

#if canImport(Glibc)
  import Glibc
#endif

/// State the C callbacks can reach (they cannot capture): the completion provider, the
/// earlier lines of the statement being typed, the current matches, and whether Ctrl-C was
/// pressed at the prompt. Only the main thread touches it.
enum ReadlineState {
  nonisolated(unsafe) static var provider: ((String) -> Completion.Result)?
  nonisolated(unsafe) static var pending = ""
  nonisolated(unsafe) static var matches: [String] = []
  nonisolated(unsafe) static var next = 0
  nonisolated(unsafe) static var interrupted = false
}

/// Reads lines with GNU readline: line editing, Ctrl-R search, schema-aware tab completion,
/// and a history file that keeps multi-line statements whole.
final class ReadlineReader: LineReader {
  private let history: HistoryFile?

  init(history: HistoryFile?, complete: @escaping (String) -> Completion.Result) {
    self.history = history
    ReadlineState.provider = complete
    // readline keeps these pointers, so they must outlive the call: copies that live as long
    // as the process.
    pantau_set_readline_name(strdup("pantau"))
    pantau_set_catch_signals(0)
    pantau_set_getc(ReadlineReader.getc)
    pantau_set_word_breaks(strdup(" \t\n\"'|,()=<>!~+*%;"))
    pantau_set_completer(ReadlineReader.complete)
    if !Terminal.isTerminal(STDOUT_FILENO) {
      // `pantau | tee log`: the prompt and the line being edited go to the terminal on
      // stderr, and stdout gets results only.
      pantau_set_output_to_stderr()
      if !Terminal.isTerminal(STDERR_FILENO) { pantau_disable_bracketed_paste() }
    }
    for entry in history?.load() ?? [] { add_history(entry) }
  }

  var wasInterrupted: Bool { ReadlineState.interrupted }

  func setPendingInput(_ text: String) { ReadlineState.pending = text }

  func readLine(prompt: String) -> String? {
    ReadlineState.interrupted = false
    interrupt.reset()
    // Idle at the prompt: what the last statement freed goes back to the system.
    Allocator.releaseFreeMemory()
    guard let raw = readline(prompt) else { return nil }
    defer { free(raw) }
    return String(cString: raw)
  }

  func addHistory(_ entry: String) {
    add_history(entry)
    history?.append(entry)
  }

  /// Reads one key for readline. Ctrl-C (our SIGINT handler sets `interrupt`, and the read
  /// returns EINTR) empties the line and answers Enter, so readline returns at once and the
  /// shell starts a fresh statement.
  static let getc: pantau_getc = { stream in
    var c: UInt8 = 0
    let fd = stream.map { fileno($0) } ?? STDIN_FILENO
    while true {
      let n = Glibc.read(fd, &c, 1)
      if n == 1 { return Int32(c) }
      if n == 0 { return EOF }
      guard errno == EINTR else { return EOF }
      if interrupt.isCancelled {
        interrupt.reset()
        ReadlineState.interrupted = true
        pantau_clear_line()
        return 10
      }
    }
  }

  static let complete: pantau_completer = { text, _, end in
    pantau_set_no_default_completion()
    let line = pantau_line_buffer().map { String(cString: $0) } ?? ""
    let upTo = String(decoding: Array(line.utf8).prefix(Int(end)), as: UTF8.self)
    let result = ReadlineState.provider?(ReadlineState.pending + upTo)
    // readline replaces its own word, which stops at a space; pantau's word may reach further
    // back (inside backticks): drop the part of each candidate before readline's word.
    let word = result?.word ?? ""
    let typed = text.map { String(cString: $0) } ?? ""
    let extra = word.count - typed.count
    ReadlineState.matches = (result?.candidates ?? []).map { m in
      extra > 0 && word.hasSuffix(typed) && m.hasPrefix(word.prefix(extra))
        ? String(m.dropFirst(extra)) : m
    }
    ReadlineState.next = 0
    let single = ReadlineState.matches.count == 1 ? ReadlineState.matches[0] : ""
    pantau_set_append_character(single.hasSuffix("/") ? 0 : 32)
    guard !ReadlineState.matches.isEmpty, let text else { return nil }
    return pantau_completion_matches(text, ReadlineReader.generate)
  }

  static let generate: pantau_generator = { _, state in
    if state == 0 { ReadlineState.next = 0 }
    guard ReadlineState.next < ReadlineState.matches.count else { return nil }
    let m = ReadlineState.matches[ReadlineState.next]
    ReadlineState.next += 1
    return strdup(m)
  }
}
