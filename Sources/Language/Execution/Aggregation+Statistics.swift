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
  /// known, in row order (see `PairedMoments`).
  func paired(_ kind: AggregateKind, _ ys: Column) -> Column {
    guard let xs = positions, let (yv, yk) = Aggregation.doubles(ys),
      let (xv, xk) = Aggregation.doubles(xs)
    else { return .nulls(.float, count: groupCount) }
    var out: [Double?] = []
    out.reserveCapacity(groupCount)
    for g in 0..<groupCount {
      var m = PairedMoments()
      for r in members(g) where yk.isValid(r) && xk.isValid(r) { m.add(yv[r], xv[r]) }
      out.append(m.result(kind))
    }
    return .float(TypedColumn(optionals: out, placeholder: 0))
  }

  /// A numeric column's values as doubles, with its validity.
  static func doubles(_ c: Column) -> ([Double], Validity)? {
    switch c {
    case .int(let t): (t.values.map(Double.init), t.validity)
    case .float(let t): (t.values, t.validity)
    default: nil
    }
  }
}

/// Sums of `(y, x)` pairs shifted by the first pair (the "shifted data" method: one pass,
/// and as accurate as two passes when the first pair is near the rest, as it is in real
/// groups), from which the paired aggregates come. The group stage's one pass and the
/// member lists add the same pairs in the same order, so they give the same bits.
struct PairedMoments {
  var n = 0.0
  var kx = 0.0
  var ky = 0.0
  var sx = 0.0
  var sy = 0.0
  var pxy = 0.0
  var pxx = 0.0
  var pyy = 0.0

  @inline(__always) mutating func add(_ y: Double, _ x: Double) {
    if n == 0 {
      kx = x
      ky = y
    }
    n += 1
    let dx = x - kx
    let dy = y - ky
    sx += dx
    sy += dy
    pxy += dx * dy
    pxx += dx * dx
    pyy += dy * dy
  }

  /// The aggregate's value: null without pairs, and where it would divide by a zero
  /// variance (regr_r2 is 1 when only y is constant).
  func result(_ kind: AggregateKind) -> Double? {
    guard n > 0 else { return nil }
    let sxy = pxy - sx * sy / n
    let sxx = Swift.max(0, pxx - sx * sx / n)
    let syy = Swift.max(0, pyy - sy * sy / n)
    let mx = kx + sx / n
    let my = ky + sy / n
    switch kind {
    case .covarPop: return sxy / n
    case .covarSamp: return n < 2 ? nil : sxy / (n - 1)
    case .corr:
      guard sxx > 0, syy > 0 else { return nil }
      return Swift.min(1, Swift.max(-1, sxy / (sxx.squareRoot() * syy.squareRoot())))
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
      return Swift.min(1, r * r)
    default: return nil
    }
  }
}

/// The paired aggregates kept per group while rows arrive a chunk at a time.
final class PairedAccumulator: ChunkAccumulator {
  let kind: AggregateKind
  let y: [Double]
  let x: [Double]
  let yKnown: Validity
  let xKnown: Validity
  var moments: [PairedMoments] = []

  init?(_ kind: AggregateKind, _ ys: Column, _ xs: Column) {
    guard let (yv, yk) = Aggregation.doubles(ys), let (xv, xk) = Aggregation.doubles(xs) else {
      return nil
    }
    self.kind = kind
    (y, yKnown, x, xKnown) = (yv, yk, xv, xk)
  }

  func run<R: RowIndexing>(_ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R) {
    if moments.count < n {
      moments.append(contentsOf: repeatElement(PairedMoments(), count: n - moments.count))
    }
    for i in 0..<ids.count {
      let r = rows[i]
      if yKnown.isValid(r) && xKnown.isValid(r) { moments[ids[i]].add(y[r], x[r]) }
    }
  }

  func finish(groups: Int) -> Column {
    if moments.count < groups {
      moments.append(contentsOf: repeatElement(PairedMoments(), count: groups - moments.count))
    }
    return .float(
      TypedColumn(optionals: moments.prefix(groups).map { $0.result(kind) }, placeholder: 0))
  }
}
