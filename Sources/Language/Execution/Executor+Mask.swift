import Columnar

/// The filter's common conjuncts — a column compared with a constant, a column in a list of
/// constants, a column in a range of constants — and-ed straight into the row mask, with no
/// bool column in between and no branch per row. A row whose value is null fails, as a null
/// condition does.
extension Executor {
  /// Ands `e` into `mask` when it has one of the simple forms; false (mask untouched) when it
  /// has another, to be evaluated in full.
  func andSimple(_ e: BoundExpr, _ t: Table, into mask: inout [UInt8]) throws(EngineError) -> Bool {
    switch e.kind {
    case .binary(let op, let a, let b) where op.isComparison:
      if case .column(let i) = a.kind, let v = try constant(b, t) {
        return compare(t.columns[i], op, v, into: &mask)
      }
      if case .column(let i) = b.kind, let v = try constant(a, t) {
        return compare(t.columns[i], op.mirrored, v, into: &mask)
      }
      return false
    case .inList(let x, let items, negated: false):
      guard case .column(let i) = x.kind else { return false }
      var values: [Value] = []
      for item in items {
        guard let v = try constant(item, t) else { return false }
        if !v.isNull { values.append(v) }
      }
      return member(t.columns[i], values, into: &mask)
    case .inRange(let x, let lo, let hi, negated: false):
      guard case .column(let i) = x.kind, let l = try constant(lo, t), let h = try constant(hi, t)
      else { return false }
      return compare(t.columns[i], .greaterEqual, l, into: &mask)
        && compare(t.columns[i], .lessEqual, h, into: &mask)
    default:
      return false
    }
  }

  /// The value of an expression that reads no column.
  private func constant(_ e: BoundExpr, _ t: Table) throws(EngineError) -> Value? {
    guard e.columns.isEmpty, case .scalar(let v) = try operand(e, t.columns, 1) else { return nil }
    return v
  }

  private func compare(_ c: Column, _ op: BinaryOperator, _ v: Value, into mask: inout [UInt8])
    -> Bool
  {
    switch (c, v) {
    case (_, .null):
      for i in mask.indices { mask[i] = 0 }
      return true
    case (.int(let col), .int(let x)), (.date(let col), .date(let x)):
      Executor.compare(col, op, x, into: &mask)
    case (.float(let col), .float(let x)):
      Executor.compare(col, op, x, into: &mask)
    case (.text(let col), .text(let s)):
      andByCode(col, into: &mask) { Executor.holds(op, Executor.textOrder($0, s)) }
    default:
      return false
    }
    return true
  }

  private static func compare<T: Comparable>(
    _ c: TypedColumn<T>, _ op: BinaryOperator, _ x: T, into mask: inout [UInt8]
  ) {
    mask.withUnsafeMutableBufferPointer { m in
      c.values.withUnsafeBufferPointer { v in
        let n = m.count
        switch op {
        case .equal: for i in 0..<n { m[i] &= v[i] == x ? 1 : 0 }
        case .notEqual: for i in 0..<n { m[i] &= v[i] != x ? 1 : 0 }
        case .less: for i in 0..<n { m[i] &= v[i] < x ? 1 : 0 }
        case .lessEqual: for i in 0..<n { m[i] &= v[i] <= x ? 1 : 0 }
        case .greater: for i in 0..<n { m[i] &= v[i] > x ? 1 : 0 }
        default: for i in 0..<n { m[i] &= v[i] >= x ? 1 : 0 }
        }
      }
    }
    andValidity(c.validity, into: &mask)
  }

  private func member(_ c: Column, _ values: [Value], into mask: inout [UInt8]) -> Bool {
    switch c {
    case .int(let col), .date(let col):
      var xs: [Int] = []
      for v in values {
        switch v {
        case .int(let x), .date(let x): xs.append(x)
        default: return false
        }
      }
      let distinct = Set(xs)
      let lo = xs.min() ?? 0
      let hi = xs.max() ?? 0
      mask.withUnsafeMutableBufferPointer { m in
        col.values.withUnsafeBufferPointer { v in
          if distinct.isEmpty {
            for i in 0..<m.count { m[i] = 0 }
          } else if hi.subtractingReportingOverflow(lo) == (distinct.count - 1, false) {
            // Consecutive values: one unsigned range test.
            let width = UInt(bitPattern: hi &- lo)
            for i in 0..<m.count { m[i] &= UInt(bitPattern: v[i] &- lo) <= width ? 1 : 0 }
          } else {
            xs.withUnsafeBufferPointer { xs in
              for i in 0..<m.count {
                var hit: UInt8 = 0
                for x in xs { hit |= v[i] == x ? 1 : 0 }
                m[i] &= hit
              }
            }
          }
        }
      }
      Executor.andValidity(col.validity, into: &mask)
    case .text(let col):
      var set = Set<String>()
      for v in values {
        guard case .text(let s) = v else { return false }
        set.insert(s)
      }
      andByCode(col, into: &mask) { set.contains($0) }
    default:
      return false
    }
    return true
  }

  /// Ands a per-dictionary-entry condition, looked up by each row's code.
  private func andByCode(_ c: TextColumn, into mask: inout [UInt8], _ p: (String) -> Bool) {
    let table: [UInt8] = c.dictionary.map { p($0) ? 1 : 0 }
    if table.isEmpty {
      for i in mask.indices { mask[i] = 0 }
      return
    }
    mask.withUnsafeMutableBufferPointer { m in
      c.codes.withUnsafeBufferPointer { codes in
        table.withUnsafeBufferPointer { t in
          for i in 0..<m.count { m[i] &= t[Int(codes[i])] }
        }
      }
    }
    Executor.andValidity(c.validity, into: &mask)
  }

  /// Clears the rows that are null.
  static func andValidity(_ validity: Validity, into mask: inout [UInt8]) {
    guard let words = validity.words else { return }
    mask.withUnsafeMutableBufferPointer { m in
      words.withUnsafeBufferPointer { w in
        for i in 0..<m.count { m[i] &= UInt8(truncatingIfNeeded: w[i >> 6] >> UInt64(i & 63)) & 1 }
      }
    }
  }
}
