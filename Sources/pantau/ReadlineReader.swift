import CReadline
import Shell

#if canImport(Glibc)
  import Glibc
#endif

/// Reads lines with GNU readline, keeping the history in a file.
final class ReadlineReader: LineReader {
  private let historyPath: String?

  init(historyPath: String?) {
    self.historyPath = historyPath
    pantau_set_readline_name("pantau")
    if let historyPath { read_history(historyPath) }
  }

  func readLine(prompt: String) -> String? {
    guard let raw = readline(prompt) else { return nil }
    defer { free(raw) }
    return String(cString: raw)
  }

  func addHistory(_ entry: String) {
    add_history(entry)
    if let historyPath { append_history(1, historyPath) }
  }

  /// `$XDG_STATE_HOME/pantau/history`, else `~/.local/state/pantau/history`; the folder is
  /// made when missing.
  static func defaultHistoryPath() -> String? {
    var base: String
    if let state = Terminal.environment("XDG_STATE_HOME"), !state.isEmpty {
      base = state
    } else if let home = Terminal.environment("HOME"), !home.isEmpty {
      base = home + "/.local/state"
    } else {
      return nil
    }
    base += "/pantau"
    var path = ""
    for part in base.split(separator: "/") {
      path += "/" + part
      mkdir(path, 0o755)
    }
    let file = base + "/history"
    if access(file, F_OK) != 0 {
      let fd = open(file, O_CREAT | O_WRONLY, 0o600)
      if fd >= 0 { close(fd) }
    }
    return file
  }
}
