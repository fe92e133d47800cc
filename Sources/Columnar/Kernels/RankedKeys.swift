/// A key column too spread for slots (floats, ints of a wide range) whose distinct values
/// are few, numbered by the rank of its value among them: the slot grouping then takes it
/// as it takes dictionary codes. The values are hashed on every core, each core's share of
/// the rows through a table of its own that stays in the cache; the tables' keys are then
/// merged and sorted, and each row's number rewritten as its value's rank. So the rows are
/// read once, on both cores, and the groups come out in key order with no sort.
extension SlotGrouping.SlotKey {
  /// Rows hashed between looks at the table's size (and at `cancellation`): a table grown
  /// ahead for a batch of new keys stays small enough for the first-level cache.
  private static let batch = 256

  /// The ranked key of an int, date or float column, or nil when it has more than `limit`
  /// distinct values (found as soon as one core's share has) or is of another type. With
  /// `selected`, only those rows are numbered (the others' numbers are left at 0).
  static func ranked(
    _ column: Column, selected: [Int]?, limit: Int, _ cancellation: Cancellation?
  ) throws(EngineError) -> Self? {
    switch column {
    case .int(let c), .date(let c):
      return try ranked(
        column.count, c.validity, selected: selected, limit: limit, cancellation,
        values: c.values)
    case .float(let c):
      return try ranked(
        column.count, c.validity, selected: selected, limit: limit, cancellation,
        values: c.values)
    default:
      return nil
    }
  }

  private static func ranked<T: OrderedKey>(
    _ count: Int, _ validity: Validity, selected: [Int]?, limit: Int,
    _ cancellation: Cancellation?, values: [T]
  ) throws(EngineError) -> Self? {
    let n = selected?.count ?? count
    let shares = n >= Tuning.splitRows ? Tuning.cores : 1
    var codes = [UInt32](repeating: 0, count: count)
    let tables = Collected<IdTable>(count: shares)
    let stopped = Collected<EngineError?>(count: shares)
    codes.withUnsafeMutableBufferPointer { codes in
      let out = SharedBuffer(codes)
      let (values, selected) = (Unchecked(values), Unchecked(selected))
      Parallel.each(shares) { p in
        var table = IdTable(expected: 256)
        var start = n * p / shares
        let end = n * (p + 1) / shares
        while start < end {
          if cancellation?.isCancelled == true { return stopped.set(p, .cancelled) }
          let m = min(batch, end - start)
          let from = start
          values.value.withUnsafeBufferPointer { v in
            if let rows = selected.value {
              // Numbered into a batch of their own, then written at their rows.
              var ids = [UInt32](repeating: 0, count: m)
              rows.withUnsafeBufferPointer { rows in
                ids.withUnsafeMutableBufferPointer { ids in
                  table.ids(into: ids, nullId: 0) { i in
                    let r = rows[from + i]
                    return validity.isValid(r) ? v[r].orderedKey : nil
                  }
                  for i in 0..<m { out.buffer[rows[from + i]] = ids[i] }
                }
              }
            } else {
              let part = UnsafeMutableBufferPointer(rebasing: out.buffer[from..<from + m])
              if validity.hasNulls {
                table.ids(into: part, nullId: 0) { i in
                  validity.isValid(from + i) ? v[from + i].orderedKey : nil
                }
              } else {
                table.ids(into: part, nullId: 0) { v[from + $0].orderedKey }
              }
            }
          }
          if table.count > limit { return stopped.set(p, nil) }
          start += m
        }
        tables.set(p, table)
      }
    }
    for p in 0..<shares {
      if let reason = stopped.take(p) {
        if let error = reason { throw error }
        return nil
      }
    }
    // Each share's ids become ranks among every share's keys together.
    let local = (0..<shares).map { tables.take($0)?.keysById() ?? [] }
    let sorted = Array(Set(local.joined())).sorted()
    guard sorted.count <= limit else { return nil }
    var rank = IdTable(expected: sorted.count)
    sorted.withUnsafeBufferPointer { keys in
      var ignored = [Int](repeating: 0, count: keys.count)
      ignored.withUnsafeMutableBufferPointer { rank.ids(into: $0) { keys[$0] } }
    }
    let maps: [[UInt32]] = local.map { keys in
      var ranks = [Int](repeating: 0, count: keys.count)
      keys.withUnsafeBufferPointer { keys in
        ranks.withUnsafeMutableBufferPointer { rank.ids(into: $0) { keys[$0] } }
      }
      return ranks.map { UInt32(truncatingIfNeeded: $0) }
    }
    codes.withUnsafeMutableBufferPointer { codes in
      let out = SharedBuffer(codes)
      let (maps, selected) = (Unchecked(maps), Unchecked(selected))
      Parallel.each(shares) { p in
        maps.value[p].withUnsafeBufferPointer { map in
          let (start, end) = (n * p / shares, n * (p + 1) / shares)
          if let rows = selected.value {
            for i in start..<end {
              let r = rows[i]
              out.buffer[r] = map[Int(out.buffer[r])]
            }
          } else {
            for r in start..<end { out.buffer[r] = map[Int(out.buffer[r])] }
          }
        }
      }
    }
    return .ranked(codes, validity, slots: sorted.count + 1)
  }
}

/// A value with an order-preserving 64-bit key (`EncodedKeys.encode`).
protocol OrderedKey: Sendable {
  var orderedKey: UInt64 { get }
}

extension Int: OrderedKey {
  @inline(__always) var orderedKey: UInt64 { EncodedKeys.encode(self) }
}

extension Double: OrderedKey {
  @inline(__always) var orderedKey: UInt64 { EncodedKeys.encode(self) }
}
