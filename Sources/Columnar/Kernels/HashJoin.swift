/// Hash join kernel.
enum HashJoin {
  /// Matching row pairs for an equi-join on the given key columns. Rows come in left order,
  /// each left row's matches in right order; with `keepUnmatched` a left row with no match
  /// appears once with right index -1. Null keys never match.
  /// - Complexity: O(n + m + output) expected.
  /// - Throws: `EngineError.cancelled` when `cancellation` is set while it runs, and
  ///   `.limit` when the output would need more than `byteLimit` bytes (`bytesPerRow` each).
  static func match(
    left: [Column], right: [Column], leftCount: Int, rightCount: Int, keepUnmatched: Bool,
    cancellation: Cancellation? = nil, bytesPerRow: Int = 16, byteLimit: Int = .max
  ) throws(EngineError) -> JoinPairs {
    let p = try probe(
      left: left, right: right, leftCount: leftCount, rightCount: rightCount,
      cancellation: cancellation)
    if let single = uniqueRightRows(p.right, count: p.count) {
      return try uniquePairs(
        p.left, leftCount: leftCount, single, keepUnmatched, cancellation, bytesPerRow,
        byteLimit)
    }
    var leftBuckets: [Int]
    if case .held(let b) = p.left {
      leftBuckets = b
    } else {
      leftBuckets = [Int](repeating: -1, count: leftCount)
      leftBuckets.withUnsafeMutableBufferPointer { p.left.read(start: 0, into: $0) }
    }
    let (l, r) = try pairs(
      leftBuckets, p.right, buckets: p.count, keepUnmatched, cancellation, bytesPerRow,
      byteLimit)
    return JoinPairs(left: l, right: r, leftCount: leftCount)
  }

  /// The rows a join pairs: the i-th output row is left row `left[i]` with right row
  /// `right[i]` (-1: none, in a left join).
  struct JoinPairs {
    let right: [Int]
    /// Whether the left rows are every row once, in order (a left join on a unique right
    /// key; an inner one where every row matches): their columns are the output's as
    /// they are.
    let leftIsEveryRow: Bool
    private let rows: [Int]

    init(left: [Int], right: [Int], leftCount: Int) {
      (rows, self.right) = (left, right)
      leftIsEveryRow = left.count == leftCount && left.elementsEqual(0..<leftCount)
    }

    /// Every left row once, in order.
    init(everyLeftRowWith right: [Int]) {
      (rows, self.right, leftIsEveryRow) = ([], right, true)
    }

    var count: Int { right.count }
    var left: [Int] { leftIsEveryRow ? Array(0..<right.count) : rows }
  }

  /// The left rows' buckets, to be read a chunk at a time: for one integer key over a small
  /// range of right values they are computed from the key as they are read, else they are
  /// held.
  enum LeftBuckets: Sendable {
    case direct(TypedColumn<Int>, lo: Int, hi: Int)
    case held([Int])
    /// A text key: each dictionary entry's bucket (-1: no right row has it), read through
    /// the row's code.
    case coded(TextColumn, [Int])

    /// The value `table` gives each bucket, for the rows `start, start + 1, …` (`out.count`
    /// of them); a row with no bucket gets the table's last entry (the table holds one entry
    /// per bucket and that one more), so there is no branch per row.
    func read(
      start: Int, into out: UnsafeMutableBufferPointer<Int>, through table: UnsafeBufferPointer<Int>
    ) {
      let none = table.count - 1
      switch self {
      case .direct(let c, let lo, let hi):
        let width = UInt(bitPattern: hi &- lo)
        c.values.withUnsafeBufferPointer { v in
          if let words = c.validity.words {
            words.withUnsafeBufferPointer { w in
              for i in 0..<out.count {
                let r = start + i
                let b = v[r] &- lo
                let ok = UInt(bitPattern: b) <= width && w[r >> 6] & (1 << UInt64(r & 63)) != 0
                out[i] = table[ok ? b : none]
              }
            }
          } else {
            for i in 0..<out.count {
              let b = v[start + i] &- lo
              out[i] = table[UInt(bitPattern: b) <= width ? b : none]
            }
          }
        }
      case .held(let b):
        b.withUnsafeBufferPointer { b in
          for i in 0..<out.count {
            let x = b[start + i]
            out[i] = table[x >= 0 ? x : none]
          }
        }
      case .coded(let c, let map):
        c.codes.withUnsafeBufferPointer { codes in
          map.withUnsafeBufferPointer { map in
            for i in 0..<out.count {
              let r = start + i
              let x = c.validity.isValid(r) ? map[Int(codes[r])] : -1
              out[i] = table[x >= 0 ? x : none]
            }
          }
        }
      }
    }

    /// The buckets of the rows `start, start + 1, …` (`out.count` of them).
    func read(start: Int, into out: UnsafeMutableBufferPointer<Int>) {
      switch self {
      case .direct(let c, let lo, let hi):
        c.values.withUnsafeBufferPointer { v in
          for i in 0..<out.count {
            let x = v[start + i]
            out[i] = x >= lo && x <= hi && c.validity.isValid(start + i) ? x &- lo : -1
          }
        }
      case .held(let b):
        b.withUnsafeBufferPointer { b in
          for i in 0..<out.count { out[i] = b[start + i] }
        }
      case .coded(let c, let map):
        c.codes.withUnsafeBufferPointer { codes in
          map.withUnsafeBufferPointer { map in
            for i in 0..<out.count {
              let r = start + i
              out[i] = c.validity.isValid(r) ? map[Int(codes[r])] : -1
            }
          }
        }
      }
    }
  }

  /// Like `buckets`, with the left side's buckets left to be read in chunks. One integer key
  /// whose right values span a small range needs no hashing: a row's bucket is its key minus
  /// the smallest right key.
  static func probe(
    left: [Column], right: [Column], leftCount: Int, rightCount: Int,
    cancellation: Cancellation? = nil
  ) throws(EngineError) -> (left: LeftBuckets, right: [Int], count: Int) {
    if left.count == 1, case .int(let l) = left[0], case .int(let r) = right[0],
      let (lo, hi) = directRange(r, rightCount)
    {
      let rightBuckets = (0..<rightCount).map { i in r.validity.isValid(i) ? r.values[i] - lo : -1 }
      return (.direct(l, lo: lo, hi: hi), rightBuckets, hi - lo + 1)
    }
    // One text key: a bucket per distinct right value, found through the dictionaries (a
    // look-up per dictionary entry, not per row); the left rows read theirs through their
    // codes as they are read.
    if left.count == 1, case .text(let l) = left[0], case .text(let r) = right[0] {
      var bucketOf: [String: Int] = [:]
      bucketOf.reserveCapacity(r.dictionary.count)
      var rightMap = [Int](repeating: -1, count: r.dictionary.count)
      for (c, s) in r.dictionary.enumerated() {
        if let b = bucketOf[s] {
          rightMap[c] = b
        } else {
          rightMap[c] = bucketOf.count
          bucketOf[s] = bucketOf.count
        }
      }
      if cancellation?.isCancelled == true { throw .cancelled }
      let leftMap = l.dictionary.map { bucketOf[$0] ?? -1 }
      let rightBuckets = (0..<rightCount).map { i in
        r.validity.isValid(i) ? rightMap[Int(r.codes[i])] : -1
      }
      return (.coded(l, leftMap), rightBuckets, bucketOf.count)
    }
    // Several keys, each small on the right: combined into slots of one table.
    if left.count > 1,
      let slotted = try slottedBuckets(
        left: left, right: right, leftCount: leftCount, rightCount: rightCount,
        cancellation: cancellation)
    {
      return (.held(slotted.left), slotted.right, slotted.count)
    }
    var combined: [EncodedKeys] = []
    var anyNull = [Bool](repeating: false, count: leftCount + rightCount)
    for (l, r) in zip(left, right) {
      let (el, er) = EncodedKeys.joint(l, r)
      let both = el.concatenated(with: er)
      if both.validity.hasNulls {
        for i in anyNull.indices where !both.validity.isValid(i) { anyNull[i] = true }
      }
      combined.append(both)
    }
    if cancellation?.isCancelled == true { throw .cancelled }
    let groups = try Grouping(
      encoded: combined, rowCount: leftCount + rightCount, cancellation: cancellation)
    let leftBuckets = (0..<leftCount).map { anyNull[$0] ? -1 : groups.ids[$0] }
    let rightBuckets = (0..<rightCount).map {
      anyNull[leftCount + $0] ? -1 : groups.ids[leftCount + $0]
    }
    return (.held(leftBuckets), rightBuckets, groups.count)
  }

  /// The one right row of each bucket (-1 when none), or nil when some bucket has two.
  static func uniqueRightRows(_ rightBuckets: [Int], count: Int) -> [Int]? {
    var row = [Int](repeating: -1, count: count)
    for (r, b) in rightBuckets.enumerated() where b >= 0 {
      if row[b] >= 0 { return nil }
      row[b] = r
    }
    return row
  }

  /// The matching pairs once every row has a bucket (-1: matches nothing): right rows are
  /// chained per bucket in right order, the output is sized and checked against the limit
  /// before it is built, then each left row emits its bucket's chain.
  static func pairs(
    _ leftBuckets: [Int], _ rightBuckets: [Int], buckets: Int, _ keepUnmatched: Bool,
    _ cancellation: Cancellation?, _ bytesPerRow: Int, _ byteLimit: Int
  ) throws(EngineError) -> (left: [Int], right: [Int]) {
    var head = [Int](repeating: -1, count: buckets)
    var next = [Int](repeating: -1, count: rightBuckets.count)
    var matches = [Int](repeating: 0, count: buckets)
    for r in stride(from: rightBuckets.count - 1, through: 0, by: -1) where rightBuckets[r] >= 0 {
      let b = rightBuckets[r]
      next[r] = head[b]
      head[b] = r
      matches[b] += 1
    }
    var total = 0
    for b in leftBuckets {
      let m = b < 0 ? 0 : matches[b]
      total += m == 0 && keepUnmatched ? 1 : m
    }
    try checkLimit(total, bytesPerRow, byteLimit)
    var outLeft: [Int] = []
    var outRight: [Int] = []
    outLeft.reserveCapacity(total)
    outRight.reserveCapacity(total)
    for (l, b) in leftBuckets.enumerated() {
      if l & 4095 == 0, cancellation?.isCancelled == true { throw .cancelled }
      var r = b < 0 ? -1 : head[b]
      if r < 0 {
        if keepUnmatched {
          outLeft.append(l)
          outRight.append(-1)
        }
        continue
      }
      while r >= 0 {
        outLeft.append(l)
        outRight.append(r)
        r = next[r]
        if outLeft.count & 0xFFFF == 0, cancellation?.isCancelled == true { throw .cancelled }
      }
    }
    return (outLeft, outRight)
  }

  /// `pairs` when no bucket has two right rows (a fact table joined to a dimension): the
  /// left rows' right rows are read a chunk at a time through their buckets, with no
  /// array of the buckets and no chains. A left join's left rows are every row; an inner
  /// join's are written at a cursor that moves on only for a match (no branch per row).
  static func uniquePairs(
    _ leftBuckets: LeftBuckets, leftCount n: Int, _ rightRow: [Int], _ keepUnmatched: Bool,
    _ cancellation: Cancellation?, _ bytesPerRow: Int, _ byteLimit: Int
  ) throws(EngineError) -> JoinPairs {
    // A text key's dictionary entries take their right rows at once (one look-up per
    // row); any other key reads the right row of each bucket through `table`, which has one
    // more entry: -1, for a row with no bucket.
    var resolved: LeftBuckets? = nil
    if case .coded(let c, let map) = leftBuckets {
      resolved = .coded(c, map.map { $0 >= 0 ? rightRow[$0] : -1 })
    }
    let table = resolved == nil ? rightRow + [-1] : []
    let chunk = 1 << 14
    /// `body(start, rows)` for each chunk's right rows.
    func chunks(_ body: (Int, UnsafeBufferPointer<Int>) -> Void) throws(EngineError) {
      var rows = [Int](repeating: -1, count: chunk)
      var start = 0
      while start < n {
        if cancellation?.isCancelled == true { throw .cancelled }
        let m = min(chunk, n - start)
        table.withUnsafeBufferPointer { t in
          rows.withUnsafeMutableBufferPointer { r in
            let part = UnsafeMutableBufferPointer(rebasing: r[0..<m])
            if let resolved {
              resolved.read(start: start, into: part)
            } else {
              leftBuckets.read(start: start, into: part, through: t)
            }
            body(start, UnsafeBufferPointer(part))
          }
        }
        start += m
      }
    }
    if keepUnmatched {
      try checkLimit(n, bytesPerRow, byteLimit)
      var right = [Int](repeating: -1, count: n)
      try right.withUnsafeMutableBufferPointer { out throws(EngineError) in
        let out = SharedBuffer(out)
        try chunks { start, rows in
          for i in rows.indices { out.buffer[start + i] = rows[i] }
        }
      }
      return JoinPairs(everyLeftRowWith: right)
    }
    // The output is sized before it is built: by the left rows when they fit the limit,
    // else by a count of the matches.
    var total = n
    if (try? checkLimit(n, bytesPerRow, byteLimit)) == nil {
      total = 0
      try chunks { _, rows in
        for r in rows where r >= 0 { total += 1 }
      }
      try checkLimit(total, bytesPerRow, byteLimit)
    }
    // A row after the last match writes to one spare slot past the end.
    var outLeft = [Int](repeating: 0, count: total + 1)
    var outRight = [Int](repeating: -1, count: total + 1)
    var k = 0
    try outLeft.withUnsafeMutableBufferPointer { ol throws(EngineError) in
      try outRight.withUnsafeMutableBufferPointer { or throws(EngineError) in
        let (ol, or) = (SharedBuffer(ol), SharedBuffer(or))
        try chunks { start, rows in
          for i in rows.indices {
            let r = rows[i]
            ol.buffer[k] = start + i
            or.buffer[k] = r
            k += r >= 0 ? 1 : 0
          }
        }
      }
    }
    outRight.removeLast(outRight.count - k)
    if k == n { return JoinPairs(everyLeftRowWith: outRight) }
    outLeft.removeLast(outLeft.count - k)
    return JoinPairs(left: outLeft, right: outRight, leftCount: n)
  }

  /// The smallest and largest right key of an integer column whose values span a small
  /// range (a direct-address table then replaces hashing), or nil.
  static func directRange(_ r: TypedColumn<Int>, _ rightCount: Int) -> (lo: Int, hi: Int)? {
    guard rightCount > 0 else { return nil }
    let (lo, hi) = Extremes.ofValid(r)
    // A table of up to 2^22 buckets, or of up to twice the right rows (an id column
    // numbered from 1 with gaps): its memory is then of the order of the right side's own.
    let (span, overflow) = hi.subtractingReportingOverflow(lo)
    guard lo <= hi, !overflow, span < max(1 << 22, 2 * rightCount) else { return nil }
    return (lo, hi)
  }

  /// Refuses an output of `rows` rows that would need more than `byteLimit` bytes.
  static func checkLimit(_ rows: Int, _ bytesPerRow: Int, _ byteLimit: Int) throws(EngineError) {
    let (bytes, overflow) = rows.multipliedReportingOverflow(by: max(1, bytesPerRow))
    if overflow || bytes > byteLimit {
      throw .limit(
        reason:
          "the join would make \(rows) rows (about \(EngineError.size(overflow ? .max : bytes))), "
          + "over the memory limit of \(EngineError.size(byteLimit))")
    }
  }
}
