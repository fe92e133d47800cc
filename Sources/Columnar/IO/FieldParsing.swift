/// Parsers for the literal forms of cells: integers, decimals, booleans and dates.
enum FieldParsing {
  /// An integer in plain decimal form (`-12`, `+7`), or `nil`; `nil` too when it overflows.
  static func int(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
    if leadingZero(p, start, end) { return nil }
    // Up to 18 digits cannot overflow: one loop with no overflow checks.
    if end - start <= 18, start < end, p[start] != 45, p[start] != 43 {
      var v = 0
      for i in start..<end {
        let d = Int(p[i]) &- 48
        if d < 0 || d > 9 { return nil }
        v = v &* 10 &+ d
      }
      return v
    }
    var i = start
    guard i < end else { return nil }
    var negative = false
    if p[i] == 45 || p[i] == 43 {
      negative = p[i] == 45
      i += 1
    }
    guard i < end, end - i <= 19 else { return nil }
    var v = 0
    while i < end {
      let d = Int(p[i]) &- 48
      guard d >= 0 && d <= 9 else { return nil }
      let (m, o1) = v.multipliedReportingOverflow(by: 10)
      let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
      if o1 || o2 { return nil }
      v = s
      i += 1
    }
    return v
  }

  /// Whether the cell's whole part starts with a zero that another digit follows (`0501`,
  /// `007`, `-05`, `00.5`): a code, not a number, so the column stays text and keeps its
  /// zeros. `0`, `0.5` and `-0.25` are numbers.
  @inline(__always)
  static func leadingZero(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
    var i = start
    if i < end && (p[i] == 45 || p[i] == 43) { i += 1 }
    return end - i > 1 && p[i] == 48 && p[i + 1] >= 48 && p[i + 1] <= 57
  }

  /// A decimal number (`88.26`, `-1e6`, `.5`; with `decimal` 44, `88,26`), or `nil`.
  /// Correctly rounded.
  static func float(
    _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8 = 46
  ) -> Double? {
    if leadingZero(p, start, end) { return nil }
    if let v = plainDecimal(p, start, end, decimal) { return v }
    var i = start
    guard i < end else { return nil }
    var negative = false
    if p[i] == 45 || p[i] == 43 {
      negative = p[i] == 45
      i += 1
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var fraction = 0
    var sawDot = false
    var sawDigit = false
    var exact = true
    while i < end {
      let b = p[i]
      if b >= 48 && b <= 57 {
        sawDigit = true
        if digits < 18 {
          mantissa = mantissa * 10 + UInt64(b - 48)
          if mantissa != 0 { digits += 1 }
          if sawDot { fraction += 1 }
        } else {
          exact = false
        }
      } else if b == decimal && !sawDot {
        sawDot = true
      } else {
        break
      }
      i += 1
    }
    guard sawDigit else { return nil }
    if i < end {
      guard p[i] == 101 || p[i] == 69 else { return nil }
      return slowFloat(p, start, end, decimal)
    }
    if exact && fraction <= 22 && mantissa < 1 << 53 {
      let v = Double(mantissa) / powersOfTen[fraction]
      return negative ? -v : v
    }
    return slowFloat(p, start, end, decimal)
  }

  /// `[-]digits[.digits]` with at most 15 digits in all, the common case, in two tight
  /// loops; the value is the one `float` computes (the same mantissa and division), nil for
  /// any other form.
  @inline(__always)
  private static func plainDecimal(
    _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ decimal: UInt8
  ) -> Double? {
    var i = start
    let negative = i < end && p[i] == 45
    if negative { i += 1 }
    guard end - i <= 16 else { return nil }
    var mantissa: UInt64 = 0
    var digits = 0
    while i < end {
      let d = UInt64(p[i]) &- 48
      if d > 9 { break }
      mantissa = mantissa &* 10 &+ d
      digits += 1
      i += 1
    }
    var fraction = 0
    if i < end && p[i] == decimal {
      i += 1
      while i < end {
        let d = UInt64(p[i]) &- 48
        if d > 9 { return nil }
        mantissa = mantissa &* 10 &+ d
        fraction += 1
        i += 1
      }
    }
    guard i == end, digits + fraction > 0, digits + fraction <= 15 else { return nil }
    let v = Double(mantissa) / powersOfTen[fraction]
    return negative ? -v : v
  }

  private static let powersOfTen: [Double] = (0...22).map { k in
    var v = 1.0
    for _ in 0..<k { v *= 10 }
    return v
  }

  private static func slowFloat(
    _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ decimal: UInt8 = 46
  ) -> Double? {
    if decimal != 46 {
      // The same number with its decimal comma written as a point.
      var copy = Array(p[start..<end])
      guard !copy.contains(46) else { return nil }
      for k in copy.indices where copy[k] == decimal { copy[k] = 46 }
      return copy.withUnsafeBufferPointer { slowFloat($0, 0, $0.count) }
    }
    var i = start
    if i < end && (p[i] == 45 || p[i] == 43) { i += 1 }
    var digitsBefore = 0
    while i < end && p[i] >= 48 && p[i] <= 57 {
      i += 1
      digitsBefore += 1
    }
    var digitsAfter = 0
    if i < end && p[i] == 46 {
      i += 1
      while i < end && p[i] >= 48 && p[i] <= 57 {
        i += 1
        digitsAfter += 1
      }
    }
    guard digitsBefore + digitsAfter > 0 else { return nil }
    if i < end && (p[i] == 101 || p[i] == 69) {
      i += 1
      if i < end && (p[i] == 45 || p[i] == 43) { i += 1 }
      var expDigits = 0
      while i < end && p[i] >= 48 && p[i] <= 57 {
        i += 1
        expDigits += 1
      }
      guard expDigits > 0 else { return nil }
    }
    guard i == end else { return nil }
    let text = String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
    guard let v = Double(text), v.isFinite else { return nil }
    return v
  }

  /// `true` or `false` in any letter case.
  static func bool(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool? {
    let n = end - start
    guard n == 4 || n == 5 else { return nil }
    let lower = (start..<end).map { p[$0] | 0x20 }
    if lower == Array("true".utf8) { return true }
    if lower == Array("false".utf8) { return false }
    return nil
  }

  /// A `YYYY-MM-DD` date as days since the epoch.
  static func date(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
    guard end - start == 10 else { return nil }
    return CivilDate.parse(UnsafeBufferPointer(rebasing: p[start..<end]))
  }
}
