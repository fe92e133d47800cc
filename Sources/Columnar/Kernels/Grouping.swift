/// Rows numbered by the distinct combination of their keys, groups numbered in order of
/// first appearance. Null is a key value of its own.
public struct Grouping: Sendable {
  /// The group of each row.
  public var ids: [Int]
  /// The number of groups.
  public var count: Int
  /// The first row of each group.
  public var firstRows: [Int]
  /// The groups in ascending order of their keys (nulls last), when the grouping found it
  /// on the way (see `SlotGrouping.groupsInKeyOrder`).
  public var keyOrder: [Int]? = nil

  public init(ids: [Int], count: Int, firstRows: [Int]) {
    self.ids = ids
    self.count = count
    self.firstRows = firstRows
  }

  /// Groups `rowCount` rows by the given key columns (none: one group, if any rows).
  /// - Complexity: O(n · k) expected.
  public init(keys: [Column], rowCount: Int) {
    do throws(EngineError) {
      try self.init(keys: keys, rowCount: rowCount, cancellation: nil)
    } catch {
      preconditionFailure("internal error: grouping failed without a cancellation")
    }
  }

  /// Groups rows by key columns, stopping with `.cancelled` when `cancellation` is set; with
  /// `keyOrder`, gives the groups' order by key too when the slot table has it at hand.
  public init(keys: [Column], rowCount: Int, cancellation: Cancellation?, keyOrder: Bool = false)
    throws(EngineError)
  {
    if let dense = try Grouping.dense(
      keys, rowCount: rowCount, keyOrder: keyOrder, cancellation: cancellation)
    {
      self = dense
      return
    }
    try self.init(
      parts: keys.map { column in
        if case .text(let c) = column { return .codes(c) }
        return .keys(EncodedKeys(column))
      }, rowCount: rowCount, cancellation: cancellation)
  }

  /// A key column as grouping sees it: dictionary codes (already dense ids) or encoded keys.
  enum Part {
    case codes(TextColumn)
    case keys(EncodedKeys)
  }

  /// Groups rows by already encoded keys.
  init(encoded: [EncodedKeys], rowCount: Int, cancellation: Cancellation? = nil)
    throws(EngineError)
  {
    try self.init(parts: encoded.map { .keys($0) }, rowCount: rowCount, cancellation: cancellation)
  }

  /// Dense ids from dictionary codes: one slot per dictionary entry (null its own id).
  private static func localIds(_ c: TextColumn, rowCount: Int) -> ([Int], Int) {
    c.codes.withUnsafeBufferPointer { codes in
      denseIds(rowCount, slots: c.dictionary.count, c.validity) { Int(codes[$0]) }
    }
  }

  /// Ids numbered by first appearance when each valid row's key is a slot in `0..<slots`
  /// (null rows share one extra slot): an array lookup, no hashing.
  @inline(__always)
  private static func denseIds(
    _ rowCount: Int, slots: Int, _ validity: Validity, _ slot: (Int) -> Int
  ) -> ([Int], Int) {
    var ids = [Int](repeating: 0, count: rowCount)
    var map = [Int](repeating: -1, count: slots + 1)
    var next = 0
    let hasNulls = validity.hasNulls
    ids.withUnsafeMutableBufferPointer { ids in
      map.withUnsafeMutableBufferPointer { map in
        for r in 0..<rowCount {
          let k = hasNulls && !validity.isValid(r) ? slots : slot(r)
          var id = map[k]
          if id < 0 {
            id = next
            map[k] = id
            next += 1
          }
          ids[r] = id
        }
      }
    }
    return (ids, next)
  }

  init(parts: [Part], rowCount: Int, cancellation: Cancellation?) throws(EngineError) {
    var ids = [Int](repeating: 0, count: rowCount)
    var card = rowCount > 0 ? 1 : 0
    // While the key combinations are few they are numbered through an array; past that,
    // the remaining keys are packed into one word per row (mixed radix) and numbered by
    // one hash pass at the end, instead of one pass per key.
    var packed: [UInt64]? = nil
    var span: UInt64 = 1
    for part in parts {
      if cancellation?.isCancelled == true { throw .cancelled }
      let (local, localCount) =
        switch part {
        case .codes(let c): Grouping.localIds(c, rowCount: rowCount)
        case .keys(let e): try Grouping.localIds(e, rowCount: rowCount, cancellation)
        }
      if cancellation?.isCancelled == true { throw .cancelled }
      if packed == nil {
        let (product, overflow) = card.multipliedReportingOverflow(by: localCount)
        if !overflow && product <= 1 << 22 {
          (ids, card) = Grouping.combine(ids, card, local, localCount)
          continue
        }
        packed = ids.map { UInt64($0) }
        span = UInt64(max(card, 1))
      }
      let width = UInt64(max(localCount, 1))
      if span.multipliedReportingOverflow(by: width).overflow, let words = packed {
        (ids, card) = Grouping.number(words)
        packed = ids.map { UInt64($0) }
        span = UInt64(max(card, 1))
      }
      span = span &* width
      packed?.withUnsafeMutableBufferPointer { p in
        local.withUnsafeBufferPointer { l in
          for r in 0..<rowCount { p[r] = p[r] &* width &+ UInt64(l[r]) }
        }
      }
    }
    if let words = packed { (ids, card) = Grouping.number(words) }
    var first = [Int](repeating: -1, count: card)
    var next = 0
    if parts.count > 1 {
      var renumber = [Int](repeating: -1, count: card)
      ids.withUnsafeMutableBufferPointer { ids in
        for r in 0..<rowCount {
          let g = ids[r]
          if renumber[g] < 0 {
            renumber[g] = next
            first[next] = r
            next += 1
          }
          ids[r] = renumber[g]
        }
      }
    } else {
      ids.withUnsafeBufferPointer { ids in
        for r in 0..<rowCount where first[ids[r]] < 0 {
          first[ids[r]] = r
          next += 1
        }
      }
    }
    self.ids = ids
    self.count = next
    self.firstRows = Array(first.prefix(next))
  }

  /// Dense ids for one key column (null gets an id of its own). Keys within a small range
  /// (dictionary codes, years, region codes) are looked up in an array; others in a hash
  /// table.
  private static func localIds(_ e: EncodedKeys, rowCount: Int, _ cancellation: Cancellation?)
    throws(EngineError) -> ([Int], Int)
  {
    var ids = [Int](repeating: 0, count: rowCount)
    var lo = UInt64.max
    var hi = UInt64.min
    e.keys.withUnsafeBufferPointer { keys in
      for r in 0..<rowCount where e.validity.isValid(r) {
        lo = min(lo, keys[r])
        hi = max(hi, keys[r])
      }
    }
    // A direct table while it is no larger than the rows (and 2^24 slots).
    if lo <= hi && hi - lo < UInt64(min(max(1 << 22, rowCount), 1 << 24)) {
      return e.keys.withUnsafeBufferPointer { keys in
        denseIds(rowCount, slots: Int(hi - lo) + 1, e.validity) { Int(keys[$0] &- lo) }
      }
    }
    // Else through the hash table, a batch of rows at a time.
    var table = IdTable(expected: rowCount)
    let validity = e.validity
    try e.keys.withUnsafeBufferPointer { (keys) throws(EngineError) in
      try ids.withUnsafeMutableBufferPointer { (ids) throws(EngineError) in
        try table.number(into: ids, cancellation: cancellation) { r in
          validity.isValid(r) ? keys[r] : nil
        }
      }
    }
    // The null key's id follows the keys' (the caller numbers the groups again, by first
    // appearance).
    guard validity.hasNulls, ids.contains(-1) else { return (ids, table.count) }
    for r in ids.indices where ids[r] < 0 { ids[r] = table.count }
    return (ids, table.count + 1)
  }

  /// Ids of packed keys, numbered by first appearance.
  private static func number(_ words: [UInt64]) -> ([Int], Int) {
    var table = IdTable(expected: words.count)
    var out = [Int](repeating: 0, count: words.count)
    words.withUnsafeBufferPointer { words in
      out.withUnsafeMutableBufferPointer { out in
        // (No cancellation: nothing to stop, so nothing is thrown.)
        try? table.number(into: out) { words[$0] }
      }
    }
    return (out, table.count)
  }

  /// Combines two id vectors into ids of the pair.
  private static func combine(_ a: [Int], _ aCount: Int, _ b: [Int], _ bCount: Int) -> ([Int], Int)
  {
    var out = [Int](repeating: 0, count: a.count)
    let (product, overflow) = aCount.multipliedReportingOverflow(by: bCount)
    if !overflow && product <= 1 << 22 {
      var map = [Int](repeating: -1, count: product)
      var next = 0
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          out.withUnsafeMutableBufferPointer { out in
            map.withUnsafeMutableBufferPointer { map in
              for r in 0..<a.count {
                let k = a[r] * bCount + b[r]
                if map[k] < 0 {
                  map[k] = next
                  next += 1
                }
                out[r] = map[k]
              }
            }
          }
        }
      }
      return (out, next)
    }
    var table = IdTable(expected: a.count)
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        out.withUnsafeMutableBufferPointer { out in
          // (No cancellation: nothing to stop, so nothing is thrown.)
          try? table.number(into: out) { UInt64(bitPattern: Int64(a[$0] &* bCount &+ b[$0])) }
        }
      }
    }
    return (out, table.count)
  }

  /// Where each group's rows would begin in `members()` (one more than the groups, the
  /// last the row count), without listing the rows.
  public func memberOffsets() -> [Int] {
    var offsets = [Int](repeating: 0, count: count + 1)
    ids.withUnsafeBufferPointer { ids in
      offsets.withUnsafeMutableBufferPointer { offsets in
        for r in 0..<ids.count { offsets[ids[r] + 1] += 1 }
        for g in 0..<count { offsets[g + 1] += offsets[g] }
      }
    }
    return offsets
  }

  /// The rows of each group, in row order: group `g` holds `rows[offsets[g]..<offsets[g+1]]`
  /// (a stable counting sort of the rows by group).
  /// - Complexity: O(n).
  public func members() -> (offsets: [Int], rows: [Int]) {
    var offsets = [Int](repeating: 0, count: count + 1)
    var rows = [Int](repeating: 0, count: ids.count)
    ids.withUnsafeBufferPointer { ids in
      offsets.withUnsafeMutableBufferPointer { offsets in
        for r in 0..<ids.count { offsets[ids[r] + 1] += 1 }
        for g in 0..<count { offsets[g + 1] += offsets[g] }
        var cursor = Array(offsets)
        rows.withUnsafeMutableBufferPointer { rows in
          for r in 0..<ids.count {
            let g = ids[r]
            rows[cursor[g]] = r
            cursor[g] += 1
          }
        }
      }
    }
    return (offsets, rows)
  }
}
