/// Aggregate kernels over groups given as member lists: group `g` holds
/// `rows[offsets[g]..<offsets[g+1]]`, in the order the aggregate should see them.
struct Aggregation {
  let offsets: [Int]
  let rows: [Int]
  var ascii = false
  /// The group of each row, when every row belongs to one group (the `group` stage): the
  /// common aggregates then run in one pass over the rows instead of group by group.
  var ids: [Int]? = nil

  var groupCount: Int { groups ?? offsets.count - 1 }
  /// The number of groups when `offsets` is not built (streaming aggregates only).
  var groups: Int? = nil
  /// Whether the member lists are a sorted grouping's, every row in one group: the
  /// streamed aggregates then fold them a block of groups at a time (`SortedFold`), not
  /// by `ids`.
  var sorted = false
  /// The x of `spark(y, x)` and of the paired aggregates.
  var positions: Column? = nil
  /// The separator of `string_agg`.
  var separator = ","
  /// With `ids`: the values of the group stage's columns placed group by group, kept for
  /// the other aggregates of the stage that read the same column (`median(v) … stddev(v)`
  /// scatter `v` once), and the argument's column.
  var placed: (values: PlacedValues, column: Int)? = nil
  /// The most characters a sparkline takes; longer ones are resampled by mean.
  static let sparkWidth = 60

  @inline(__always) func members(_ g: Int) -> ArraySlice<Int> { rows[offsets[g]..<offsets[g + 1]] }

  /// One result per group.
  /// - Complexity: O(n) for most kinds; O(n log n) for median and quantile.
  func compute(_ kind: AggregateKind, _ column: Column?, fraction: Double, type: DataType)
    throws(EngineError) -> Column
  {
    // Rows per group, when the groups' bounds are known (a sorted grouping's): no pass.
    if kind == .count, column == nil, offsets.count == groupCount + 1 {
      return .int(TypedColumn((0..<groupCount).map { offsets[$0 + 1] - offsets[$0] }))
    }
    if sorted, let streamed = kind.streamed,
      let folded = try SortedFold.compute(
        streamed, column, second: positions, offsets: offsets, rows: rows)
    {
      return folded
    }
    if let ids,
      let streamed = try Aggregation.streaming(kind, column, positions, ids, groups: groupCount)
    {
      return streamed
    }
    guard let column else {
      return .int(TypedColumn((0..<groupCount).map { offsets[$0 + 1] - offsets[$0] }))
    }
    switch kind {
    case .count:
      let v = column.validity
      return .int(TypedColumn((0..<groupCount).map { g in members(g).filter(v.isValid).count }))
    case .countDistinct: return countDistinct(column)
    case .sum: return try sum(column)
    case .avg: return numeric(column) { xs in xs.isEmpty ? nil : Aggregation.mean(xs) }
    case .median: return numeric(column) { xs in Aggregation.quantile(xs, 0.5) }
    case .quantile: return numeric(column) { xs in Aggregation.quantile(xs, fraction) }
    case .stddev: return numeric(column) { xs in Aggregation.stddev(xs) }
    case .min: return pick(column, preferLarger: false)
    case .max: return pick(column, preferLarger: true)
    case .first: return edge(column, last: false)
    case .last: return edge(column, last: true)
    case .spark: return spark(column)
    case .var: return numeric(column) { xs in Aggregation.variance(xs) }
    case .mode: return mode(column)
    case .stringAgg: return stringAgg(column)
    case .corr, .covarSamp, .covarPop, .regrSlope, .regrIntercept, .regrR2:
      return paired(kind, column)
    }
  }

  /// count, sum, avg, min and max of a numeric column in one pass over the rows, by the
  /// accumulators the chunked group uses (nil for the other kinds).
  private static func streaming(
    _ kind: AggregateKind, _ column: Column?, _ second: Column?, _ ids: [Int], groups: Int
  ) throws(EngineError) -> Column? {
    guard let streamed = kind.streamed,
      let accumulator = Accumulators.make(streamed, column, second: second)
    else { return nil }
    accumulator.add(ids, count: ids.count, groups: groups, start: 0)
    return try accumulator.finish(groups: groups)
  }

  private func countDistinct(_ column: Column) -> Column {
    .int(
      TypedColumn(
        GroupValues.distinctCounts(ids: rowGroups(column.count), groups: groupCount, column)))
  }

  /// The group of each of `n` rows (-1 for a row in none): `ids` when the grouping gave
  /// them, else read off the member lists.
  func rowGroups(_ n: Int) -> [Int] {
    if let ids { return ids }
    var out = [Int](repeating: -1, count: n)
    for g in 0..<groupCount {
      for r in members(g) { out[r] = g }
    }
    return out
  }

  private func sum(_ column: Column) throws(EngineError) -> Column {
    switch column {
    case .int(let c):
      var out: [Int?] = []
      for g in 0..<groupCount {
        var s = 0
        var any = false
        for r in members(g) where c.validity.isValid(r) {
          let (v, o) = s.addingReportingOverflow(c.values[r])
          if o { throw .overflow(operation: "sum") }
          s = v
          any = true
        }
        out.append(any ? s : nil)
      }
      return .int(TypedColumn(optionals: out, placeholder: 0))
    default:
      return numeric(column) { xs in xs.isEmpty ? nil : Aggregation.total(xs) }
    }
  }

  /// Whether `compute` runs `kind`, one that does not stream, from values placed group by
  /// group (no member lists needed) when it has every row's group.
  static func scatters(_ kind: AggregateKind, _ type: DataType?) -> Bool {
    guard let type, type.isNumeric else { return false }
    return [.median, .quantile, .stddev, .var].contains(kind)
  }

  /// The non-null values of each group as doubles, reduced by `f`.
  private func numeric(_ column: Column, _ f: @escaping @Sendable (ArraySlice<Double>) -> Double?)
    -> Column
  {
    guard column.type.isNumeric else { return .nulls(.float, count: groupCount) }
    guard let ids, offsets.count == groupCount + 1 else {
      guard let (values, known) = column.doubles else { return .nulls(.float, count: groupCount) }
      var out: [Double?] = []
      out.reserveCapacity(groupCount)
      var xs: [Double] = []
      for g in 0..<groupCount {
        xs.removeAll(keepingCapacity: true)
        for r in members(g) where known.isValid(r) { xs.append(values[r]) }
        out.append(f(xs[...]))
      }
      return .float(TypedColumn(optionals: out, placeholder: 0))
    }
    // With every row's group known, the values are scattered into their groups in one pass
    // over the rows in order (each group's slice then holds its known values in row order,
    // as `members` lists them) instead of gathering each group's rows from all over the
    // column; the groups are then reduced on every core.
    let place = { () -> (values: [Double], ends: [Int]) in
      guard let (values, known) = column.doubles else { return ([], []) }
      return GroupScatter.scatter(values, known: known, ids: ids, offsets: self.offsets)
    }
    let (grouped, ends) = placed.map { $0.values.values($0.column, place) } ?? place()
    let out = GroupScatter.reduce(grouped, offsets: offsets, ends: ends, f)
    return .float(TypedColumn(optionals: out, placeholder: 0))
  }

  /// The mean; when the sum passes the float range (1e308 + 1e308), each value is divided
  /// by the count first, so a mean of huge values is still a number.
  static func mean(_ xs: ArraySlice<Double>) -> Double {
    let n = Double(xs.count)
    let m = total(xs) / n
    return m.isFinite ? m : total(xs.map { $0 / n }[...])
  }

  /// A compensated (Neumaier) sum: the rounding error of each addition is carried, so the
  /// result does not drift with the number or order of values.
  static func total(_ xs: ArraySlice<Double>) -> Double {
    var sum = 0.0
    var carry = 0.0
    for x in xs {
      let t = sum + x
      carry += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
      sum = t
    }
    return sum + carry
  }

  /// Linear interpolation between closest ranks (numpy's default, DuckDB's quantile_cont).
  /// The two order statistics it needs are found by selection, not a full sort.
  static func quantile(_ xs: ArraySlice<Double>, _ p: Double) -> Double? {
    guard !xs.isEmpty else { return nil }
    var s = Array(xs)
    let h = p * Double(s.count - 1)
    let lo = Int(h.rounded(.down))
    let frac = h - Double(lo)
    let low = select(&s, lo)
    guard frac != 0, lo + 1 < s.count else { return low }
    // After selection everything past `lo` is at least s[lo]: the next statistic is their least.
    let high = s[(lo + 1)...].min() ?? low
    return low + (high - low) * frac
  }

  /// The k-th smallest value (from 0), leaving smaller values before it and larger after
  /// (Hoare's selection with a median-of-three pivot; a full sort when it degrades).
  static func select(_ a: inout [Double], _ k: Int) -> Double {
    var lo = 0
    var hi = a.count - 1
    var rounds = 0
    while lo < hi {
      rounds += 1
      if rounds > 64 {
        a[lo...hi].sort()
        return a[k]
      }
      let mid = lo + (hi - lo) / 2
      if a[mid] < a[lo] { a.swapAt(mid, lo) }
      if a[hi] < a[lo] { a.swapAt(hi, lo) }
      if a[hi] < a[mid] { a.swapAt(hi, mid) }
      let pivot = a[mid]
      var i = lo
      var j = hi
      while i <= j {
        while a[i] < pivot { i += 1 }
        while pivot < a[j] { j -= 1 }
        if i <= j {
          a.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if k <= j {
        hi = j
      } else if k >= i {
        lo = i
      } else {
        return a[k]
      }
    }
    return a[k]
  }

  /// Sample standard deviation (n − 1), two-pass. When the squares pass the float range
  /// (values near 1e160), the deviations are scaled by the largest first, as LAPACK's dnrm2
  /// does, so the result is a number whenever it is one.
  static func stddev(_ xs: ArraySlice<Double>) -> Double? {
    guard xs.count >= 2 else { return nil }
    let m = mean(xs)
    let ss = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) }
    let naive = (ss / Double(xs.count - 1)).squareRoot()
    if naive.isFinite || !m.isFinite { return naive }
    let scale = xs.reduce(0) { Swift.max($0, abs($1 - m)) }
    guard scale.isFinite, scale > 0 else { return naive }
    let scaled = xs.reduce(0) { $0 + (($1 - m) / scale) * (($1 - m) / scale) }
    return scale * (scaled / Double(xs.count - 1)).squareRoot()
  }

  private func pick(_ column: Column, preferLarger: Bool) -> Column {
    let e = EncodedKeys(column)
    var chosen: [Int] = []
    for g in 0..<groupCount {
      var best = -1
      for r in members(g) where e.validity.isValid(r) {
        if best < 0 || (preferLarger ? e.keys[r] > e.keys[best] : e.keys[r] < e.keys[best]) {
          best = r
        }
      }
      chosen.append(best)
    }
    return column.gather(chosen)
  }

  private func edge(_ column: Column, last: Bool) -> Column {
    let v = column.validity
    let chosen = (0..<groupCount).map { g in
      (last ? members(g).last(where: v.isValid) : members(g).first(where: v.isValid)) ?? -1
    }
    return column.gather(chosen)
  }

  private func spark(_ column: Column) -> Column {
    let levels: [Character] = ascii ? Array("_.-=+*#@") : Array("▁▂▃▄▅▆▇█")
    var b = TextColumnBuilder()
    for g in 0..<groupCount {
      let cells = Aggregation.resampled(sparkCells(column, members(g)), Aggregation.sparkWidth)
      let known = cells.compactMap { $0 }
      guard let lo = known.min(), let hi = known.max() else {
        b.append(nil)
        continue
      }
      let text = cells.map { cell -> Character in
        guard let x = cell else { return " " }
        if hi == lo { return levels[3] }
        // Halves keep the difference finite near ±1e308.
        let k = saturatingInt(((x / 2 - lo / 2) / (hi / 2 - lo / 2) * 7).rounded())
        return levels[min(7, max(0, k))]
      }
      b.append(String(text))
    }
    return .text(b.build())
  }

  /// One cell per value in row order (nil for a null: a gap), or with `spark(y, x)` one
  /// cell per step of x from the least x to the greatest (the step the smallest gap between
  /// two x's), holding the mean of its values, nil where no row has that x.
  private func sparkCells(_ column: Column, _ rows: ArraySlice<Int>) -> [Double?] {
    guard let positions else { return rows.map { column.value(at: $0).asDouble } }
    var points: [(x: Double, y: Double?)] = []
    for r in rows {
      let at = positions.value(at: r)
      let x: Double
      switch at {
      case .date(let d): x = Double(d)
      default:
        guard let v = at.asDouble else { continue }
        x = v
      }
      points.append((x, column.value(at: r).asDouble))
    }
    points.sort { $0.x < $1.x }
    var step = Double.infinity
    for (p, q) in zip(points, points.dropFirst()) where q.x > p.x { step = min(step, q.x - p.x) }
    guard let first = points.first?.x, let last = points.last?.x else { return [] }
    guard step.isFinite, ((last - first) / step).isFinite, (last - first) / step < 100_000 else {
      return points.map(\.y)
    }
    let slots = saturatingInt(((last - first) / step).rounded()) + 1
    var sums = [Double](repeating: 0, count: slots)
    var counts = [Int](repeating: 0, count: slots)
    for p in points {
      guard let y = p.y else { continue }
      let k = min(slots - 1, max(0, saturatingInt(((p.x - first) / step).rounded())))
      sums[k] += y
      counts[k] += 1
    }
    return (0..<slots).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : nil }
  }

  /// At most `width` cells: cell j the mean of the known cells in its share of the input,
  /// nil when its share has none.
  static func resampled(_ cells: [Double?], _ width: Int) -> [Double?] {
    guard cells.count > width else { return cells }
    return (0..<width).map { j in
      let from = j * cells.count / width
      let to = max(from + 1, (j + 1) * cells.count / width)
      let known = cells[from..<to].compactMap { $0 }
      guard !known.isEmpty else { return nil }
      let n = Double(known.count)
      let sum = known.reduce(0, +)
      return sum.isFinite ? sum / n : known.reduce(0) { $0 + $1 / n }
    }
  }
}

/// Columns placed group by group for one group stage, by input column, so that the
/// aggregates of the stage that read the same column scatter it once.
final class PlacedValues {
  private var byColumn: [Int: (values: [Double], ends: [Int])] = [:]

  /// Column `key`'s values placed, made by `make` the first time.
  func values(_ key: Int, _ make: () -> (values: [Double], ends: [Int])) -> (
    values: [Double], ends: [Int]
  ) {
    if let done = byColumn[key] { return done }
    let made = make()
    byColumn[key] = made
    return made
  }
}
