import Columnar

#if canImport(Glibc)
  import Glibc
#endif

extension Executor {
  /// A scalar function: over whole typed columns where it has a loop for them (see
  /// `typedCall`), else row by row. The planner's general mode always goes row by row,
  /// so that the differential tests compare the two.
  func callFunction(
    _ f: ScalarFunction, _ args: [Operand], _ types: [DataType], _ type: DataType, _ n: Int
  ) throws(EngineError) -> Operand {
    if args.allSatisfy(\.isScalar) {
      return .scalar(try ScalarFunction.apply(f, args.map { $0.value(at: 0) }))
    }
    if planner.mode == .fast, let typed = try typedCall(f, args, type, n) { return typed }
    let apply = { (v: [Value]) throws(EngineError) -> Value in try ScalarFunction.apply(f, v) }
    if let distinct = try perDistinct(args, n, type, apply) {
      return .column(distinct)
    }
    return .column(try rowByRow(f, args, type, n))
  }

  /// `f` of the operands' values, computed once per distinct combination of the column
  /// operands' values (numbered by grouping them) and handed out to the rows by their
  /// group; nil in the planner's general mode, or when the rows had better be computed one
  /// by one: the columns are text (whose codes group cheaply), or a sample of the rows
  /// shows few distinct values (the sample that chooses hashing for a group).
  func perDistinct(
    _ args: [Operand], _ n: Int, _ type: DataType,
    _ f: ([Value]) throws(EngineError) -> Value
  ) throws(EngineError) -> Column? {
    guard planner.mode == .fast else { return nil }
    let at = args.indices.filter { !args[$0].isScalar }
    let columns = at.compactMap { k -> Column? in
      if case .column(let c) = args[k] { return c }
      return nil
    }
    guard !columns.isEmpty else { return nil }
    if !columns.allSatisfy({ $0.type == .text }) {
      guard try Grouping.fewGroups(columns, rows: nil, count: n, cancellation) != nil else {
        return nil
      }
    }
    // Floats by their bits: grouping takes -0.0 and 0.0 as one key, but a function may
    // tell them apart (`text(-0.0)` is "-0.0").
    let keys = columns.map { c -> Column in
      guard case .float(let f) = c else { return c }
      return .int(
        TypedColumn(f.values.map { Int(bitPattern: UInt($0.bitPattern)) }, validity: f.validity))
    }
    let groups = try Grouping(keys: keys, rowCount: n, cancellation: cancellation)
    var values = args.map { $0.isScalar ? $0.value(at: 0) : .null }
    var results: [Value] = []
    results.reserveCapacity(groups.count)
    for r in groups.firstRows {
      for (k, c) in zip(at, columns) { values[k] = c.value(at: r) }
      results.append(try f(values))
    }
    return Column.indexing(results, by: .ids(groups.ids), type: type)
  }

  /// A scalar function applied to each row's values in turn.
  func rowByRow(_ f: ScalarFunction, _ args: [Operand], _ type: DataType, _ n: Int)
    throws(EngineError) -> Column
  {
    var b = ColumnBuilder(type)
    var values = [Value](repeating: .null, count: args.count)
    for i in 0..<n {
      if i & 0xFFFF == 0 { try checkCancelled() }
      for (k, a) in args.enumerated() { values[k] = a.value(at: i) }
      b.append(try ScalarFunction.apply(f, values))
    }
    return b.build()
  }
}

extension ScalarFunction {
  /// The function on one row's values. Null in gives null out, except for `coalesce` and
  /// `if`.
  static func apply(_ f: ScalarFunction, _ a: [Value]) throws(EngineError) -> Value {
    switch f {
    case .coalesce: return a.first { !$0.isNull } ?? .null
    case .if:
      if case .bool(true) = a[0] { return a[1] }
      return a[2]
    default: break
    }
    if a.contains(where: \.isNull) { return .null }
    switch f {
    case .abs, .floor, .ceil, .round, .sqrt, .ln, .exp, .pow: return try math(f, a)
    case .lower, .upper, .trim, .length, .startsWith, .endsWith, .contains, .replace, .substr,
      .splitPart:
      return text(f, a)
    case .regexpMatches, .regexpReplace, .regexpExtract: return try regexp(f, a)
    case .year, .month, .day:
      guard case .date(let d) = a[0] else { return .null }
      let (y, m, day) = CivilDate.civil(d)
      return .int(f == .year ? y : f == .month ? m : day)
    case .int, .float, .text, .date: return try convert(f, a[0])
    case .coalesce, .if: return .null
    }
  }

  private static func math(_ f: ScalarFunction, _ a: [Value]) throws(EngineError) -> Value {
    if case .int(let v) = a[0], f != .sqrt, f != .ln, f != .exp, f != .pow {
      return try intMath(f, v, a)
    }
    guard let x = a[0].asDouble else { return .null }
    if f == .pow {
      guard let y = a[1].asDouble else { return .null }
      let r = Glibc.pow(x, y)
      return r.isFinite ? .float(r) : .null
    }
    let digits = a.count > 1 ? (a[1].asDouble.map { Int($0) } ?? 0) : 0
    return math(f, x, digits: digits).map(Value.float) ?? .null
  }

  /// A one-argument function of a float (`digits` is `round`'s); nil where it has no value
  /// (the root or logarithm of a negative, an infinite `exp`).
  @inline(__always)
  static func math(_ f: ScalarFunction, _ x: Double, digits: Int) -> Double? {
    switch f {
    case .abs: return Swift.abs(x)
    case .floor: return floored(x)
    case .ceil: return ceiled(x)
    case .round: return roundHalfAway(x, digits: digits)
    case .sqrt: return x < 0 ? nil : x.squareRoot()
    case .ln: return x <= 0 ? nil : Glibc.log(x)
    case .exp:
      let r = Glibc.exp(x)
      return r.isFinite ? r : nil
    default: return nil
    }
  }

  private static func intMath(_ f: ScalarFunction, _ v: Int, _ a: [Value]) throws(EngineError)
    -> Value
  {
    switch f {
    case .abs:
      guard v != Int.min else { throw .overflow(operation: "abs") }
      return .int(Swift.abs(v))
    case .round:
      guard a.count > 1, case .int(let digits) = a[1] else { return .int(v) }
      let (r, overflow) = roundInt(v, digits: digits)
      if overflow { throw .overflow(operation: "round") }
      return .int(r)
    default: return .int(v)
    }
  }

  /// An int rounded half away from zero at `digits` (only a negative count of digits changes
  /// it: `round(1250, -2)` is 1300), and whether that overflowed.
  @inline(__always)
  static func roundInt(_ v: Int, digits: Int) -> (Int, overflow: Bool) {
    guard digits < 0 else { return (v, false) }
    guard digits > -19 else { return (0, false) }
    var p = 1
    for _ in 0..<(-digits) { p *= 10 }
    let q = v / p
    let r = v % p
    var result = q
    if Swift.abs(r) * 2 >= p { result += v < 0 ? -1 : 1 }
    let (m, o) = result.multipliedReportingOverflow(by: p)
    return (o ? 0 : m, o)
  }

  /// Rounds halves away from zero at `digits` decimal places, on the number's shortest
  /// decimal form (so `round(2.675, 2)` is 2.68, as an analyst reading 2.675 expects).
  static func roundHalfAway(_ x: Double, digits: Int) -> Double {
    if digits == 0 || !x.isFinite { return x.rounded(.toNearestOrAwayFromZero) }
    let d = Swift.max(-308, Swift.min(308, digits))
    if d < 0 {
      let p = Glibc.pow(10, Double(-d))
      return (x / p).rounded(.toNearestOrAwayFromZero) * p
    }
    if d < powersOfTen.count, let r = roundedByScaling(x, digits: d) { return r }
    return roundedAsWritten(x, digits: d)
  }

  /// `x.rounded(.toNearestOrAwayFromZero)`, by truncating its magnitude through an integer
  /// (one instruction each way) instead of a call to the C library: below 2⁵², `|x| - t`
  /// is exact, so comparing it with one half decides as the library does; from 2⁵² on (and
  /// for NaN) a double is already whole.
  @inline(__always)
  static func roundedToWhole(_ x: Double) -> Double {
    let a = Swift.abs(x)
    guard a < 0x1p52 else { return x }
    let t = Double(Int64(a))
    return Double(signOf: x, magnitudeOf: a - t >= 0.5 ? t + 1 : t)
  }

  /// `x.rounded(.down)` the same way: below 2⁵² the integer truncated toward zero is
  /// exact, one less when it lies above `x`; the sign is `x`'s (floor(-0.0) is -0.0).
  @inline(__always)
  static func floored(_ x: Double) -> Double {
    guard Swift.abs(x) < 0x1p52 else { return x }
    let t = Double(Int64(x))
    return Double(signOf: x, magnitudeOf: t > x ? t - 1 : t)
  }

  /// `x.rounded(.up)` the same way (ceil(-0.3) is -0.0).
  @inline(__always)
  static func ceiled(_ x: Double) -> Double {
    guard Swift.abs(x) < 0x1p52 else { return x }
    let t = Double(Int64(x))
    return Double(signOf: x, magnitudeOf: t < x ? t + 1 : t)
  }

  /// 10⁰ … 10²², each exact as a double.
  static let powersOfTen: [Double] = (0...22).map { Double("1e\($0)") ?? 1 }

  /// `roundHalfAway` by one multiplication, where that provably decides as the shortest
  /// decimal form would: the scaled number is below 2⁵² and its fraction is further from one
  /// half than the scaling's error (the product and the scaled decimal form differ by at
  /// most two units in the product's last place; the margin allows eight). The result,
  /// the rounded integer over 10ᵈ, is then the double nearest the rounded decimal, as
  /// reading its text gives: both operands are exact and the division rounds once. Nil
  /// near a half (`2.675` at two digits), where the written form decides.
  static func roundedByScaling(_ x: Double, digits d: Int) -> Double? {
    let p = powersOfTen[d]
    let y = Swift.abs(x) * p
    guard y < 0x1p52 else { return nil }
    let whole = y.rounded(.down)
    let fraction = y - whole
    guard Swift.abs(fraction - 0.5) > Swift.max(y, 1) * 0x1p-49 else { return nil }
    let r = (fraction > 0.5 ? whole + 1 : whole) / p
    return x < 0 ? -r : r
  }

  /// `roundHalfAway` on the digits of the number's shortest decimal form, for `d` > 0.
  static func roundedAsWritten(_ x: Double, digits d: Int) -> Double {
    let text = positional(String(Swift.abs(x)))
    guard let dot = text.firstIndex(of: ".") else { return x }
    let whole = Array(text[..<dot])
    let fraction = Array(text[text.index(after: dot)...])
    guard fraction.count > d else { return x }
    var kept = whole + fraction[0..<d]
    if let next = fraction[d].wholeNumberValue, next >= 5 {
      var i = kept.count - 1
      while i >= 0 {
        if kept[i] == "9" {
          kept[i] = "0"
          i -= 1
        } else {
          kept[i] = Character(String((kept[i].wholeNumberValue ?? 0) + 1))
          break
        }
      }
      if i < 0 { kept.insert("1", at: 0) }
    }
    let split = kept.count - d
    let rounded = Double(String(kept[..<split]) + "." + String(kept[split...])) ?? x
    return x < 0 ? -rounded : rounded
  }

  /// A non-negative number's shortest form written without an exponent: `6e-05` becomes
  /// `0.00006`, `1.5e+20` becomes `150000000000000000000`.
  static func positional(_ text: String) -> String {
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }),
      let exponent = Int(text[text.index(after: e)...])
    else { return text }
    let mantissa = text[..<e]
    let dot = mantissa.firstIndex(of: ".") ?? mantissa.endIndex
    var digits = String(mantissa[..<dot])
    if dot < mantissa.endIndex { digits += mantissa[mantissa.index(after: dot)...] }
    let point = mantissa.distance(from: mantissa.startIndex, to: dot) + exponent
    if point <= 0 { return "0." + String(repeating: "0", count: -point) + digits }
    if point >= digits.count { return digits + String(repeating: "0", count: point - digits.count) }
    let i = digits.index(digits.startIndex, offsetBy: point)
    return String(digits[..<i]) + "." + String(digits[i...])
  }

  private static func text(_ f: ScalarFunction, _ a: [Value]) -> Value {
    guard case .text(let s) = a[0] else { return .null }
    func str(_ i: Int) -> String {
      if case .text(let t) = a[i] { return t }
      return ""
    }
    switch f {
    case .lower: return .text(s.lowercased())
    case .upper: return .text(s.uppercased())
    case .trim:
      return .text(
        String(s.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()))
    case .length: return .int(s.count)
    case .startsWith: return .bool(s.hasPrefix(str(1)))
    case .endsWith: return .bool(s.hasSuffix(str(1)))
    case .contains: return .bool(str(1).isEmpty || s.contains(str(1)))
    case .replace:
      let from = str(1)
      return .text(from.isEmpty ? s : s.replacing(from, with: str(2)))
    case .splitPart:
      // n from 1 counts from the start, −1 is the last part; 0 or beyond the parts is "".
      guard case .int(let n) = a[2], n != 0 else { return .text("") }
      let parts =
        str(1).isEmpty ? [s[...]] : s.split(separator: str(1), omittingEmptySubsequences: false)
      let (back, o) = parts.count.addingReportingOverflow(n)
      let i = n > 0 ? n - 1 : (o ? -1 : back)
      return .text(i >= 0 && i < parts.count ? String(parts[i]) : "")
    default:
      guard case .int(let start) = a[1] else { return .null }
      var length = Int.max
      if a.count > 2, case .int(let l) = a[2] { length = l }
      return .text(substring(s, start: start, length: length))
    }
  }

  private static func regexp(_ f: ScalarFunction, _ a: [Value]) throws(EngineError) -> Value {
    guard case .text(let s) = a[0], case .text(let pattern) = a[1] else { return .null }
    func text(_ i: Int) -> String {
      if i < a.count, case .text(let t) = a[i] { return t }
      return ""
    }
    let result: Value?
    switch f {
    case .regexpMatches:
      result = TextRegex.matches(s, pattern, options: text(2)).map(Value.bool)
    case .regexpReplace:
      result = TextRegex.replace(s, pattern, text(2), options: text(3)).map(Value.text)
    default:
      var group = 0
      if a.count > 2, case .int(let g) = a[2] { group = g }
      result = TextRegex.extract(s, pattern, group: group).map(Value.text)
    }
    guard let result else {
      throw .invalidValue(
        reason: "\"\(pattern)\" is not a regular expression",
        hint: "check the pattern column; escape a literal . ( [ with a backslash")
    }
    return result
  }

  /// `substr` counting characters from 1; a start before 1 eats into the length, as in SQL.
  static func substring(_ s: String, start: Int, length: Int) -> String {
    guard length > 0 else { return "" }
    let chars = Array(s)
    let (endRaw, o) = start.addingReportingOverflow(length)
    let from = Swift.max(1, start)
    let to = o ? Int.max : endRaw
    guard from <= chars.count, to > from else { return "" }
    let upper = Swift.min(chars.count + 1, to)
    return String(chars[(from - 1)..<(upper - 1)])
  }

  private static func convert(_ f: ScalarFunction, _ v: Value) throws(EngineError) -> Value {
    switch (f, v) {
    case (.int, .int), (.float, .float), (.date, .date): return v
    case (.int, .float(let d)):
      guard d.isFinite, d > -9.3e18, d < 9.3e18, let i = Int(exactly: d.rounded(.towardZero))
      else { throw .overflow(operation: "int()") }
      return .int(i)
    case (.int, .bool(let b)): return .int(b ? 1 : 0)
    case (.int, .date(let d)): return .int(d)
    case (.int, .text(let s)):
      let t = s.trimmingSpaces
      if let i = Int(t) { return .int(i) }
      if let d = Double(t), d.isFinite, let i = Int(exactly: d.rounded(.towardZero)) {
        return .int(i)
      }
      return .null
    case (.float, .int(let i)): return .float(Double(i))
    case (.float, .bool(let b)): return .float(b ? 1 : 0)
    case (.float, .text(let s)):
      guard let d = Double(s.trimmingSpaces), d.isFinite else { return .null }
      return .float(d)
    case (.text, _): return .text(CellText.format(v))
    case (.date, .text(let s)): return CivilDate.parse(s.trimmingSpaces).map { .date($0) } ?? .null
    default: return .null
    }
  }
}

extension String {
  var trimmingSpaces: String {
    String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}
