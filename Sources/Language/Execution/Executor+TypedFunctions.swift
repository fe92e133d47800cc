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
    case (.abs, .float), (.floor, .float), (.ceil, .float), (.round, .float), (.sqrt, _),
      (.ln, _), (.exp, _):
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
    case (.float, .int), (.float, .bool):
      let c = first.widened(to: .float)
      if case .float = c { return .column(c) }
      guard case .bool(let b) = first else { return nil }
      return .column(.float(TypedColumn(b.values.map { $0 ? 1 : 0 }, validity: b.validity)))
    case (.int, .float(let c)):
      var overflow = false
      let r = zipMap(Side.column(c.values, c.validity), Side<Int>.scalar(0), n, placeholder: 0) {
        d, _ -> Int? in
        guard d.isFinite, d > -9.3e18, d < 9.3e18, let i = Int(exactly: d.rounded(.towardZero))
        else {
          overflow = true
          return nil
        }
        return i
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
    let (codes, validity) = (c.codes, c.validity)
    let hasNulls = validity.hasNulls
    return Column.indexing(results, count: n, type: type) { i in
      hasNulls && !validity.isValid(i) ? nullEntry : Int(codes[i])
    }
  }

  /// `if(cond, a, b)`: `a` where the condition is true, else `b` (false or null).
  private func choose(_ args: [Operand], _ type: DataType, _ n: Int) -> Operand? {
    let cond = args[0].bools
    func pick<T>(_ a: Side<T>, _ b: Side<T>, _ zero: T) -> TypedColumn<T> {
      var out = [T](repeating: zero, count: n)
      var validity = ValidityBuilder(capacity: n)
      for i in 0..<n {
        let v = cond.at(i) == true ? a.at(i) : b.at(i)
        if let v { out[i] = v }
        validity.append(v != nil)
      }
      return TypedColumn(out, validity: validity.build())
    }
    switch type {
    case .int: return .column(.int(pick(args[1].ints, args[2].ints, 0)))
    case .date: return .column(.date(pick(args[1].ints, args[2].ints, 0)))
    case .float: return .column(.float(pick(args[1].floats, args[2].floats, 0)))
    case .bool: return .column(.bool(pick(args[1].bools, args[2].bools, false)))
    case .text:
      guard let texts = TextSides([args[1], args[2]]) else { return nil }
      return .column(.text(texts.column(n) { i in cond.at(i) == true ? 0 : 1 }))
    }
  }

  /// `coalesce(a, b, …)`: the first argument that is not null.
  private func coalesce(_ args: [Operand], _ type: DataType, _ n: Int) -> Operand? {
    func first<T>(_ sides: [Side<T>], _ zero: T) -> TypedColumn<T> {
      var out = [T](repeating: zero, count: n)
      var validity = ValidityBuilder(capacity: n)
      for i in 0..<n {
        var v: T? = nil
        for s in sides {
          v = s.at(i)
          if v != nil { break }
        }
        if let v { out[i] = v }
        validity.append(v != nil)
      }
      return TypedColumn(out, validity: validity.build())
    }
    switch type {
    case .int: return .column(.int(first(args.map(\.ints), 0)))
    case .date: return .column(.date(first(args.map(\.ints), 0)))
    case .float: return .column(.float(first(args.map(\.floats), 0)))
    case .bool: return .column(.bool(first(args.map(\.bools), false)))
    case .text:
      guard let texts = TextSides(args) else { return nil }
      return .column(
        .text(
          texts.column(n) { i in
            args.indices.first { texts.isValid($0, i) } ?? 0
          }))
    }
  }
}

extension Side {
  /// The value at row `i`, nil when null.
  @inline(__always) func at(_ i: Int) -> T? {
    switch self {
    case .column(let values, let validity): validity.isValid(i) ? values[i] : nil
    case .scalar(let v): v
    }
  }
}

/// Text operands recoded into one dictionary, so that a row can take its text from any of
/// them by code, with no string per row.
private struct TextSides {
  var dictionary: [String] = []
  var codes: [String: UInt32] = [:]
  /// Each operand's codes in the merged dictionary (a constant is one entry), nil for null.
  var remaps: [[UInt32?]] = []
  var columns: [TextColumn?] = []

  init?(_ operands: [Operand]) {
    for o in operands {
      switch o {
      case .column(.text(let c)):
        remaps.append(c.dictionary.map { code($0) })
        columns.append(c)
      case .scalar(.text(let s)):
        remaps.append([code(s)])
        columns.append(nil)
      case .scalar(.null):
        remaps.append([nil])
        columns.append(nil)
      default: return nil
      }
    }
  }

  private mutating func code(_ s: String) -> UInt32 {
    if let c = codes[s] { return c }
    let c = UInt32(dictionary.count)
    codes[s] = c
    dictionary.append(s)
    return c
  }

  /// The merged code of operand `k` at row `i`, nil when null.
  @inline(__always) func code(_ k: Int, _ i: Int) -> UInt32? {
    guard let c = columns[k] else { return remaps[k][0] }
    return c.validity.isValid(i) ? remaps[k][Int(c.codes[i])] : nil
  }

  @inline(__always) func isValid(_ k: Int, _ i: Int) -> Bool { code(k, i) != nil }

  /// A column whose row `i` holds operand `pick(i)`'s text.
  func column(_ n: Int, pick: (Int) -> Int) -> TextColumn {
    var out = [UInt32](repeating: 0, count: n)
    var validity = ValidityBuilder(capacity: n)
    for i in 0..<n {
      let c = code(pick(i), i)
      if let c { out[i] = c }
      validity.append(c != nil)
    }
    return TextColumn(
      codes: out, dictionary: dictionary.isEmpty && n > 0 ? [""] : dictionary,
      validity: validity.build())
  }
}
