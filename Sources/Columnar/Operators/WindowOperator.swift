/// One window function as the window operator sees it: what to compute, and its argument
/// columns, evaluated only when the operator comes to it.
public struct WindowInput {
  /// The function.
  public var function: WindowFunction
  /// `lag`/`lead`'s offset; `ntile`'s number of tiles.
  public var offset: Int
  /// The `p` of `quantile`.
  public var fraction: Double
  /// The result type.
  public var type: DataType
  /// The separator of `string_agg`.
  public var separator: String
  /// The argument, and the second argument of a paired aggregate or `spark(y, x)`.
  public var columns: () throws(EngineError) -> (argument: Column?, position: Column?)

  /// A window function of these parts.
  public init(
    function: WindowFunction, offset: Int, fraction: Double, type: DataType,
    separator: String,
    columns: @escaping () throws(EngineError) -> (argument: Column?, position: Column?)
  ) {
    self.function = function
    self.offset = offset
    self.fraction = fraction
    self.type = type
    self.separator = separator
    self.columns = columns
  }
}

/// Window functions: rows sorted once by (partition, order keys, row), partitions are then
/// runs of that order; results are written back to each row's own position.
public enum WindowOperator {
  /// `t` with one column more per function, named `names` in all.
  public static func run(
    _ t: Table, partition partitionColumns: [Column], order: [SortKey], _ calls: [WindowInput],
    names: [String], _ context: OperatorContext
  ) throws(EngineError) -> Table {
    let n = t.rowCount
    let groups = try Grouping(
      keys: partitionColumns, rowCount: n, cancellation: context.cancellation)
    var keys = [SortKey(.int(TypedColumn(groups.ids)))] + order
    var perm: [Int]
    var offsets: [Int]
    if order.isEmpty {
      // Partitions in table order: the stable sort by partition is the grouping's member
      // lists, found by counting (the partitions come in the same order, by number).
      (offsets, perm) = groups.members()
    } else {
      perm = Sorting.permutation(keys, count: n)
      try context.checkCancelled()
      offsets = [0]
      for i in 1..<max(1, n + 1) where i == n || groups.ids[perm[i]] != groups.ids[perm[i - 1]] {
        offsets.append(i)
      }
      if n == 0 { offsets = [0] }
    }
    keys = []
    try context.checkCancelled()
    // Only the functions that look at ties read the order keys again.
    let tieKinds: Set<WindowKind> = [.rank, .denseRank, .percentRank, .cumeDist]
    let readsTies = calls.contains {
      if case .window(let kind) = $0.function { return tieKinds.contains(kind) }
      return false
    }
    let encodedOrder = readsTies ? order.map { EncodedKeys($0.column) } : []
    let frame = WindowFrame(perm: perm, offsets: offsets, order: encodedOrder)
    var columns = t.columns
    for call in calls {
      let (argument, position) = try call.columns()
      columns.append(
        try frame.compute(
          call, argument, positions: position, rowCount: n, ascii: context.asciiCharts))
      try context.checkCancelled()
    }
    return Table(names: names, columns: columns, rowCount: n)
  }

  /// `t` with a last column `name` holding `row_number()` by `partition` in the order of
  /// `key`, exact where it is at most `limit` (`limit` + 1 elsewhere): each partition's
  /// first rows, as `top N … no ties` finds them (ties by input order, as in the window's
  /// stable sort), numbered in turn. With `streamed`, in one pass when the data allows.
  public static func firstRowNumbers(
    _ t: Table, partition partitionColumns: [Column], key: SortKey, limit: Int,
    streamed: Bool, names: [String], _ context: OperatorContext
  ) throws(EngineError) -> Table {
    let groups = try Grouping(
      keys: partitionColumns, rowCount: t.rowCount, cancellation: context.cancellation)
    var numbers = [Int](repeating: limit + 1, count: t.rowCount)
    if limit > 0 {
      let (rows, _) = try RankOperator.firstRows(
        groups, Array(0..<groups.count), EncodedKeys(key.column), rowCount: t.rowCount,
        descending: key.descending, limit: limit, exact: true, streamed: streamed, context)
      // Each partition's rows come together, best first.
      var (previous, position) = (-1, 0)
      for r in rows {
        let g = groups.ids[r]
        position = g == previous ? position + 1 : 1
        previous = g
        numbers[r] = position
      }
    }
    return Table(
      names: names, columns: t.columns + [.int(TypedColumn(numbers))], rowCount: t.rowCount)
  }
}

/// Partitions in order: `perm[offsets[p]..<offsets[p+1]]` are partition `p`'s rows in order.
struct WindowFrame {
  let perm: [Int]
  let offsets: [Int]
  let order: [EncodedKeys]

  /// Whether two rows tie on every order key.
  func ties(_ a: Int, _ b: Int) -> Bool {
    for e in order {
      let va = e.validity.isValid(a)
      if va != e.validity.isValid(b) { return false }
      if va && e.keys[a] != e.keys[b] { return false }
    }
    return true
  }

  func compute(
    _ call: WindowInput, _ arg: Column?, positions: Column? = nil, rowCount n: Int, ascii: Bool
  ) throws(EngineError) -> Column {
    switch call.function {
    case .window(let kind):
      return try windowFunction(kind, call, arg, n)
    case .firstValue, .lastValue, .aggregate:
      let kind = call.function.aggregate ?? .count
      var agg = Aggregation(offsets: offsets, rows: perm, ascii: ascii)
      agg.positions = positions
      agg.separator = call.separator
      let perPartition = try agg.compute(kind, arg, fraction: call.fraction, type: call.type)
      var index = [Int](repeating: 0, count: n)
      for p in 0..<(offsets.count - 1) {
        for k in offsets[p]..<offsets[p + 1] { index[perm[k]] = p }
      }
      return perPartition.gather(index)
    }
  }

  private func windowFunction(_ kind: WindowKind, _ call: WindowInput, _ arg: Column?, _ n: Int)
    throws(EngineError) -> Column
  {
    switch kind {
    case .lag, .lead:
      guard let arg else { return .nulls(call.type, count: n) }
      var index = [Int](repeating: -1, count: n)
      for p in 0..<(offsets.count - 1) {
        let lo = offsets[p]
        let hi = offsets[p + 1]
        for k in lo..<hi {
          let (j, o) =
            kind == .lag
            ? k.subtractingReportingOverflow(call.offset)
            : k.addingReportingOverflow(call.offset)
          if !o && j >= lo && j < hi { index[perm[k]] = perm[j] }
        }
      }
      return arg.gather(index)
    case .rowNumber:
      var out = [Int](repeating: 0, count: n)
      for p in 0..<(offsets.count - 1) {
        for k in offsets[p]..<offsets[p + 1] { out[perm[k]] = k - offsets[p] + 1 }
      }
      return .int(TypedColumn(out))
    case .rank, .denseRank:
      var out = [Int](repeating: 0, count: n)
      for p in 0..<(offsets.count - 1) {
        var rank = 0
        var dense = 0
        for k in offsets[p]..<offsets[p + 1] {
          let position = k - offsets[p] + 1
          if k == offsets[p] || !ties(perm[k], perm[k - 1]) {
            rank = position
            dense += 1
          }
          out[perm[k]] = kind == .rank ? rank : dense
        }
      }
      return .int(TypedColumn(out))
    case .cumsum:
      return try cumsum(arg, n)
    case .ntile:
      // SQL's ntile: k tiles whose sizes differ by at most one, the larger first.
      var out = [Int](repeating: 0, count: n)
      let k = call.offset
      for p in 0..<(offsets.count - 1) {
        let size = offsets[p + 1] - offsets[p]
        let small = size / k
        let big = size % k
        for i in 0..<size {
          let tile = i < big * (small + 1) ? i / (small + 1) : big + (i - big * (small + 1)) / small
          out[perm[offsets[p] + i]] = tile + 1
        }
      }
      return .int(TypedColumn(out))
    case .percentRank, .cumeDist:
      // percent_rank: (rank − 1) / (rows − 1), 0 for a partition of one row; cume_dist:
      // the share of the partition's rows ordered before or tied with this one.
      var out = [Double](repeating: 0, count: n)
      for p in 0..<(offsets.count - 1) {
        let lo = offsets[p]
        let hi = offsets[p + 1]
        let size = Double(hi - lo)
        var start = lo
        while start < hi {
          var end = start + 1
          while end < hi && ties(perm[end], perm[start]) { end += 1 }
          for k in start..<end {
            out[perm[k]] =
              kind == .percentRank
              ? (size > 1 ? Double(start - lo) / (size - 1) : 0) : Double(end - lo) / size
          }
          start = end
        }
      }
      return .float(TypedColumn(out))
    }
  }

  private func cumsum(_ arg: Column?, _ n: Int) throws(EngineError) -> Column {
    switch arg {
    case .int(let c)?:
      var out = [Int?](repeating: nil, count: n)
      for p in 0..<(offsets.count - 1) {
        var s: Int?
        for k in offsets[p]..<offsets[p + 1] {
          let r = perm[k]
          if c.validity.isValid(r) {
            let (v, o) = (s ?? 0).addingReportingOverflow(c.values[r])
            if o { throw .overflow(operation: "cumsum") }
            s = v
          }
          out[r] = s
        }
      }
      return .int(TypedColumn(optionals: out, placeholder: 0))
    case .float(let c)?:
      var out = [Double?](repeating: nil, count: n)
      for p in 0..<(offsets.count - 1) {
        var s: Double?
        for k in offsets[p]..<offsets[p + 1] {
          let r = perm[k]
          if c.validity.isValid(r) { s = (s ?? 0) + c.values[r] }
          out[r] = s
        }
      }
      return .float(TypedColumn(optionals: out, placeholder: 0))
    default:
      return .nulls(.float, count: n)
    }
  }
}
