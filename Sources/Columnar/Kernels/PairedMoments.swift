/// The statistics of `(y, x)` pairs, as SQL defines them (PostgreSQL's results).
enum PairedStatistic: Sendable, Equatable {
  case corr, covarSamp, covarPop, regrSlope, regrIntercept, regrR2
}

extension Column {
  /// A numeric column's values as doubles, with its validity (nil for other types).
  var doubles: ([Double], Validity)? {
    switch self {
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
struct PairedMoments: Sendable {
  /// No pairs yet.
  init() {}

  var n = 0.0
  var kx = 0.0
  var ky = 0.0
  var sx = 0.0
  var sy = 0.0
  var pxy = 0.0
  var pxx = 0.0
  var pyy = 0.0

  /// Adds a pair.
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
  func result(_ kind: PairedStatistic) -> Double? {
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
    }
  }
}

/// A numeric column's values read as doubles where they are, without a converted copy.
protocol PairedValue: Sendable {
  var double: Double { get }
}
extension Int: PairedValue {
  @inline(__always) var double: Double { Double(self) }
}
extension Double: PairedValue {
  @inline(__always) var double: Double { self }
}

/// The paired moments of each group, fed a chunk of rows at a time; each column is read
/// in its own type (an int column is not copied as doubles first).
final class PairedAccumulator: ChunkAccumulator {
  let kind: PairedStatistic
  let y: Column
  let x: Column
  var moments: [PairedMoments] = []

  init?(_ kind: PairedStatistic, _ ys: Column, _ xs: Column) {
    guard ys.type.isNumeric, xs.type.isNumeric else { return nil }
    (self.kind, y, x) = (kind, ys, xs)
  }

  func run<R: RowIndexing>(_ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R) {
    if moments.count < n {
      moments.append(contentsOf: repeatElement(PairedMoments(), count: n - moments.count))
    }
    moments.withUnsafeMutableBufferPointer { m in
      switch (y, x) {
      case (.int(let a), .int(let b)): PairedAccumulator.fold(a, b, ids, rows, m)
      case (.int(let a), .float(let b)): PairedAccumulator.fold(a, b, ids, rows, m)
      case (.float(let a), .int(let b)): PairedAccumulator.fold(a, b, ids, rows, m)
      case (.float(let a), .float(let b)): PairedAccumulator.fold(a, b, ids, rows, m)
      default: break
      }
    }
  }

  @inline(__always)
  static func fold<A: PairedValue & Hashable, B: PairedValue & Hashable, R: RowIndexing>(
    _ y: TypedColumn<A>, _ x: TypedColumn<B>, _ ids: UnsafeBufferPointer<Int>, _ rows: R,
    _ m: UnsafeMutableBufferPointer<PairedMoments>
  ) {
    let (yKnown, xKnown) = (y.validity, x.validity)
    let checked = yKnown.hasNulls || xKnown.hasNulls
    y.values.withUnsafeBufferPointer { yv in
      x.values.withUnsafeBufferPointer { xv in
        if checked {
          for i in 0..<ids.count {
            rows.prefetch(yv, after: i)
            rows.prefetch(xv, after: i)
            let r = rows[i]
            if yKnown.isValid(r) && xKnown.isValid(r) { m[ids[i]].add(yv[r].double, xv[r].double) }
          }
        } else {
          for i in 0..<ids.count {
            rows.prefetch(yv, after: i)
            rows.prefetch(xv, after: i)
            let r = rows[i]
            m[ids[i]].add(yv[r].double, xv[r].double)
          }
        }
      }
    }
  }

  func reset() { moments.removeAll(keepingCapacity: true) }

  func finish(groups: Int) -> Column {
    if moments.count < groups {
      moments.append(contentsOf: repeatElement(PairedMoments(), count: groups - moments.count))
    }
    return .float(
      TypedColumn(optionals: moments.prefix(groups).map { $0.result(kind) }, placeholder: 0))
  }
}
