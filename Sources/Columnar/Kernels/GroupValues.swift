/// The distinct values of each group: every known row's (group, value) pair is numbered,
/// through an array while groups × values is small, else by radix-sorting the rows' pairs
/// and reading off their runs; each pair keeps its count (and a row holding it). A value is
/// first made a small number where it can be: a text's rank in its dictionary, an int's
/// offset in its range; a float, or an int of a very wide range, keeps its 64-bit key.
/// `count_distinct` and `mode` are read off the pairs (no set or dictionary per group).
enum GroupValues {
  /// The number of distinct known values in each of `groups` groups (`ids[r]` the group of
  /// row `r`, -1 for a row in none).
  static func distinctCounts(ids: [Int], groups: Int, _ column: Column) -> [Int] {
    let pairs = Pairs(ids: ids, groups: groups, column, withRows: false)
    var out = [Int](repeating: 0, count: groups)
    for g in pairs.group { out[g] += 1 }
    return out
  }

  /// A row holding the most frequent known value of each group (among equally frequent
  /// values, the least: the answer does not depend on row order), or -1 for a group with
  /// none.
  static func modeRows(ids: [Int], groups: Int, _ column: Column) -> [Int] {
    let pairs = Pairs(ids: ids, groups: groups, column, withRows: true)
    var best = [Int](repeating: -1, count: groups)
    for p in pairs.group.indices {
      let g = pairs.group[p]
      let b = best[g]
      if b < 0 || pairs.count[p] > pairs.count[b]
        || (pairs.count[p] == pairs.count[b] && pairs.key[p] < pairs.key[b])
      {
        best[g] = p
      }
    }
    return best.map { $0 < 0 ? -1 : pairs.first[$0] }
  }

  /// The distinct (group, value) pairs of the known rows, each with its count and a row
  /// holding it.
  struct Pairs {
    var group: [Int] = []
    /// The value's order-preserving key (as `EncodedKeys` orders values).
    var key: [UInt64] = []
    var count: [Int] = []
    /// A row holding the pair (with `withRows`).
    var first: [Int] = []

    /// Pairs numbered through an array while groups × values stays this small (it is then
    /// in cache); beyond, the rows' packed pairs are radix-sorted and read off in runs (a
    /// table of millions of pairs would miss the cache on every row, the sort streams).
    static let directPairs = 1 << 18

    /// With `withRows`, each pair's `first` row too (else `first` stays empty).
    init(ids: [Int], groups: Int, _ column: Column, withRows: Bool) {
      let values = ValueSlots(column)
      let width = values.slots
      let (product, overflow) = groups.multipliedReportingOverflow(by: max(width, 1))
      if values.wide == nil, !overflow, product <= Pairs.directPairs {
        self.init(direct: ids, values, product: product)
      } else {
        self.init(sorting: ids, groups: groups, values, withRows: withRows)
      }
    }

    private mutating func add(_ g: Int, _ key: UInt64, count n: Int, row: Int) {
      group.append(g)
      self.key.append(key)
      count.append(n)
      first.append(row)
    }

    /// Pairs numbered through an array of groups × values.
    private init(direct ids: [Int], _ values: ValueSlots, product: Int) {
      var map = [Int](repeating: -1, count: product)
      let width = values.slots
      ids.withUnsafeBufferPointer { ids in
        for r in 0..<ids.count {
          let g = ids[r]
          guard g >= 0, let v = values.slot(r) else { continue }
          let pair = g &* width &+ v
          var p = map[pair]
          if p < 0 {
            p = group.count
            map[pair] = p
            add(g, values.key(r), count: 0, row: r)
          }
          count[p] += 1
        }
      }
    }

    /// Pairs as runs of the known rows sorted by group, then value: one packed word per row
    /// when both fit, else the group and the value's 64-bit key as two words.
    private init(sorting ids: [Int], groups: Int, _ values: ValueSlots, withRows: Bool) {
      var rows: [Int] = []
      rows.reserveCapacity(ids.count)
      for r in ids.indices where ids[r] >= 0 && values.validity.isValid(r) { rows.append(r) }
      let groupBits = Int.bitWidth - max(groups - 1, 0).leadingZeroBitCount
      let valueBits = Int.bitWidth - max(values.slots - 1, 0).leadingZeroBitCount
      let order: [Int]
      let words: [[UInt64]]
      if values.wide == nil && groupBits + valueBits <= 64 {
        let packed = rows.map { r in
          UInt64(ids[r]) << UInt64(valueBits) | UInt64(values.slot(r) ?? 0)
        }
        let (o, sorted) = PackedSort.radixSort(packed, bits: max(groupBits + valueBits, 1))
        (order, words) = (o, [sorted])
      } else {
        // The group, then the value's number (or its 64-bit key), as two words.
        let g = rows.map { UInt64(ids[$0]) }
        let wide = values.wide
        let k = wide.map { w in rows.map { w[$0] } } ?? rows.map { UInt64(values.slot($0) ?? 0) }
        (order, words) = PackedSort.radixSort(
          [g, k], bits: [max(groupBits, 1), wide == nil ? max(valueBits, 1) : 64])
      }
      // Where each run begins (a run: one pair), one tight pass per word.
      let m = rows.count
      var starts = m > 0 ? [0] : []
      let lead = words[0]
      let second = words.count > 1 ? words[1] : []
      lead.withUnsafeBufferPointer { a in
        second.withUnsafeBufferPointer { b in
          if b.isEmpty {
            for j in 1..<max(m, 1) where a[j] != a[j - 1] { starts.append(j) }
          } else {
            for j in 1..<max(m, 1) where a[j] != a[j - 1] || b[j] != b[j - 1] { starts.append(j) }
          }
        }
      }
      // Each pair's group and value read back from its sorted words.
      let p = starts.count
      let shift = UInt64(valueBits)
      let low: UInt64 = valueBits >= 64 ? .max : (1 << shift) - 1
      group = starts.map { i in Int(second.isEmpty ? lead[i] >> shift : lead[i]) }
      key =
        values.wide != nil
        ? starts.map { second[$0] }
        : starts.map { i in values.key(slot: second.isEmpty ? lead[i] & low : second[i]) }
      count = (0..<p).map { k in (k + 1 < p ? starts[k + 1] : m) - starts[k] }
      if withRows { first = starts.map { rows[order[$0]] } }
    }
  }

  /// A column's known values as numbers `0..<slots` (equal values, equal numbers) and as
  /// order-preserving keys; a float, or an int of a wide range, only as its key (`wide`).
  struct ValueSlots {
    enum Kind {
      case codes([UInt32], ranks: [UInt32])
      case ints([Int], lo: Int)
      case bools([Bool])
      case wide([UInt64])
    }
    let kind: Kind
    let validity: Validity
    let slots: Int

    /// Each row's key, when the values are not numbered.
    var wide: [UInt64]? {
      if case .wide(let keys) = kind { return keys }
      return nil
    }

    init(_ column: Column) {
      validity = column.validity
      switch column {
      case .text(let c):
        kind = .codes(c.codes, ranks: c.sortRanks())
        slots = c.dictionary.count
        return
      case .bool(let c):
        kind = .bools(c.values)
        slots = 2
        return
      case .int(let c), .date(let c):
        let (lo, hi) = Extremes.ofValid(c)
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        if lo > hi || (!overflow && span < 1 << 32) {
          kind = .ints(c.values, lo: lo > hi ? 0 : lo)
          slots = lo > hi ? 1 : span + 1
          return
        }
      case .float: break
      }
      kind = .wide(EncodedKeys(column).keys)
      slots = 0
    }

    /// The number of row `r`'s value, nil when null (or wide).
    @inline(__always) func slot(_ r: Int) -> Int? {
      guard validity.isValid(r) else { return nil }
      switch kind {
      case .codes(let codes, let ranks): return Int(ranks[Int(codes[r])])
      case .ints(let values, let lo): return values[r] &- lo
      case .bools(let values): return values[r] ? 1 : 0
      case .wide: return nil
      }
    }

    /// The order-preserving key of the values numbered `slot`.
    @inline(__always) func key(slot: UInt64) -> UInt64 {
      switch kind {
      case .ints(_, let lo): EncodedKeys.encode(Int(truncatingIfNeeded: slot) &+ lo)
      default: slot
      }
    }

    /// Row `r`'s order-preserving key (known rows only).
    func key(_ r: Int) -> UInt64 {
      switch kind {
      case .codes(let codes, let ranks): UInt64(ranks[Int(codes[r])])
      case .ints(let values, _): EncodedKeys.encode(values[r])
      case .bools(let values): values[r] ? 1 : 0
      case .wide(let keys): keys[r]
      }
    }
  }
}
