/// Substring search on UTF-8 bytes, for the common case of ASCII text: a byte comparison
/// then finds exactly what a search by characters finds (no character of ASCII text spans
/// several bytes or combines with its neighbour). Other text is left to the caller's
/// search by characters.
public enum TextSearch {
  /// The bytes of `pattern` ready for `contains` (lowercased when `ignoringCase`), or nil
  /// when the pattern is not ASCII.
  public static func needle(_ pattern: String, ignoringCase: Bool) -> [UInt8]? {
    var bytes: [UInt8] = []
    for b in pattern.utf8 {
      guard b < 0x80 else { return nil }
      bytes.append(ignoringCase ? lowered(b) : b)
    }
    return bytes
  }

  /// Whether `text` contains the needle (with `ignoringCase`, ASCII letters compared
  /// without case); nil when `text` is not ASCII.
  public static func contains(_ text: String, _ needle: [UInt8], ignoringCase: Bool) -> Bool? {
    var text = text
    return text.withUTF8 { s -> Bool? in
      for b in s where b >= 0x80 { return nil }
      let m = needle.count
      guard m > 0 else { return true }
      guard s.count >= m else { return false }
      return needle.withUnsafeBufferPointer { p in
        let first = p[0]
        for start in 0...(s.count - m) {
          let c = ignoringCase ? lowered(s[start]) : s[start]
          guard c == first else { continue }
          var k = 1
          while k < m && (ignoringCase ? lowered(s[start + k]) : s[start + k]) == p[k] { k += 1 }
          if k == m { return true }
        }
        return false
      }
    }
  }

  @inline(__always) static func lowered(_ b: UInt8) -> UInt8 {
    b >= 0x41 && b <= 0x5A ? b | 0x20 : b
  }
}
