import Columnar

#if canImport(Glibc)
  import Glibc
#endif

/// The shell's history file: one statement per line, a multi-line statement kept whole by
/// writing its newlines as `\n` (and backslashes as `\\`). Each statement is appended with
/// one `write` to a file opened for appending, under an exclusive lock, so two shells
/// writing at once never interleave or lose each other's lines, and a killed shell leaves
/// every earlier line intact.
public struct HistoryFile: Sendable {
  /// The file's path.
  public let path: String

  /// A history file at a path.
  public init(path: String) { self.path = path }

  /// `$XDG_STATE_HOME/pantau/history`, else `~/.local/state/pantau/history`.
  public static func defaultPath(environment: (String) -> String?) -> String? {
    if let state = environment("XDG_STATE_HOME"), !state.isEmpty {
      return state + "/pantau/history"
    }
    if let home = environment("HOME"), !home.isEmpty {
      return home + "/.local/state/pantau/history"
    }
    return nil
  }

  /// One entry as one line.
  public static func encode(_ entry: String) -> String {
    var out = ""
    for c in entry {
      switch c {
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r\n": out += "\\n"
      default: out.append(c)
      }
    }
    return out
  }

  /// The entry a line holds.
  public static func decode(_ line: Substring) -> String {
    var out = ""
    var escaped = false
    for c in line {
      if escaped {
        out.append(c == "n" ? "\n" : c)
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else {
        out.append(c)
      }
    }
    return out
  }

  /// The last `limit` entries, oldest first (none when the file is missing).
  public func load(limit: Int = 5000) -> [String] {
    guard let bytes = try? TableReader.readBytes(path) else { return [] }
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
    return lines.suffix(limit).map(HistoryFile.decode)
  }

  /// Appends one entry, making the folder when missing.
  /// - Returns: whether the entry was written.
  @discardableResult
  public func append(_ entry: String) -> Bool {
    makeFolder()
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    flock(fd, LOCK_EX)
    defer { flock(fd, LOCK_UN) }
    var bytes = Array((HistoryFile.encode(entry) + "\n").utf8)
    let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    bytes = []
    return n > 0
  }

  private func makeFolder() {
    guard let slash = path.lastIndex(of: "/") else { return }
    var partial = ""
    for part in path[..<slash].split(separator: "/") {
      partial += "/" + part
      mkdir(partial, 0o755)
    }
  }
}

/// Lists a folder for completion: names, with `/` after folders.
public enum FolderListing {
  /// The entries of `folder`, sorted; empty when it cannot be read.
  public static func list(_ folder: String) -> [String] {
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      var st = stat()
      let isDir = stat(folder + "/" + name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
      names.append(isDir ? name + "/" : name)
    }
    return names.sorted()
  }
}
