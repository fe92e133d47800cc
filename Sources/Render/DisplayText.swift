import Columnar

/// Text as a person reads it in a terminal: values rounded for display, control characters
/// made visible, and widths counted in terminal cells rather than characters.
enum DisplayText {
  /// A cell's text for a human format: floats rounded to `digits` significant digits (0 keeps
  /// the shortest round-trip form), integers grouped by thousands when asked, control
  /// characters escaped. Null is nil.
  static func cell(_ v: Value, _ o: RenderOptions) -> String? {
    switch v {
    case .null: return nil
    case .int(let i): return o.thousands ? grouped(String(i)) : String(i)
    case .float(let d):
      let s = o.digits > 0 ? rounded(d, digits: o.digits) : CellText.format(d)
      return o.thousands ? grouped(s) : s
    case .text(let s): return escaped(s)
    default: return CellText.format(v)
    }
  }

  /// `d` with at most `digits` significant digits: plain notation from 1e-4 up to 1e15, the
  /// exponent form outside; the integer part is never rounded away (1234567.8 shows as
  /// 1234568.0 at 6 digits). Non-finite values are `nan`, `inf`, `-inf`.
  static func rounded(_ d: Double, digits: Int) -> String {
    guard d.isFinite, d != 0 else { return CellText.format(d) }
    let magnitude = abs(d)
    var exponent = Int((Double(magnitude.exponent) * 0.30103).rounded(.down))
    while power10(exponent) > magnitude { exponent -= 1 }
    while power10(exponent + 1) <= magnitude { exponent += 1 }
    if magnitude >= 1e-4 && magnitude < 1e15 {
      let decimals = max(0, digits - 1 - exponent)
      guard decimals > 0 else { return CellText.format(d.rounded()) }
      guard decimals <= 15 else { return CellText.format(d) }
      let scale = power10(decimals)
      let r = (d * scale).rounded() / scale
      return CellText.format(r)
    }
    let mantissa = d / power10(exponent)
    let scale = power10(max(0, digits - 1))
    var m = (mantissa * scale).rounded() / scale
    var e = exponent
    if abs(m) >= 10 {
      m /= 10
      e += 1
    }
    var text = CellText.format(m)
    if text.hasSuffix(".0") { text.removeLast(2) }
    // Two exponent digits at least, as Swift (and C's %g) write them: 6e-05, 1e+16.
    let digits = String(abs(e))
    return text + (e < 0 ? "e-" : "e+") + (digits.count < 2 ? "0" : "") + digits
  }

  /// 10^n, correctly rounded (the literal's parse), 0 or infinity beyond Double's range.
  private static func power10(_ n: Int) -> Double {
    Double("1e\(n)") ?? 1
  }

  /// `1234567.5` as `1,234,567.5`: groups of three in the integer part of a plain number.
  static func grouped(_ s: String) -> String {
    guard !s.contains("e"), !s.contains("n"), !s.contains("i") else { return s }
    let negative = s.hasPrefix("-")
    let body = negative ? s.dropFirst() : Substring(s)
    let dot = body.firstIndex(of: ".") ?? body.endIndex
    let whole = Array(body[..<dot])
    var out = ""
    for (i, c) in whole.enumerated() {
      if i > 0 && (whole.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return (negative ? "-" : "") + out + body[dot...]
  }

  /// Control characters shown as escapes (`\t`, `\r`, `\x1b`), a newline as `↵`, so that a
  /// cell can never move the cursor or send an escape sequence to the terminal.
  static func escaped(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: isControl) else { return s }
    var out = ""
    for u in s.unicodeScalars {
      switch u {
      case "\n": out += "↵"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case _ where isControl(u):
        let hex = String(u.value, radix: 16)
        out +=
          (u.value < 0x100 ? "\\x" : "\\u") + String(repeating: "0", count: 2 - min(2, hex.count))
          + hex
      default: out.unicodeScalars.append(u)
      }
    }
    return out
  }

  private static func isControl(_ u: Unicode.Scalar) -> Bool {
    u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
  }

  /// The cells a string takes in a terminal: East Asian wide and fullwidth characters and
  /// emoji take two, combining marks and zero-width characters none.
  static func width(_ s: String) -> Int {
    var n = 0
    for ch in s { n += width(ch) }
    return n
  }

  static func width(_ ch: Character) -> Int {
    if ch.isASCII { return 1 }
    let scalars = ch.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
    if first.properties.isEmojiPresentation || isWide(first.value) { return 2 }
    switch first.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: return 1
    }
  }

  private static func isWide(_ v: UInt32) -> Bool {
    let ranges: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD,
      0x30000...0x3FFFD,
    ]
    return ranges.contains { $0.contains(v) }
  }

  /// `s` cut to at most `cells` terminal cells, ending in `ellipsis` when cut.
  static func clip(_ s: String, _ cells: Int, ellipsis: String) -> String {
    guard width(s) > cells else { return s }
    guard cells > 0 else { return "" }
    var out = ""
    var used = 0
    for ch in s {
      let w = width(ch)
      if used + w > cells - 1 { break }
      out.append(ch)
      used += w
    }
    return out + ellipsis
  }
}
