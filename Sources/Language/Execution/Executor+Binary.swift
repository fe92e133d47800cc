import Columnar

extension Executor {
  /// A binary operation; operands already have the types the checker chose.
  func binary(
    _ op: BinaryOperator, _ a: Operand, _ b: Operand, _ operandType: DataType,
    _ type: DataType, _ n: Int
  ) throws(EngineError) -> Operand {
    switch op {
    case .and, .or: return logic(op, a, b, n)
    case .contains:
      // ASCII text is searched byte by byte (the pattern's bytes made once); other text
      // by its lowercased characters.
      var needle: (String, [UInt8]?)?
      return textPredicate(a, b, n) { s, p in
        if needle?.0 != p { needle = (p, TextSearch.needle(p, ignoringCase: true)) }
        if let bytes = needle?.1, let found = TextSearch.contains(s, bytes, ignoringCase: true) {
          return found
        }
        return s.lowercased().contains(p.lowercased())
      }
    case .like, .ilike:
      // The pattern is compiled again only when it changes (it is most often a literal).
      var compiled: (String, LikePattern)?
      return textPredicate(a, b, n) { s, p in
        if compiled?.0 != p { compiled = (p, LikePattern(p, ignoringCase: op == .ilike)) }
        return compiled?.1.matches(s) ?? false
      }
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
      return compare(op, a, b, operandType, n)
    case .add, .subtract, .multiply, .divide, .modulo:
      return try arithmetic(op, a, b, operandType, type, n)
    }
  }

  /// Three-valued `and`/`or` over whole columns: false and anything is false, true or
  /// anything is true, otherwise null wins.
  /// - Complexity: O(n), one pass without per-row closures.
  private func logic(_ op: BinaryOperator, _ a: Operand, _ b: Operand, _ n: Int) -> Operand {
    let isAnd = op == .and
    switch (a.bools, b.bools) {
    case (.scalar(let s), let other), (let other, .scalar(let s)):
      guard let s else { return logicWithNull(isAnd, other, n) }
      if s == isAnd {
        if case .column(let v, let d) = other { return .column(.bool(TypedColumn(v, validity: d))) }
        if case .scalar(let o) = other { return .scalar(o.map(Value.bool) ?? .null) }
      }
      return .scalar(.bool(s))
    case (.column(let p, let pv), .column(let q, let qv)):
      if !pv.hasNulls && !qv.hasNulls {
        return .column(.bool(TypedColumn(Elementwise.logic(p, q, and: isAnd))))
      }
      var out = [Bool](repeating: false, count: n)
      var validity = ValidityBuilder(capacity: n)
      for i in 0..<n {
        let x: Bool? = pv.isValid(i) ? p[i] : nil
        let y: Bool? = qv.isValid(i) ? q[i] : nil
        let r: Bool? =
          isAnd
          ? (x == false || y == false ? false : (x == nil || y == nil ? nil : true))
          : (x == true || y == true ? true : (x == nil || y == nil ? nil : false))
        out[i] = r ?? false
        validity.append(r != nil)
      }
      return .column(.bool(TypedColumn(out, validity: validity.build())))
    }
  }

  /// `x and null` / `x or null`: the side that decides alone keeps its value, else null.
  private func logicWithNull(_ isAnd: Bool, _ other: Side<Bool>, _ n: Int) -> Operand {
    guard case .column(let v, let d) = other else { return .scalar(.null) }
    var validity = ValidityBuilder(capacity: n)
    for i in 0..<n { validity.append(d.isValid(i) && v[i] != isAnd) }
    return .column(.bool(TypedColumn(v, validity: validity.build())))
  }

  private func compare(
    _ op: BinaryOperator, _ a: Operand, _ b: Operand, _ type: DataType, _ n: Int
  ) -> Operand {
    let kernel: ([Int], Comparison, Int) -> [Bool] = Elementwise.compare
    switch type {
    case .int, .date: return .column(.bool(compareSides(op, a.ints, b.ints, n, kernel)))
    case .float:
      return .column(.bool(compareSides(op, a.floats, b.floats, n, Elementwise.compare)))
    case .bool:
      return .column(.bool(compareSides(op, boolsAsInts(a), boolsAsInts(b), n, kernel)))
    case .text:
      let comparison = op.comparison ?? .equal
      if let codes = textColumns(comparison, a, b) { return .column(.bool(codes)) }
      return textPredicate(a, b, n) { x, y in comparison.holds(Executor.textOrder(x, y)) }
    }
  }

  /// Two text columns compared through their codes in one merged dictionary: equal texts
  /// share a code, and order comparisons read each code's place in the dictionary's byte
  /// order. No string is made per row. Nil unless both sides are text columns.
  private func textColumns(_ comparison: Comparison, _ a: Operand, _ b: Operand)
    -> TypedColumn<Bool>?
  {
    guard case .column(.text) = a, case .column(.text) = b, let merged = TextSides([a, b]),
      case .column(let x, let xv) = merged.sides[0], case .column(let y, let yv) = merged.sides[1]
    else { return nil }
    let validity = Validity.and(xv, yv)
    switch comparison {
    case .equal: return TypedColumn(Elementwise.map(x, y) { $0 == $1 }, validity: validity)
    case .notEqual: return TypedColumn(Elementwise.map(x, y) { $0 != $1 }, validity: validity)
    default:
      let d = merged.dictionary
      var rank = [Int](repeating: 0, count: d.count)
      let order = d.indices.sorted { Executor.textOrder(d[$0], d[$1]) < 0 }
      for (place, code) in order.enumerated() { rank[code] = place }
      // A null row's code may lie past a merged dictionary that is empty: it ranks 0.
      let ranks = { (c: UInt32) -> Int in Int(c) < rank.count ? rank[Int(c)] : 0 }
      return TypedColumn(
        Elementwise.map(x, y) {
          comparison.holds(ranks($0) < ranks($1) ? -1 : ranks($0) > ranks($1) ? 1 : 0)
        },
        validity: validity)
    }
  }

  private func boolsAsInts(_ o: Operand) -> Side<Int> {
    switch o.bools {
    case .column(let v, let d): .column(v.map { $0 ? 1 : 0 }, d)
    case .scalar(let v): .scalar(v.map { $0 ? 1 : 0 })
    }
  }

  /// -1, 0 or 1 for text compared by code points.
  static func textOrder(_ x: String, _ y: String) -> Int {
    if x == y { return 0 }
    return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
  }

  private func compareSides<T: Comparable>(
    _ op: BinaryOperator, _ a: Side<T>, _ b: Side<T>, _ n: Int,
    _ kernel: ([T], Comparison, T) -> [Bool]
  ) -> TypedColumn<Bool> {
    if let c = op.comparison, case .column(let v, let validity) = a, case .scalar(let x?) = b {
      return TypedColumn(kernel(v, c, x), validity: validity)
    }
    if let c = op.comparison, case .scalar(let x?) = a, case .column(let v, let validity) = b {
      return TypedColumn(kernel(v, c.mirrored, x), validity: validity)
    }
    // Two columns: every row compared in one loop (a null row's placeholder harmlessly).
    if case .column(let x, let xv) = a, case .column(let y, let yv) = b {
      let validity = Validity.and(xv, yv)
      let values =
        switch op {
        case .equal: Elementwise.map(x, y) { $0 == $1 }
        case .notEqual: Elementwise.map(x, y) { $0 != $1 }
        case .less: Elementwise.map(x, y) { $0 < $1 }
        case .lessEqual: Elementwise.map(x, y) { $0 <= $1 }
        case .greater: Elementwise.map(x, y) { $0 > $1 }
        default: Elementwise.map(x, y) { $0 >= $1 }
        }
      return TypedColumn(values, validity: validity)
    }
    return switch op {
    case .equal: zipMap(a, b, n, placeholder: false) { $0 == $1 }
    case .notEqual: zipMap(a, b, n, placeholder: false) { $0 != $1 }
    case .less: zipMap(a, b, n, placeholder: false) { $0 < $1 }
    case .lessEqual: zipMap(a, b, n, placeholder: false) { $0 <= $1 }
    case .greater: zipMap(a, b, n, placeholder: false) { $0 > $1 }
    default: zipMap(a, b, n, placeholder: false) { $0 >= $1 }
    }
  }

  /// A text predicate; when one side is a single value it is evaluated once per dictionary
  /// entry and looked up by code.
  func textPredicate(_ a: Operand, _ b: Operand, _ n: Int, _ p: (String, String) -> Bool)
    -> Operand
  {
    switch (a, b) {
    case (.column(.text(let c)), .scalar(let v)):
      guard case .text(let s) = v else { return .scalar(.null) }
      return .column(.bool(byDictionary(c) { p($0, s) }))
    case (.scalar(let v), .column(.text(let c))):
      guard case .text(let s) = v else { return .scalar(.null) }
      return .column(.bool(byDictionary(c) { p(s, $0) }))
    case (.scalar(.text(let x)), .scalar(.text(let y))):
      return .scalar(.bool(p(x, y)))
    case (.scalar, .scalar):
      return .scalar(.null)
    default:
      let x = textSide(a)
      let y = textSide(b)
      return .column(.bool(zipMap(x, y, n, placeholder: false) { p($0, $1) }))
    }
  }

  func textSide(_ o: Operand) -> Side<String> {
    switch o {
    case .column(.text(let c)):
      .column(c.codes.map { c.dictionary.isEmpty ? "" : c.dictionary[Int($0)] }, c.validity)
    case .column(let c): .column([String](repeating: "", count: c.count), .allNull(c.count))
    case .scalar(.text(let s)): .scalar(s)
    case .scalar: .scalar(nil)
    }
  }

  private func byDictionary(_ c: TextColumn, _ p: (String) -> Bool) -> TypedColumn<Bool> {
    TypedColumn(Elementwise.lookup(c.codes, in: c.dictionary.map(p)), validity: c.validity)
  }

  private func arithmetic(
    _ op: BinaryOperator, _ a: Operand, _ b: Operand, _ operandType: DataType, _ type: DataType,
    _ n: Int
  ) throws(EngineError) -> Operand {
    switch (operandType, type) {
    case (.text, _):
      // Concatenated once per distinct pair of texts (grouped by their codes).
      if let distinct = try perDistinct(
        [a, b], n, .text,
        { v in
          guard case .text(let x) = v[0], case .text(let y) = v[1] else { return .null }
          return .text(x + y)
        })
      {
        return .column(distinct)
      }
      let r = zipMap(textSide(a), textSide(b), n, placeholder: "") { $0 + $1 }
      var builder = TextColumnBuilder()
      for i in 0..<n { builder.append(r[i]) }
      return .column(.text(builder.build()))
    case (.float, _):
      if let r = denseFloats(op, a, b) { return .column(.float(r)) }
      return .column(.float(floatArithmetic(op, a.floats, b.floats, n)))
    default:
      let r: TypedColumn<Int>
      if let dense = try denseInts(op, a, b) {
        r = dense
      } else {
        r = try intArithmetic(op, a.ints, b.ints, n)
      }
      return .column(type == .date ? .date(r) : .int(r))
    }
  }

  /// `+`, `-` and `*` giving floats, when a side is a column: every row computed in one
  /// loop straight from the operands' arrays (an int side converted as it is read), the
  /// validity the sides' together (a null row's placeholder is computed on, harmlessly:
  /// float arithmetic raises nothing). Nil for other operators and a null constant.
  private func denseFloats(_ op: BinaryOperator, _ a: Operand, _ b: Operand)
    -> TypedColumn<Double>?
  {
    guard let x = NumberSide(a), let y = NumberSide(b) else { return nil }
    let values: [Double]?
    switch op {
    case .add: values = NumberSide.combine(x, y) { $0 + $1 }
    case .subtract: values = NumberSide.combine(x, y) { $0 - $1 }
    case .multiply: values = NumberSide.combine(x, y) { $0 * $1 }
    default: values = nil
    }
    guard let values else { return nil }
    return TypedColumn(values, validity: Validity.and(x.validity, y.validity))
  }

  /// `+`, `-` and `*` of ints when no row is null (so no placeholder is computed on): one
  /// loop straight from the operands' arrays. Nil for other operators or when a row is
  /// null; throws when a result overflows.
  private func denseInts(_ op: BinaryOperator, _ a: Operand, _ b: Operand)
    throws(EngineError) -> TypedColumn<Int>?
  {
    let values: [Int]??
    switch op {
    case .add: values = Executor.denseInts(a.ints, b.ints) { $0.addingReportingOverflow($1) }
    case .subtract:
      values = Executor.denseInts(a.ints, b.ints) { $0.subtractingReportingOverflow($1) }
    case .multiply:
      values = Executor.denseInts(a.ints, b.ints) { $0.multipliedReportingOverflow(by: $1) }
    default: values = nil
    }
    guard let values else { return nil }
    guard let values else { throw .overflow(operation: "\(op.rawValue)") }
    return TypedColumn(values)
  }

  /// `f` of the two sides row by row, when a side is a column and neither has a null:
  /// nil when that does not hold, `.some(nil)` when a result overflowed.
  @inline(__always)
  private static func denseInts(
    _ x: Side<Int>, _ y: Side<Int>, _ f: (Int, Int) -> (partialValue: Int, overflow: Bool)
  ) -> [Int]?? {
    switch (x, y) {
    case (.column(let p, let pv), .column(let q, let qv)) where !pv.hasNulls && !qv.hasNulls:
      Elementwise.mapReportingOverflow(p, q, f)
    case (.column(let p, let pv), .scalar(let c?)) where !pv.hasNulls:
      Elementwise.mapReportingOverflow(p) { f($0, c) }
    case (.scalar(let c?), .column(let q, let qv)) where !qv.hasNulls:
      Elementwise.mapReportingOverflow(q) { f(c, $0) }
    default: .none
    }
  }

  private func floatArithmetic(_ op: BinaryOperator, _ a: Side<Double>, _ b: Side<Double>, _ n: Int)
    -> TypedColumn<Double>
  {
    switch op {
    case .add: zipMap(a, b, n, placeholder: 0) { $0 + $1 }
    case .subtract: zipMap(a, b, n, placeholder: 0) { $0 - $1 }
    case .multiply: zipMap(a, b, n, placeholder: 0) { $0 * $1 }
    case .divide: zipMap(a, b, n, placeholder: 0) { $1 == 0 ? nil : $0 / $1 }
    default:
      zipMap(a, b, n, placeholder: 0) { x, y in
        y == 0 ? nil : x.truncatingRemainder(dividingBy: y)
      }
    }
  }

  private func intArithmetic(_ op: BinaryOperator, _ a: Side<Int>, _ b: Side<Int>, _ n: Int)
    throws(EngineError) -> TypedColumn<Int>
  {
    var overflow = false
    let r: TypedColumn<Int>
    switch op {
    case .add:
      r = zipMap(a, b, n, placeholder: 0) { x, y in
        let (v, o) = x.addingReportingOverflow(y)
        overflow = overflow || o
        return v
      }
    case .subtract:
      r = zipMap(a, b, n, placeholder: 0) { x, y in
        let (v, o) = x.subtractingReportingOverflow(y)
        overflow = overflow || o
        return v
      }
    case .multiply:
      r = zipMap(a, b, n, placeholder: 0) { x, y in
        let (v, o) = x.multipliedReportingOverflow(by: y)
        overflow = overflow || o
        return v
      }
    default:
      r = zipMap(a, b, n, placeholder: 0) { x, y -> Int? in
        if y == 0 { return nil }
        let (v, o) = x.remainderReportingOverflow(dividingBy: y)
        return o ? 0 : v
      }
    }
    if overflow { throw .overflow(operation: "\(op.rawValue)") }
    return r
  }
}

/// A numeric operand of float arithmetic, kept in its own type so that an int column is
/// converted as the arithmetic reads it, not copied first.
private enum NumberSide {
  case doubles([Double], Validity)
  case ints([Int], Validity)
  case constant(Double)

  /// Nil for a null constant or a column of another type.
  init?(_ o: Operand) {
    switch o {
    case .column(.float(let c)): self = .doubles(c.values, c.validity)
    case .column(.int(let c)): self = .ints(c.values, c.validity)
    case .scalar(.float(let v)): self = .constant(v)
    case .scalar(.int(let v)): self = .constant(Double(v))
    default: return nil
    }
  }

  var validity: Validity {
    switch self {
    case .doubles(_, let v), .ints(_, let v): v
    case .constant: .allValid
    }
  }

  /// `f` of the two sides, row by row; nil when both are constants.
  @inline(__always)
  static func combine(_ a: NumberSide, _ b: NumberSide, _ f: (Double, Double) -> Double)
    -> [Double]?
  {
    switch (a, b) {
    case (.doubles(let x, _), .doubles(let y, _)): Elementwise.map(x, y, f)
    case (.ints(let x, _), .doubles(let y, _)): Elementwise.map(x, y) { f(Double($0), $1) }
    case (.doubles(let x, _), .ints(let y, _)): Elementwise.map(x, y) { f($0, Double($1)) }
    case (.ints(let x, _), .ints(let y, _)): Elementwise.map(x, y) { f(Double($0), Double($1)) }
    case (.doubles(let x, _), .constant(let c)): Elementwise.map(x) { f($0, c) }
    case (.ints(let x, _), .constant(let c)): Elementwise.map(x) { f(Double($0), c) }
    case (.constant(let c), .doubles(let y, _)): Elementwise.map(y) { f(c, $0) }
    case (.constant(let c), .ints(let y, _)): Elementwise.map(y) { f(c, Double($0)) }
    case (.constant, .constant): nil
    }
  }
}
