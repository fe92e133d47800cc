import Columnar

/// An evaluated expression: a whole column, or one value for every row (a literal is never
/// expanded unless it has to be).
enum Operand {
  case column(Column)
  case scalar(Value)

  /// The operand as a column of `count` rows.
  func materialize(_ type: DataType, _ count: Int) -> Column {
    switch self {
    case .column(let c): c
    case .scalar(let v): .constant(v, type: type, count: count)
    }
  }

  /// The value at row `i`.
  func value(at i: Int) -> Value {
    switch self {
    case .column(let c): c.value(at: i)
    case .scalar(let v): v
    }
  }

  var isScalar: Bool {
    if case .scalar = self { return true }
    return false
  }
}

/// One side of a typed binary kernel.
enum Side<T> {
  case column([T], Validity)
  case scalar(T?)
}

extension Operand {
  var ints: Side<Int> {
    switch self {
    case .column(.int(let c)), .column(.date(let c)): .column(c.values, c.validity)
    case .column(let c): .column([Int](repeating: 0, count: c.count), .allNull(c.count))
    case .scalar(.int(let v)), .scalar(.date(let v)): .scalar(v)
    case .scalar: .scalar(nil)
    }
  }

  var floats: Side<Double> {
    switch self {
    case .column(.float(let c)): .column(c.values, c.validity)
    case .column(.int(let c)): .column(c.values.map(Double.init), c.validity)
    case .column(let c): .column([Double](repeating: 0, count: c.count), .allNull(c.count))
    case .scalar(.float(let v)): .scalar(v)
    case .scalar(.int(let v)): .scalar(Double(v))
    case .scalar: .scalar(nil)
    }
  }

  var bools: Side<Bool> {
    switch self {
    case .column(.bool(let c)): .column(c.values, c.validity)
    case .column(let c): .column([Bool](repeating: false, count: c.count), .allNull(c.count))
    case .scalar(.bool(let v)): .scalar(v)
    case .scalar: .scalar(nil)
    }
  }
}

/// Applies `f` row by row to two sides; a null on either side, or `f` giving `nil`, makes a
/// null. `f` never sees a null row's placeholder. The validity is the inputs' own unless
/// `f` gives `nil` somewhere (rare: a root of a negative, an overflow), so a loop over rows
/// without nulls writes values only.
/// - Complexity: O(n).
@inline(__always)
func zipMap<A, B, R>(
  _ a: Side<A>, _ b: Side<B>, _ n: Int, placeholder: R, _ f: (A, B) -> R?
) -> TypedColumn<R> {
  var out = [R](repeating: placeholder, count: n)
  var failed: [Int] = []
  let valid: Validity
  switch (a, b) {
  case (.column(let av, let avd), .column(let bv, let bvd)):
    valid = Validity.and(avd, bvd)
    out.withUnsafeMutableBufferPointer { o in
      for i in 0..<n where !valid.hasNulls || valid.isValid(i) {
        if let r = f(av[i], bv[i]) { o[i] = r } else { failed.append(i) }
      }
    }
  case (.column(let av, let avd), .scalar(let bs)):
    guard let bs else { return TypedColumn(out, validity: .allNull(n)) }
    valid = avd
    out.withUnsafeMutableBufferPointer { o in
      for i in 0..<n where !valid.hasNulls || valid.isValid(i) {
        if let r = f(av[i], bs) { o[i] = r } else { failed.append(i) }
      }
    }
  case (.scalar(let asv), .column(let bv, let bvd)):
    guard let asv else { return TypedColumn(out, validity: .allNull(n)) }
    valid = bvd
    out.withUnsafeMutableBufferPointer { o in
      for i in 0..<n where !valid.hasNulls || valid.isValid(i) {
        if let r = f(asv, bv[i]) { o[i] = r } else { failed.append(i) }
      }
    }
  case (.scalar(let asv), .scalar(let bs)):
    if let asv, let bs, let r = f(asv, bs) {
      return TypedColumn([R](repeating: r, count: n))
    }
    return TypedColumn(out, validity: .allNull(n))
  }
  guard !failed.isEmpty else { return TypedColumn(out, validity: valid) }
  var flags = [Bool](repeating: true, count: n)
  for i in failed { flags[i] = false }
  return TypedColumn(out, validity: Validity.and(valid, Validity(flags)))
}
