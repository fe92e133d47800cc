/// Turns file bytes of any supported encoding into UTF-8: a byte-order mark names UTF-8 or
/// UTF-16; otherwise bytes that are not valid UTF-8 are read as Windows-1252 (a superset of
/// Latin-1 for printable text, and what Excel writes in Indonesia and Western Europe).
enum TextDecoding {
  /// The encoding the bytes are in: given, named by a byte-order mark, or guessed.
  static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> (TextEncoding, guessed: Bool) {
    if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16LE, false) }
    if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16BE, false) }
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, false) }
    return isUTF8(bytes) ? (.utf8, false) : (.windows1252, true)
  }

  /// Whether the bytes are valid UTF-8 (ASCII runs skipped eight bytes at a time).
  static func isUTF8(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = p.count
    while i < n {
      if i + 8 <= n {
        let word = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
        if word & 0x8080_8080_8080_8080 == 0 {
          i += 8
          continue
        }
      }
      let b = p[i]
      if b < 0x80 {
        i += 1
        continue
      }
      let length: Int
      if b & 0xE0 == 0xC0 && b >= 0xC2 {
        length = 2
      } else if b & 0xF0 == 0xE0 {
        length = 3
      } else if b & 0xF8 == 0xF0 && b <= 0xF4 {
        length = 4
      } else {
        return false
      }
      // A sequence cut by the end of a sample is accepted: the rest is beyond the sample.
      if i + length > n { return n >= 1 << 16 }
      for k in 1..<length where p[i + k] & 0xC0 != 0x80 { return false }
      i += length
    }
    return true
  }

  /// The bytes as UTF-8 (a UTF-8 byte-order mark dropped).
  static func utf8(_ p: UnsafeBufferPointer<UInt8>, from encoding: TextEncoding) -> [UInt8] {
    switch encoding {
    case .utf8:
      let skip = p.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
      return Array(p[skip...])
    case .utf16LE, .utf16BE:
      let big = encoding == .utf16BE
      var units: [UInt16] = []
      units.reserveCapacity(p.count / 2)
      var i = 0
      while i + 1 < p.count {
        units.append(
          big ? UInt16(p[i]) << 8 | UInt16(p[i + 1]) : UInt16(p[i + 1]) << 8 | UInt16(p[i]))
        i += 2
      }
      if units.first == 0xFEFF { units.removeFirst() }
      return Array(String(decoding: units, as: UTF16.self).utf8)
    case .windows1252, .latin1:
      var out: [UInt8] = []
      out.reserveCapacity(p.count + p.count / 16)
      for b in p {
        if b < 0x80 {
          out.append(b)
          continue
        }
        let scalar: UInt32 =
          encoding == .windows1252 && b < 0xA0 ? windows1252High[Int(b) - 0x80] : UInt32(b)
        let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(u)).utf8)
      }
      return out
    }
  }

  /// Windows-1252's 0x80–0x9F (the rest of its upper half is Latin-1); undefined bytes map
  /// to the C1 control of the same value, as Python's and WHATWG's decoders do.
  private static let windows1252High: [UInt32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
  ]
}
