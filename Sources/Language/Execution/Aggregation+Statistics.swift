import Columnar

extension Aggregation {
  /// Sample variance (n − 1): the square of `stddev`, null below two values.
  static func variance(_ xs: [Double]) -> Double? {
    guard xs.count >= 2 else { return nil }
    let m = mean(xs)
    let ss = total(xs.map { ($0 - m) * ($0 - m) })
    return ss / Double(xs.count - 1)
  }

  /// The most frequent known value of each group; among equally frequent values, the
  /// least (so the answer does not depend on row order). Null when the group has none.
  func mode(_ column: Column) -> Column {
    let e = EncodedKeys(column)
    var chosen: [Int] = []
    var counts: [UInt64: (count: Int, row: Int)] = [:]
    for g in 0..<groupCount {
      counts.removeAll(keepingCapacity: true)
      for r in members(g) where e.validity.isValid(r) {
        counts[e.keys[r], default: (0, r)].count += 1
      }
      var best: (key: UInt64, count: Int, row: Int)?
      for (key, v) in counts {
        if let b = best, v.count < b.count || (v.count == b.count && key > b.key) { continue }
        best = (key, v.count, v.row)
      }
      chosen.append(best?.row ?? -1)
    }
    return column.gather(chosen)
  }

  /// The known values of each group as text, in the group's row order, joined by the
  /// separator; null when the group has none.
  func stringAgg(_ column: Column) -> Column {
    var b = TextColumnBuilder()
    let v = column.validity
    for g in 0..<groupCount {
      var parts: [String] = []
      for r in members(g) where v.isValid(r) { parts.append(CellText.format(column.value(at: r))) }
      b.append(parts.isEmpty ? nil : parts.joined(separator: separator))
    }
    return .text(b.build())
  }

  /// corr, covar_samp, covar_pop, regr_slope, regr_intercept and regr_r2 of `(y, x)` as SQL
  /// defines them (PostgreSQL's results), over the rows of each group where both are
  /// known: two passes, the means first. A result that divides by a zero variance is null
  /// (regr_r2 is 1 when only y is constant).
  func paired(_ kind: AggregateKind, _ ys: Column) -> Column {
    guard let xs = positions else { return .nulls(.float, count: groupCount) }
    var out: [Double?] = []
    out.reserveCapacity(groupCount)
    var y: [Double] = []
    var x: [Double] = []
    for g in 0..<groupCount {
      y.removeAll(keepingCapacity: true)
      x.removeAll(keepingCapacity: true)
      for r in members(g) {
        guard let a = ys.value(at: r).asDouble, let b = xs.value(at: r).asDouble else { continue }
        y.append(a)
        x.append(b)
      }
      out.append(Aggregation.pairedStatistic(kind, y, x))
    }
    return .float(TypedColumn(optionals: out, placeholder: 0))
  }

  static func pairedStatistic(_ kind: AggregateKind, _ y: [Double], _ x: [Double]) -> Double? {
    let n = Double(y.count)
    guard !y.isEmpty else { return nil }
    let my = mean(y)
    let mx = mean(x)
    let sxy = total(zip(x, y).map { ($0 - mx) * ($1 - my) })
    let sxx = total(x.map { ($0 - mx) * ($0 - mx) })
    let syy = total(y.map { ($0 - my) * ($0 - my) })
    switch kind {
    case .covarPop: return sxy / n
    case .covarSamp: return y.count < 2 ? nil : sxy / (n - 1)
    case .corr:
      guard sxx > 0, syy > 0 else { return nil }
      return sxy / (sxx.squareRoot() * syy.squareRoot())
    case .regrSlope:
      guard sxx > 0 else { return nil }
      return sxy / sxx
    case .regrIntercept:
      guard sxx > 0 else { return nil }
      return my - sxy / sxx * mx
    case .regrR2:
      guard sxx > 0 else { return nil }
      guard syy > 0 else { return 1 }
      let r = sxy / (sxx.squareRoot() * syy.squareRoot())
      return r * r
    default: return nil
    }
  }
}
