/// The file formats pantau reads and writes.
public enum FileFormat: String, Sendable, CaseIterable {
  case csv
  case tsv
  case json
  case jsonl
  case markdown

  /// The format named by a path's extension, if any.
  public static func byExtension(_ path: String) -> FileFormat? {
    guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
    switch path[path.index(after: dot)...].lowercased() {
    case "csv": return .csv
    case "tsv", "tab": return .tsv
    case "json": return .json
    case "jsonl", "ndjson": return .jsonl
    case "md", "markdown": return .markdown
    default: return nil
    }
  }

  /// Guesses the format of file content: JSON lines when it starts with `{`, else the
  /// delimiter (tab or comma) that occurs more often on the first line.
  public static func sniff(_ bytes: [UInt8]) -> FileFormat {
    var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while i < bytes.count, bytes[i] == 32 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
    if i < bytes.count && bytes[i] == UInt8(ascii: "{") { return .jsonl }
    var tabs = 0
    var commas = 0
    while i < bytes.count && bytes[i] != 10 {
      if bytes[i] == 9 { tabs += 1 } else if bytes[i] == 44 { commas += 1 }
      i += 1
    }
    return tabs > commas ? .tsv : .csv
  }
}
