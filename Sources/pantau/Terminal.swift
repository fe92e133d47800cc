import Columnar
import Language
import Shell

#if canImport(Glibc)
  import Glibc
#endif

/// The Ctrl-C flag; the signal handler can reach only globals.
let interrupt = Cancellation()

/// Facts about the process's terminal and its wiring to stdout and stderr.
enum Terminal {
  static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// The terminal's width in columns, if stdout is a terminal.
  static func width() -> Int? {
    var ws = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 else { return nil }
    return Int(ws.ws_col)
  }

  /// Ctrl-C sets the interrupt flag instead of ending the process.
  static func installInterruptHandler() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in interrupt.cancel() }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    // A parent may have started us with SIGINT blocked (test harnesses and some launchers
    // do); Ctrl-C must still reach the handler.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, SIGINT)
    sigprocmask(SIG_UNBLOCK, &unblock, nil)
  }

  static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}

/// Writes results to stdout and diagnostics to stderr, unbuffered by Swift.
final class StandardSink: OutputSink {
  /// Whether long text goes through `$PAGER` (the interactive shell on a terminal).
  var pager = false

  /// Results stop at Ctrl-C, even when stdout is a slow pipe or terminal: the text goes out in
  /// chunks, and a write that Ctrl-C interrupts is not retried.
  func write(_ text: String) {
    if !Self.put(text, to: STDOUT_FILENO, cancellation: interrupt) {
      Self.put("\ncancelled\n", to: STDERR_FILENO)
    }
  }

  /// Text taller or wider than the terminal goes through `$PAGER` (default `less -FRSX`, or
  /// `less -RSX` for wide text, so that it stays open and scrolls sideways with the arrows:
  /// `-F` would quit at once on a short table and leave its right part unseen).
  func page(_ text: String) {
    var ws = winsize()
    let known = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0
    let rows = known ? Int(ws.ws_row) : 0
    let columns = known ? Int(ws.ws_col) : 0
    var lines = 0
    var widest = 0
    var current = 0
    var escape = false
    for c in text.unicodeScalars {
      if escape {
        // Colour codes (ESC [ … m) take no room on the screen.
        if c == "m" { escape = false }
      } else if c == "\u{1B}" {
        escape = true
      } else if c == "\n" {
        lines += 1
        widest = max(widest, current)
        current = 0
      } else {
        current += 1
      }
    }
    widest = max(widest, current)
    let wide = columns > 0 && widest > columns
    guard pager, Terminal.isTerminal(STDOUT_FILENO), rows > 0, lines >= rows || wide else {
      write(text)
      return
    }
    let fallback = wide ? "less -RSX" : "less -FRSX"
    let command = Terminal.environment("PAGER").flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    guard let pipe = popen(command, "w") else {
      write(text)
      return
    }
    fputs(text, pipe)
    pclose(pipe)
  }
  func diagnostic(_ text: String) { Self.put(text, to: STDERR_FILENO) }

  /// Writes all of `text` to `fd`; false when `cancellation` stopped it first.
  @discardableResult
  static func put(_ text: String, to fd: Int32, cancellation: Cancellation? = nil) -> Bool {
    var bytes = Array(text.utf8)
    var offset = 0
    let chunk = 1 << 16
    while offset < bytes.count {
      if cancellation?.isCancelled == true { return false }
      let n = bytes.withUnsafeMutableBytes {
        let count = min($0.count - offset, chunk)
        return $0.baseAddress.map { Glibc.write(fd, $0 + offset, count) } ?? 0
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return true }
      offset += n
    }
    bytes = []
    return true
  }
}
