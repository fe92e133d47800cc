#if canImport(Glibc)
  import Glibc
#endif

/// Writes files so that a reader sees either the old content or the new, never a part:
/// the text goes to a temporary file in the same folder, is flushed, then renamed over the
/// target.
public enum AtomicFile {
  /// Writes `text` to `path`.
  /// - Throws: `FileError` with the reason when any step fails; the target is then untouched.
  public static func write(_ text: String, to path: String) throws(FileError) {
    try write(bytes: Array(text.utf8), to: path)
  }

  /// Writes `bytes` to `path`.
  /// - Throws: `FileError` with the reason when any step fails; the target is then untouched.
  public static func write(bytes input: [UInt8], to path: String) throws(FileError) {
    let dir = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
    let base = path.split(separator: "/").last.map(String.init) ?? path
    var template = Array("\(dir.isEmpty ? "/" : dir)/.\(base).tmp-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
    guard fd >= 0 else { throw FileError(path: path, reason: errnoText()) }
    let tmp = String(cString: template.map { UInt8(bitPattern: $0) })
    var ok = true
    var bytes = input
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes {
        let count = $0.count
        return $0.baseAddress.map { Glibc.write(fd, $0 + offset, count - offset) } ?? 0
      }
      if n < 0 {
        if errno == EINTR { continue }
        ok = false
        break
      }
      offset += n
    }
    bytes = []
    let reason = ok ? "" : errnoText()
    if ok && fsync(fd) != 0 { ok = false }
    fchmod(fd, 0o644)
    close(fd)
    guard ok, rename(tmp, path) == 0 else {
      let why = reason.isEmpty ? errnoText() : reason
      unlink(tmp)
      throw FileError(path: path, reason: why)
    }
  }

  static func errnoText() -> String { String(cString: strerror(errno)).lowercased() }
}

/// A file that could not be written.
public struct FileError: Error, Sendable {
  /// The target path.
  public var path: String
  /// Why.
  public var reason: String
}
