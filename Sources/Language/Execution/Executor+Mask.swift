import Columnar

/// Filters' common conditions recognised as the mask conditions Columnar runs (a column
/// compared with a constant, in a list, in a range of constants; and `and`, `or` and `not`
/// of those).
extension Executor {
  /// The condition `e` as a simple one, or nil when it has another form.
  func simpleCondition(_ e: BoundExpr, _ t: Table) throws(EngineError) -> MaskCondition? {
    switch e.kind {
    case .binary(let op, let a, let b) where op.isComparison:
      guard let comparison = op.comparison else { return nil }
      if case .column(let i) = a.kind, let v = try constant(b, t) {
        return compare(t.columns[i], comparison, v)
      }
      if case .column(let i) = b.kind, let v = try constant(a, t) {
        return compare(t.columns[i], comparison.mirrored, v)
      }
      if case .column(let i) = a.kind, case .column(let j) = b.kind {
        return pair(t.columns[i], comparison, t.columns[j])
      }
      return nil
    case .inList(let x, let items, negated: false):
      guard case .column(let i) = x.kind else { return nil }
      var values: [Value] = []
      for item in items {
        guard let v = try constant(item, t) else { return nil }
        if !v.isNull { values.append(v) }
      }
      return member(t.columns[i], values)
    default:
      return nil
    }
  }

  /// The conditions of a filter's `and` chain: `x in lo..hi` counts as two comparisons, and
  /// simple conditions under `or` and `not` make one condition.
  func simpleConditions(_ e: BoundExpr, _ t: Table) throws(EngineError) -> [MaskCondition]? {
    guard let c = try maskCondition(e, t) else { return nil }
    if case .all(let cs) = c { return cs }
    return [c]
  }

  /// `e` as one mask condition: simple conditions under `and`, `or` and `not`; nil when a
  /// part of it has another form.
  private func maskCondition(_ e: BoundExpr, _ t: Table) throws(EngineError) -> MaskCondition? {
    switch e.kind {
    case .binary(.and, let l, let r):
      guard let a = try maskCondition(l, t), let b = try maskCondition(r, t) else { return nil }
      return .all([a, b])
    case .binary(.or, let l, let r):
      guard let a = try maskCondition(l, t), let b = try maskCondition(r, t) else { return nil }
      return .any([a, b])
    case .unary(.not, let x):
      return try maskCondition(x, t)?.negated
    case .inRange(let x, let lo, let hi, let negated):
      // An int column between two int constants: one unsigned test.
      if case .column(let i) = x.kind, case .int(let col) = t.columns[i],
        case .int(let a)? = try constant(lo, t), case .int(let b)? = try constant(hi, t)
      {
        // An empty range holds for no row (outside the widest range); its negation for
        // every row that is not null.
        let (lo, hi, outside) = a > b ? (Int.min, Int.max, !negated) : (a, b, negated)
        return .intRange(col.values, col.validity, lo: lo, hi: hi, outside: outside)
      }
      let ge = BoundExpr(.binary(.greaterEqual, x, lo), .bool, e.span)
      let le = BoundExpr(.binary(.lessEqual, x, hi), .bool, e.span)
      guard let a = try simpleCondition(ge, t), let b = try simpleCondition(le, t) else {
        return nil
      }
      return negated ? MaskCondition.all([a, b]).negated : .all([a, b])
    case .inList(let x, let items, let negated):
      guard !items.isEmpty else { return nil }
      let list = BoundExpr(.inList(x, items, negated: false), e.type, e.span)
      guard var c = try simpleCondition(list, t) else { return nil }
      // A null in the list makes the test null where it is not true: its negation never
      // holds.
      for item in items where try constant(item, t)?.isNull == true {
        c = .any([c, .never])
        break
      }
      return negated ? c.negated : c
    default:
      return try simpleCondition(e, t)
    }
  }

  /// The value of an expression that reads no column.
  private func constant(_ e: BoundExpr, _ t: Table) throws(EngineError) -> Value? {
    guard e.columns.isEmpty, case .scalar(let v) = try operand(e, t.columns, 1) else { return nil }
    return v
  }

  private func compare(_ c: Column, _ op: Comparison, _ v: Value) -> MaskCondition? {
    switch (c, v) {
    case (_, .null): .never
    case (.int(let col), .int(let x)), (.date(let col), .date(let x)):
      .ints(col.values, col.validity, op, x)
    case (.float(let col), .float(let x)): .floats(col.values, col.validity, op, x)
    case (.text(let col), .text(let s)):
      byCode(col) { op.holds(Executor.textOrder($0, s)) }
    default: nil
    }
  }

  /// Two columns of one numeric type compared (mixed types are compared as floats by the
  /// general route).
  private func pair(_ a: Column, _ op: Comparison, _ b: Column) -> MaskCondition? {
    switch (a, b) {
    case (.int(let x), .int(let y)), (.date(let x), .date(let y)):
      .intPairs(x.values, y.values, Validity.and(x.validity, y.validity), op)
    case (.float(let x), .float(let y)):
      .floatPairs(x.values, y.values, Validity.and(x.validity, y.validity), op)
    default: nil
    }
  }

  private func member(_ c: Column, _ values: [Value]) -> MaskCondition? {
    switch c {
    case .int(let col), .date(let col):
      var xs: [Int] = []
      for v in values {
        switch v {
        case .int(let x), .date(let x): xs.append(x)
        default: return nil
        }
      }
      let distinct = Set(xs)
      guard let lo = xs.min(), let hi = xs.max() else { return .never }
      if hi.subtractingReportingOverflow(lo) == (distinct.count - 1, false) {
        return .intRange(col.values, col.validity, lo: lo, hi: hi, outside: false)
      }
      return .intSet(col.values, col.validity, xs)
    case .text(let col):
      var set = Set<String>()
      for v in values {
        guard case .text(let s) = v else { return nil }
        set.insert(s)
      }
      return byCode(col) { set.contains($0) }
    default:
      return nil
    }
  }

  /// A per-dictionary-entry verdict.
  private func byCode(_ c: TextColumn, _ p: (String) -> Bool) -> MaskCondition {
    let table: [UInt8] = c.dictionary.map { p($0) ? 1 : 0 }
    return table.isEmpty ? .never : .codes(c.codes, c.validity, table)
  }
}
