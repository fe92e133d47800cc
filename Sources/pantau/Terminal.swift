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
  }

  static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}

/// Writes results to stdout and diagnostics to stderr, unbuffered by Swift.
final class StandardSink: OutputSink {
  func write(_ text: String) { Self.put(text, to: STDOUT_FILENO) }
  func diagnostic(_ text: String) { Self.put(text, to: STDERR_FILENO) }

  static func put(_ text: String, to fd: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes {
        Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset)
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return }
      offset += n
    }
    bytes = []
  }
}
