/// A small JSON parser for JSON-lines input: objects of scalars; nested values are kept as
/// their JSON text. Depth is bounded so hostile input cannot exhaust the stack.
struct JSONParser {
  struct Failure: Error { var reason: String }

  private let bytes: [UInt8]
  private var pos = 0
  private(set) var line = 1
  private static let maxDepth = 512
  /// Inside a JSON array, objects may span lines.
  var multiline = false

  init(bytes: [UInt8]) { self.bytes = bytes }

  var atEnd: Bool { pos >= bytes.count }

  mutating func skipBOM() { if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 } }

  mutating func skipBlankLines() {
    while pos < bytes.count, [9, 10, 13, 32].contains(bytes[pos]) {
      if bytes[pos] == 10 { line += 1 }
      pos += 1
    }
  }

  private mutating func skipSpaces() {
    if multiline { return skipBlankLines() }
    while pos < bytes.count, [9, 13, 32].contains(bytes[pos]) { pos += 1 }
  }

  /// The next byte is `c` (after blanks): consumes it.
  mutating func accept(_ c: UInt8) -> Bool {
    skipBlankLines()
    guard peek == c else { return false }
    pos += 1
    return true
  }

  mutating func endOfLine() throws(Failure) {
    skipSpaces()
    if pos < bytes.count && bytes[pos] != 10 {
      throw Failure(reason: "unexpected text after the object; expected one object per line")
    }
  }

  mutating func object() throws(Failure) -> [(String, Value)] {
    skipSpaces()
    guard pos < bytes.count, bytes[pos] == UInt8(ascii: "{") else {
      throw Failure(reason: "expected a JSON object starting with {")
    }
    pos += 1
    var out: [(String, Value)] = []
    skipSpaces()
    if peek == UInt8(ascii: "}") {
      pos += 1
      return out
    }
    while true {
      skipSpaces()
      guard peek == 34 else { throw Failure(reason: "expected a quoted key") }
      let key = try string()
      skipSpaces()
      guard peek == UInt8(ascii: ":") else { throw Failure(reason: "expected : after a key") }
      pos += 1
      skipSpaces()
      let value = try scalarOrNested()
      if let i = out.firstIndex(where: { $0.0 == key }) {
        out[i].1 = value
      } else {
        out.append((key, value))
      }
      skipSpaces()
      if peek == UInt8(ascii: ",") {
        pos += 1
        continue
      }
      guard peek == UInt8(ascii: "}") else { throw Failure(reason: "expected , or }") }
      pos += 1
      return out
    }
  }

  private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

  private mutating func scalarOrNested() throws(Failure) -> Value {
    guard let c = peek else { throw Failure(reason: "unexpected end of line") }
    switch c {
    case 34: return .text(try string())
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      let start = pos
      try skipNested(depth: 0)
      return .text(String(decoding: bytes[start..<pos], as: UTF8.self))
    case UInt8(ascii: "t"): return try word("true", .bool(true))
    case UInt8(ascii: "f"): return try word("false", .bool(false))
    case UInt8(ascii: "n"): return try word("null", .null)
    default: return try number()
    }
  }

  private mutating func word(_ w: String, _ v: Value) throws(Failure) -> Value {
    let u = Array(w.utf8)
    guard bytes.count - pos >= u.count, Array(bytes[pos..<pos + u.count]) == u else {
      throw Failure(reason: "expected a JSON value")
    }
    pos += u.count
    return v
  }

  private mutating func number() throws(Failure) -> Value {
    let start = pos
    while let c = peek,
      c == 45 || c == 43 || c == 46 || c == 101 || c == 69 || (48...57).contains(c)
    {
      pos += 1
    }
    guard pos > start else { throw Failure(reason: "expected a JSON value") }
    let result: Value? = bytes.withUnsafeBufferPointer { p in
      if let i = FieldParsing.int(p, start, pos) { return .int(i) }
      if let d = FieldParsing.float(p, start, pos) { return .float(d) }
      return nil
    }
    guard let result else { throw Failure(reason: "malformed number") }
    return result
  }

  private mutating func skipNested(depth: Int) throws(Failure) {
    guard depth < JSONParser.maxDepth else { throw Failure(reason: "nesting too deep") }
    let close: UInt8 = bytes[pos] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
    pos += 1
    while let c = peek {
      switch c {
      case close:
        pos += 1
        return
      case 34: _ = try string()
      case UInt8(ascii: "{"), UInt8(ascii: "["): try skipNested(depth: depth + 1)
      case 10 where !multiline: throw Failure(reason: "a nested value is not closed on its line")
      default: pos += 1
      }
    }
    throw Failure(reason: "a nested value is not closed")
  }

  private mutating func string() throws(Failure) -> String {
    pos += 1
    var out: [UInt8] = []
    while let c = peek {
      pos += 1
      switch c {
      case 34: return String(decoding: out, as: UTF8.self)
      case 10: throw Failure(reason: "a string is not closed on its line")
      case 92: try escape(into: &out)
      default: out.append(c)
      }
    }
    throw Failure(reason: "a string is not closed")
  }

  private mutating func escape(into out: inout [UInt8]) throws(Failure) {
    guard let e = peek else { throw Failure(reason: "a string is not closed") }
    pos += 1
    switch e {
    case UInt8(ascii: "n"): out.append(10)
    case UInt8(ascii: "t"): out.append(9)
    case UInt8(ascii: "r"): out.append(13)
    case UInt8(ascii: "b"): out.append(8)
    case UInt8(ascii: "f"): out.append(12)
    case UInt8(ascii: "u"):
      var scalar = try hex4()
      if (0xD800..<0xDC00).contains(scalar), bytes.count - pos >= 6, bytes[pos] == 92,
        bytes[pos + 1] == UInt8(ascii: "u")
      {
        pos += 2
        let low = try hex4()
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00) & 0x3FF
      }
      let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
      out.append(contentsOf: Array(String(Character(s)).utf8))
    default: out.append(e)
    }
  }

  private mutating func hex4() throws(Failure) -> UInt32 {
    guard bytes.count - pos >= 4 else { throw Failure(reason: "bad \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[pos]
      pos += 1
      guard let d = UInt32(String(UnicodeScalar(c)), radix: 16) else {
        throw Failure(reason: "bad \\u escape")
      }
      v = v * 16 + d
    }
    return v
  }
}
