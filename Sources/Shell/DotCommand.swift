/// The dot commands.
public enum DotCommandName: String, Sendable, CaseIterable {
  case help, tables, schema, load, drop, mode, timer, read, output, once, maxrows, set, width
  case chart, explain, sql, quit, sources, last, exit, show, digits, thousands, connect
  case disconnect
}

/// Splits a dot command line into words; quoted words keep their spaces.
enum DotWords {
  /// The words and, for each, its byte offset in the line.
  static func split(_ line: String) -> [(word: String, offset: Int)] {
    var out: [(String, Int)] = []
    let bytes = Array(line.utf8)
    var i = 0
    while i < bytes.count {
      while i < bytes.count && (bytes[i] == 32 || bytes[i] == 9) { i += 1 }
      guard i < bytes.count else { break }
      let start = i
      if bytes[i] == 34 || bytes[i] == 39 {
        let q = bytes[i]
        i += 1
        var word: [UInt8] = []
        while i < bytes.count && bytes[i] != q {
          word.append(bytes[i])
          i += 1
        }
        i += 1
        out.append((String(decoding: word, as: UTF8.self), start))
      } else {
        while i < bytes.count && bytes[i] != 32 && bytes[i] != 9 { i += 1 }
        out.append((String(decoding: bytes[start..<i], as: UTF8.self), start))
      }
    }
    return out
  }
}
