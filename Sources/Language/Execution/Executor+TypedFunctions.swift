import Columnar

#if canImport(Glibc)
  import Glibc
#endif

/// Scalar functions over whole typed columns: one loop over an array per call, no `Value`
/// per row. Each loop gives what `ScalarFunction.apply` gives row by row (the tests compare
/// the two on every function); a call with no loop here runs row by row.
extension Executor {
  /// The call over typed columns, or nil when its shape has no typed loop.
  func typedCall(_ f: ScalarFunction, _ args: [Operand], _ type: DataType, _ n: Int)
    throws(EngineError) -> Operand?
  {
    switch f {
    case .if: return choose(args, type, n)
    case .coalesce: return coalesce(args, type, n)
    default: break
    }
    let columns = args.indices.filter { !args[$0].isScalar }
    if columns.count == 1, case .column(.text(let c)) = args[columns[0]] {
      return .column(try perEntry(f, args, at: columns[0], c, type, n))
    }
    guard case .column(let first) = args[0] else { return nil }
    switch (f, first) {
    case (.abs, .int(let c)):
      var overflow = false
      let r = zipMap(Side.column(c.values, c.validity), Side<Int>.scalar(0), n, placeholder: 0) {
        v, _ -> Int? in
        if v == .min { overflow = true }
        return v == .min ? 0 : Swift.abs(v)
      }
      if overflow { throw .overflow(operation: "abs") }
      return .column(.int(r))
    case (.floor, .int), (.ceil, .int): return args[0]
    case (.round, .int(let c)):
      guard args.count > 1 else { return args[0] }
      var overflow = false
      let r = zipMap(Side.column(c.values, c.validity), args[1].ints, n, placeholder: 0) {
        v, digits -> Int? in
        let (rounded, o) = ScalarFunction.roundInt(v, digits: digits)
        if o { overflow = true }
        return rounded
      }
      if overflow { throw .overflow(operation: "round") }
      return .column(.int(r))
    case (.abs, .float(let c)), (.floor, .float(let c)), (.ceil, .float(let c)):
      // Total on every float: one loop over every row, the validity kept as it is.
      let values =
        switch f {
        case .abs: Elementwise.map(c.values) { Swift.abs($0) }
        case .floor: Elementwise.map(c.values) { ScalarFunction.floored($0) }
        default: Elementwise.map(c.values) { ScalarFunction.ceiled($0) }
        }
      return .column(.float(TypedColumn(values, validity: c.validity)))
    case (.round, .float(let c)) where args.count == 1 || args[1].isScalar:
      // A constant number of digits (a null one makes every row null).
      var digits = 0
      if args.count > 1 {
        guard case .scalar(.int(let d)) = args[1] else { return .column(.nulls(.float, count: n)) }
        digits = d
      }
      let values =
        digits == 0
        ? Elementwise.map(c.values) { ScalarFunction.roundedToWhole($0) }
        : Elementwise.map(c.values) { ScalarFunction.roundHalfAway($0, digits: digits) }
      return .column(.float(TypedColumn(values, validity: c.validity)))
    case (.round, .float), (.sqrt, _), (.ln, _), (.exp, _):
      let digits = args.count > 1 ? args[1].ints : Side<Int>.scalar(0)
      return .column(
        .float(
          zipMap(args[0].floats, digits, n, placeholder: 0) { x, d in
            ScalarFunction.math(f, x, digits: d)
          }))
    case (.pow, _):
      return .column(
        .float(
          zipMap(args[0].floats, args[1].floats, n, placeholder: 0) { x, y in
            let r = Glibc.pow(x, y)
            return r.isFinite ? r : nil
          }))
    case (.year, .date), (.month, .date), (.day, .date):
      return .column(
        .int(
          zipMap(args[0].ints, Side<Int>.scalar(0), n, placeholder: 0) { d, _ in
            let (y, m, day) = CivilDate.civil(d)
            return f == .year ? y : f == .month ? m : day
          }))
    case (.int, .int), (.float, .float), (.date, .date): return args[0]
    case (.int, .date(let c)): return .column(.int(c))
    case (.int, .bool(let c)):
      return .column(.int(TypedColumn(c.values.map { $0 ? 1 : 0 }, validity: c.validity)))
    case (.float, .int): return .column(first.widened(to: .float))
    case (.float, .bool(let b)):
      return .column(.float(TypedColumn(b.values.map { $0 ? 1 : 0 }, validity: b.validity)))
    case (.int, .float(let c)):
      var overflow = false
      let r = zipMap(Side.column(c.values, c.validity), Side<Int>.scalar(0), n, placeholder: 0) {
        d, _ -> Int? in
        // Truncated toward zero by the conversion itself (no call per row); within the int
        // range, which -2^63 is and 2^63 is not.
        guard d >= -0x1p63, d < 0x1p63 else {
          overflow = true
          return nil
        }
        return Int(d)
      }
      if overflow { throw .overflow(operation: "int()") }
      return .column(.int(r))
    default: return nil
    }
  }

  /// A function of one text column (the other arguments constants) run once per dictionary
  /// entry, and once for null; each row then takes its entry's result.
  private func perEntry(
    _ f: ScalarFunction, _ args: [Operand], at k: Int, _ c: TextColumn, _ type: DataType,
    _ n: Int
  ) throws(EngineError) -> Column {
    var values = args.map { $0.isScalar ? $0.value(at: 0) : .null }
    var results: [Value] = []
    results.reserveCapacity(c.dictionary.count + 1)
    for s in c.dictionary {
      values[k] = .text(s)
      results.append(try ScalarFunction.apply(f, values))
    }
    values[k] = .null
    let nullEntry = results.count
    results.append(try ScalarFunction.apply(f, values))
    return Column.indexing(
      results, by: .codes(c.codes, c.validity, nullEntry: nullEntry), type: type)
  }

  /// `if(cond, a, b)`: `a` where the condition is true, else `b` (false or null). In two
  /// passes over arrays: `b` copied, then `a` written where the condition holds.
  private func choose(_ args: [Operand], _ type: DataType, _ n: Int) -> Operand? {
    let cond = args[0].bools
    if case .scalar(let c) = cond { return c == true ? args[1] : args[2] }
    guard case .column(let flags, let known) = cond else { return nil }
    @inline(__always) func holds(_ i: Int) -> Bool { flags[i] && known.isValid(i) }
    func pick<T>(
      _ a: Side<T>, _ b: Side<T>, _ zero: T,
      _ select: ([Bool], Validity, inout [T], [T]?, T) -> Void
    ) -> TypedColumn<T> {
      var out = b.materialized(n, zero)
      switch a {
      case .column(let values, _): select(flags, known, &out, values, zero)
      case .scalar(let v): select(flags, known, &out, nil, v ?? zero)
      }
      guard a.mayBeNull || b.mayBeNull else { return TypedColumn(out) }
      return TypedColumn(
        out, validity: Validity(count: n) { holds($0) ? a.isValid($0) : b.isValid($0) })
    }
    switch type {
    case .int: return .column(.int(pick(args[1].ints, args[2].ints, 0, Elementwise.select)))
    case .date: return .column(.date(pick(args[1].ints, args[2].ints, 0, Elementwise.select)))
    case .float:
      return .column(.float(pick(args[1].floats, args[2].floats, 0, Elementwise.select)))
    case .bool:
      return .column(.bool(pick(args[1].bools, args[2].bools, false, Elementwise.select)))
    case .text:
      guard let texts = TextSides([args[1], args[2]]) else { return nil }
      let codes = pick(texts.sides[0], texts.sides[1], 0, Elementwise.select)
      return .column(.text(texts.column(codes, n)))
    }
  }

  /// `coalesce(a, b, …)`: the first argument that is not null. From the last argument
  /// back, each one written over the rows where it holds a value.
  private func coalesce(_ args: [Operand], _ type: DataType, _ n: Int) -> Operand? {
    func first<T>(_ sides: [Side<T>], _ zero: T) -> TypedColumn<T> {
      guard let last = sides.last else { return TypedColumn([], validity: .allValid) }
      var out = last.materialized(n, zero)
      var validity = last.validity(n)
      for s in sides.dropLast().reversed() {
        switch s {
        case .column(let values, let known) where !known.hasNulls:
          // A value on every row: the sides after it are never reached.
          (out, validity) = (values, .allValid)
        case .column(let values, let known):
          out.withUnsafeMutableBufferPointer { o in
            values.withUnsafeBufferPointer { v in
              for i in 0..<n where known.isValid(i) { o[i] = v[i] }
            }
          }
          validity = Validity.or(validity, known, count: n)
        case .scalar(let v?):
          return TypedColumn([T](repeating: v, count: n))
        case .scalar(nil): break
        }
      }
      return TypedColumn(out, validity: validity)
    }
    switch type {
    case .int: return .column(.int(first(args.map(\.ints), 0)))
    case .date: return .column(.date(first(args.map(\.ints), 0)))
    case .float: return .column(.float(first(args.map(\.floats), 0)))
    case .bool: return .column(.bool(first(args.map(\.bools), false)))
    case .text:
      guard let texts = TextSides(args) else { return nil }
      return .column(.text(texts.column(first(texts.sides, 0), n)))
    }
  }
}

extension Side {
  /// Whether row `i` holds a value.
  @inline(__always) func isValid(_ i: Int) -> Bool {
    switch self {
    case .column(_, let validity): validity.isValid(i)
    case .scalar(let v): v != nil
    }
  }

  /// Whether some row may be null.
  var mayBeNull: Bool {
    switch self {
    case .column(_, let validity): validity.hasNulls
    case .scalar(let v): v == nil
    }
  }

  /// The values of `n` rows (`zero` under a null).
  func materialized(_ n: Int, _ zero: T) -> [T] {
    switch self {
    case .column(let values, _): values
    case .scalar(let v): [T](repeating: v ?? zero, count: n)
    }
  }

  /// The validity of `n` rows.
  func validity(_ n: Int) -> Validity {
    switch self {
    case .column(_, let validity): validity
    case .scalar(let v): v == nil ? .allNull(n) : .allValid
    }
  }
}

/// Text operands recoded into one dictionary, each as a side of codes in it, so that a
/// row can take its text from any of them by code, with no string per row. A column whose
/// dictionary comes first keeps its codes as they are: the columns' dictionaries are taken
/// before any constant's value (`if(x > 90, "high", if(…))` keeps the inner result's codes
/// rather than recoding its rows).
struct TextSides {
  var dictionary: [String] = []
  var index: [String: UInt32] = [:]
  var sides: [Side<UInt32>] = []

  init?(_ operands: [Operand]) {
    // Each column's codes in the merged dictionary (nil: kept as they are).
    var remaps: [[UInt32]?] = []
    for o in operands {
      guard case .column(.text(let c)) = o else {
        remaps.append(nil)
        continue
      }
      let remap = c.dictionary.map { code($0) }
      let same = remap.enumerated().allSatisfy { UInt32($0.offset) == $0.element }
      remaps.append(same ? nil : remap)
    }
    for (o, remap) in zip(operands, remaps) {
      switch o {
      case .column(.text(let c)):
        sides.append(.column(remap.map { r in c.codes.map { r[Int($0)] } } ?? c.codes, c.validity))
      case .scalar(.text(let s)): sides.append(.scalar(code(s)))
      case .scalar(.null): sides.append(.scalar(nil))
      default: return nil
      }
    }
  }

  private mutating func code(_ s: String) -> UInt32 {
    if let c = index[s] { return c }
    let c = UInt32(dictionary.count)
    index[s] = c
    dictionary.append(s)
    return c
  }

  /// A text column of `n` rows from codes in the merged dictionary.
  func column(_ codes: TypedColumn<UInt32>, _ n: Int) -> TextColumn {
    TextColumn(
      codes: codes.values, dictionary: dictionary.isEmpty && n > 0 ? [""] : dictionary,
      validity: codes.validity)
  }
}
