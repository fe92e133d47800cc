extension Lexer {
  mutating func number() throws(Diagnostic) {
    let start = pos
    var isFloat = false
    var digits: [UInt8] = []
    func digit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    while pos < limit && (digit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_")) {
      if bytes[pos] != UInt8(ascii: "_") { digits.append(bytes[pos]) }
      pos += 1
    }
    if pos < limit && bytes[pos] == UInt8(ascii: ".") && !(pos + 1 < limit && bytes[pos + 1] == 46)
    {
      isFloat = true
      digits.append(bytes[pos])
      pos += 1
      while pos < limit && (digit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_")) {
        if bytes[pos] != UInt8(ascii: "_") { digits.append(bytes[pos]) }
        pos += 1
      }
    }
    if pos < limit && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
      var look = pos + 1
      if look < limit && (bytes[look] == 43 || bytes[look] == 45) { look += 1 }
      if look < limit && digit(bytes[look]) {
        isFloat = true
        digits.append(contentsOf: bytes[pos..<look])
        pos = look
        while pos < limit && digit(bytes[pos]) {
          digits.append(bytes[pos])
          pos += 1
        }
      }
    }
    let span = SourceSpan(start, pos)
    let text = String(decoding: digits, as: UTF8.self)
    if isFloat {
      guard let v = Double(text), v.isFinite else { throw .badNumber(text, at: span) }
      tokens.append(Token(.float(v), span))
    } else {
      guard let v = Int(text) else { throw .integerTooLarge(text, at: span) }
      tokens.append(Token(.int(v), span))
    }
  }

  mutating func string(quote: UInt8) throws(Diagnostic) {
    let start = pos
    pos += 1
    var out: [UInt8] = []
    while true {
      guard pos < limit, bytes[pos] != 10 else {
        throw .unterminated("string", at: SourceSpan(start, pos))
      }
      let c = bytes[pos]
      if c == quote {
        pos += 1
        break
      }
      if c == UInt8(ascii: "\\") && pos + 1 < limit {
        let e = bytes[pos + 1]
        switch e {
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(e)
        default:
          throw .badEscape(at: SourceSpan(pos, pos + 2))
        }
        pos += 2
        continue
      }
      out.append(c)
      pos += 1
    }
    tokens.append(Token(.string(String(decoding: out, as: UTF8.self)), SourceSpan(start, pos)))
  }
}
