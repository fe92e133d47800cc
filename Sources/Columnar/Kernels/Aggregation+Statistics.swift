extension Aggregation {
  /// Sample variance (n − 1): the square of `stddev`, null below two values.
  static func variance(_ xs: ArraySlice<Double>) -> Double? {
    guard xs.count >= 2 else { return nil }
    let m = mean(xs)
    let ss = total(xs.map { ($0 - m) * ($0 - m) }[...])
    return ss / Double(xs.count - 1)
  }

  /// The most frequent known value of each group; among equally frequent values, the
  /// least (so the answer does not depend on row order). Null when the group has none.
  func mode(_ column: Column) -> Column {
    column.gather(GroupValues.modeRows(ids: rowGroups(column.count), groups: groupCount, column))
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
  /// known, in row order (see `PairedMoments`).
  func paired(_ kind: AggregateKind, _ ys: Column) -> Column {
    guard let xs = positions, let (yv, yk) = ys.doubles, let (xv, xk) = xs.doubles
    else { return .nulls(.float, count: groupCount) }
    var out: [Double?] = []
    out.reserveCapacity(groupCount)
    for g in 0..<groupCount {
      var m = PairedMoments()
      for r in members(g) where yk.isValid(r) && xk.isValid(r) { m.add(yv[r], xv[r]) }
      out.append(kind.pairedStatistic.flatMap(m.result))
    }
    return .float(TypedColumn(optionals: out, placeholder: 0))
  }

}
