import CAllocator

/// Grouping when every key is small: dictionary codes, or integers (and dates) within a
/// narrow range. Each row's keys combine into one slot of a table sized to the product of
/// the key ranges, and the slot's group is found by an array lookup — no hashing and no id
/// vector per key. Rows are taken a chunk at a time, so a caller can aggregate each chunk's
/// ids while they are in cache instead of building an id per row first.
struct SlotGrouping {
  /// One key column as slots `0..<slots` (the last slot is null).
  enum SlotKey {
    /// A text column's codes (its dictionary from `text`).
    case codes([UInt32], Validity, slots: Int, text: TextColumn)
    /// Numbers in the order of the values they stand for (`ranked(_:selected:limit:_:)`).
    case ranked([UInt32], Validity, slots: Int)
    case ints([Int], Validity, lo: Int, slots: Int)
    /// false, true, null.
    case bools([Bool], Validity)

    var slots: Int {
      switch self {
      case .codes(_, _, let s, _), .ranked(_, _, let s), .ints(_, _, _, let s): s
      case .bools: 3
      }
    }

    /// The entries of a dictionary in the order of their `ranks` (entries of one rank in
    /// their order), by counting.
    static func order(ranks: [UInt32]) -> [Int] {
      var starts = [Int](repeating: 0, count: ranks.count + 1)
      for r in ranks { starts[Int(r) + 1] += 1 }
      for i in 0..<ranks.count { starts[i + 1] += starts[i] }
      var order = [Int](repeating: 0, count: ranks.count)
      for (entry, r) in ranks.enumerated() {
        order[starts[Int(r)]] = entry
        starts[Int(r)] += 1
      }
      return order
    }

    /// The slots in ascending order of the values they stand for, the null slot last.
    var slotsInOrder: [Int] {
      switch self {
      case .codes(_, _, let slots, let text):
        SlotKey.order(ranks: text.sortRanks()) + [slots - 1]
      case .ints(_, _, _, let slots), .ranked(_, _, let slots):
        Array(0..<slots)
      case .bools:
        [0, 1, 2]
      }
    }

    init?(_ column: Column, selected: [Int]?) {
      switch column {
      case .text(let c):
        self = .codes(c.codes, c.validity, slots: c.dictionary.count + 1, text: c)
      case .int(let c), .date(let c):
        var lo = Int.max
        var hi = Int.min
        c.values.withUnsafeBufferPointer { v in
          if let selected, selected.count < v.count / 4,
            !Extremes.narrow(c, within: max(1 << 16, selected.count), &lo, &hi)
          {
            // A few rows of many, and no narrow range kept for the column: the range of
            // those rows only.
            if c.validity.hasNulls {
              for r in selected where c.validity.isValid(r) {
                lo = min(lo, v[r])
                hi = max(hi, v[r])
              }
            } else {
              for r in selected {
                lo = min(lo, v[r])
                hi = max(hi, v[r])
              }
            }
          } else {
            // Null rows' placeholders are taken in too (a loop with no test per row): a
            // slot range wider than the values costs only slots no row reaches. Only when
            // that range is too wide are the valid rows' own extremes found.
            (lo, hi) = Extremes.of(c)
            let (span, overflow) = hi.subtractingReportingOverflow(lo)
            if c.validity.hasNulls && (overflow || span >= 1 << 24) {
              (lo, hi) = Extremes.of(c.values, c.validity)
            }
          }
        }
        if lo > hi {
          self = .ints(c.values, c.validity, lo: 0, slots: 1)
          return
        }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        // (The slot table as a whole is held to the rows' count: `SlotGrouping.init`.)
        guard !overflow, span < 1 << 24 else { return nil }
        self = .ints(c.values, c.validity, lo: lo, slots: span + 2)
      case .bool(let c):
        self = .bools(c.values, c.validity)
      default:
        return nil
      }
    }

    /// `acc[i] = acc[i] * slots + slot(row i)` for the rows of one chunk; with `first`
    /// (the first key), `acc[i] = slot(row i)`.
    @inline(__always)
    func accumulate<R: RowIndexing>(
      into acc: UnsafeMutableBufferPointer<Int>, _ rows: R, first: Bool
    ) {
      switch self {
      case .codes(let codes, let validity, let slots, _),
        .ranked(let codes, let validity, let slots):
        codes.withUnsafeBufferPointer { codes in
          SlotKey.combine(acc, rows, validity, slots, first) { Int(codes[$0]) }
        }
      case .ints(let values, let validity, let lo, let slots):
        values.withUnsafeBufferPointer { values in
          SlotKey.combine(acc, rows, validity, slots, first) { values[$0] &- lo }
        }
      case .bools(let values, let validity):
        values.withUnsafeBufferPointer { values in
          SlotKey.combine(acc, rows, validity, 3, first) { values[$0] ? 1 : 0 }
        }
      }
    }

    /// The loop of `accumulate` for one key whose valid row `r` has slot `slot(r)` (a null
    /// row takes the last slot).
    @inline(__always)
    private static func combine<R: RowIndexing>(
      _ acc: UnsafeMutableBufferPointer<Int>, _ rows: R, _ validity: Validity, _ slots: Int,
      _ first: Bool, _ slot: (Int) -> Int
    ) {
      // (The first key scales what is there by 0: the buffer needs no clearing first.)
      let scale = first ? 0 : slots
      guard let words = validity.words else {
        for i in 0..<acc.count { acc[i] = acc[i] &* scale &+ slot(rows[i]) }
        return
      }
      words.withUnsafeBufferPointer { words in
        for i in 0..<acc.count {
          let r = rows[i]
          let valid = words[r >> 6] & (1 << UInt64(r & 63)) != 0
          acc[i] = acc[i] &* scale &+ (valid ? slot(r) : slots - 1)
        }
      }
    }
  }

  private let parts: [SlotKey]
  private var map: [Int]
  /// The first row of each group so far, groups numbered by first appearance (empty when
  /// `direct`).
  private(set) var firstRows: [Int] = []
  /// Whether each slot is its own group (one key without nulls, with no more slots than
  /// rows and at least `directFrom`): a row's group is read off its key, with no table to look up, and `seen` marks
  /// the slots that rows reach. Groups are then `0..<count` whether rows reach them or not.
  let direct: Bool
  private var seen: [UInt64] = []
  /// With `direct`, the number of slots.
  private var slotCount = 0
  /// Slots are groups from this many on: below it, the table of group numbers stays in the
  /// cache and costs nothing to look up (measured: a mean over 100 groups took 0.034 s
  /// numbered, 0.041 s direct), while at 100,000 groups and more the lookups miss.
  static let directFrom = 1 << 16
  /// `seen`, a bit per slot (5 million slots in 625 KB, which the core's own cache holds),
  /// starts this many words into its array, and as many are left after it: with few
  /// groups, its words would otherwise share a cache line with what other threads write
  /// (the accumulators' values), and each mark would cost both threads that line.
  private static let seenPadding = 16
  /// The number of groups so far (with `direct`, every slot).
  var count: Int { direct ? slotCount : firstRows.count }

  /// A slot table for the key columns, or nil when a key is not small or the table would be
  /// large next to the `rows` to be grouped (`selected`: the rows, when not all of them; an
  /// integer key's range is then taken over those rows when they are few). With
  /// `direct`, the slots are the groups when they can be (see `direct`); a caller that asks
  /// reads the groups' keys through `keys(_:order:)`, not `firstRows`.
  init?(keys: [Column], rows: Int, selected: [Int]? = nil, direct: Bool = false) {
    var parts: [SlotKey] = []
    for column in keys {
      guard let part = SlotKey(column, selected: selected) else { return nil }
      parts.append(part)
    }
    self.init(
      parts: parts, hasNulls: keys.first?.validity.hasNulls ?? false, rows: rows, direct: direct)
  }

  /// A slot table for keys already taken as slots (`hasNulls`: whether the first key has
  /// a null), or nil when the table would be large next to the rows. A ranked key's slots
  /// are never its groups (`direct`): its values are not kept beside its ranks.
  init?(parts: [SlotKey], hasNulls: Bool, rows: Int, direct: Bool = false) {
    var product = 1
    for part in parts {
      let (p, overflow) = product.multipliedReportingOverflow(by: part.slots)
      guard !overflow, p <= max(1 << 20, min(rows, 1 << 24)) else { return nil }
      product = p
    }
    self.parts = parts
    var ranked = false
    if case .ranked = parts.first { ranked = true }
    self.direct =
      direct && parts.count == 1 && !ranked && !hasNulls && product <= rows
      && product >= SlotGrouping.directFrom
    if self.direct {
      map = []
      slotCount = product
      seen = [UInt64](repeating: 0, count: (product + 63) / 64 + 2 * SlotGrouping.seenPadding)
    } else {
      map = [Int](repeating: -1, count: product)
    }
  }

  /// The key columns of the groups `order` (each below `count`): each group's first row's
  /// keys, or with `direct` the keys the slots stand for. `keys` are the columns the
  /// grouping was made of.
  func keys(_ keys: [Column], order: [Int]) -> [Column] {
    guard direct, let part = parts.first, let key = keys.first else {
      return keys.map { $0.gather(order.map { firstRows[$0] }) }
    }
    switch (part, key) {
    case (.codes(_, _, _, let text), _):
      return [
        .text(
          TextColumn(
            codes: order.map { UInt32(truncatingIfNeeded: $0) }, dictionary: text.dictionary))
      ]
    case (.ints(_, _, let lo, _), .date):
      return [.date(TypedColumn(order.map { lo &+ $0 }))]
    case (.ints(_, _, let lo, _), _):
      return [.int(TypedColumn(order.map { lo &+ $0 }))]
    case (.bools, _):
      return [.bool(TypedColumn(order.map { $0 == 1 }))]
    case (.ranked, _):
      return keys.map { $0.gather(order.map { firstRows[$0] }) }
    }
  }

  /// Whether slot `s` was reached.
  @inline(__always) private static func isSeen(
    _ seen: UnsafeBufferPointer<UInt64>, _ pad: Int, _ s: Int
  ) -> Bool {
    seen[pad + s >> 6] & 1 << UInt64(s & 63) != 0
  }

  /// Marks slot `s` reached, writing its word only the first time (a line only read stays
  /// in every core's cache).
  @inline(__always) private static func mark(
    _ seen: UnsafeMutableBufferPointer<UInt64>, _ pad: Int, _ s: Int
  ) {
    let bit: UInt64 = 1 << UInt64(s & 63)
    if seen[pad + s >> 6] & bit == 0 { seen[pad + s >> 6] |= bit }
  }

  /// The groups found so far in ascending order of their keys, nulls last (text in the
  /// byte order of its values), read off the slot table in key order instead of sorting
  /// the groups; nil when the table is large next to the groups (a sort of the groups
  /// then costs less than a walk of the table).
  /// - Complexity: O(s) for s slots, plus the ordering of each text key's dictionary.
  func groupsInKeyOrder() -> [Int]? {
    if direct, let part = parts.first {
      let pad = SlotGrouping.seenPadding
      var order: [Int] = []
      order.reserveCapacity(count)
      seen.withUnsafeBufferPointer { seen in
        switch part {
        case .ints, .ranked:
          // In key order already: no list of every slot to filter.
          for s in 0..<count where SlotGrouping.isSeen(seen, pad, s) { order.append(s) }
        case .codes, .bools:
          for s in part.slotsInOrder where SlotGrouping.isSeen(seen, pad, s) { order.append(s) }
        }
      }
      return order
    }
    guard map.count <= 16 * count + (1 << 16) else { return nil }
    guard !parts.isEmpty else { return count > 0 ? [0] : [] }
    let digits = parts.map(\.slotsInOrder)
    let sizes = parts.map(\.slots)
    var order: [Int] = []
    order.reserveCapacity(count)
    map.withUnsafeBufferPointer { map in
      // Slot = ((d0 * n1 + d1) * n2 + d2) …: the keys' digits, most significant first.
      func walk(_ k: Int, _ base: Int) {
        if k == digits.count - 1 {
          for d in digits[k] where map[base + d] >= 0 { order.append(map[base + d]) }
          return
        }
        for d in digits[k] { walk(k + 1, (base + d) * sizes[k + 1]) }
      }
      walk(0, 0)
    }
    return order
  }

  /// The group of each row of a chunk of rows `start, start + 1, …` (`ids.count` of them),
  /// new groups numbered in order of first appearance.
  mutating func ids(start: Int, into ids: UnsafeMutableBufferPointer<Int>) {
    self.ids(ContiguousRows(start: start), into: ids)
  }

  /// The group of each of the rows listed at `rows` (`ids.count` of them).
  mutating func ids(
    selected rows: UnsafePointer<Int>, into ids: UnsafeMutableBufferPointer<Int>
  ) {
    self.ids(SelectedRows(rows), into: ids)
  }

  mutating func ids<R: RowIndexing>(_ rows: R, into ids: UnsafeMutableBufferPointer<Int>) {
    // No keys: one group, of every row.
    if parts.isEmpty {
      ids.update(repeating: 0)
      if firstRows.isEmpty && !ids.isEmpty { number(rows, ids) { _ in 0 } }
      return
    }
    if direct, let part = parts.first {
      let pad = SlotGrouping.seenPadding
      return seen.withUnsafeMutableBufferPointer { seen in
        switch part {
        case .ints(let values, _, let lo, _):
          values.withUnsafeBufferPointer { v in
            for i in 0..<ids.count {
              let k = v[rows[i]] &- lo
              ids[i] = k
              // Marked once: a line only read stays in every core's cache.
              SlotGrouping.mark(seen, pad, k)
            }
          }
        case .codes(let codes, _, _, _):
          codes.withUnsafeBufferPointer { c in
            for i in 0..<ids.count {
              let k = Int(c[rows[i]])
              ids[i] = k
              // Marked once: a line only read stays in every core's cache.
              SlotGrouping.mark(seen, pad, k)
            }
          }
        case .bools(let values, _):
          values.withUnsafeBufferPointer { v in
            for i in 0..<ids.count {
              let k = v[rows[i]] ? 1 : 0
              ids[i] = k
              SlotGrouping.mark(seen, pad, k)
            }
          }
        case .ranked:
          // Never direct (see `init(parts:hasNulls:rows:direct:)`).
          break
        }
      }
    }
    // One key: each row's slot read straight from its column (a null row's the last).
    if parts.count == 1 {
      switch parts[0] {
      case .ints(let values, let validity, let lo, _) where !validity.hasNulls:
        return values.withUnsafeBufferPointer { v in number(rows, ids) { v[rows[$0]] &- lo } }
      case .codes(let codes, let validity, _, _) where !validity.hasNulls,
        .ranked(let codes, let validity, _) where !validity.hasNulls:
        return codes.withUnsafeBufferPointer { c in number(rows, ids) { Int(c[rows[$0]]) } }
      case .ints(let values, let validity, let lo, let slots):
        return withWords(validity) { words in
          values.withUnsafeBufferPointer { v in
            number(rows, ids) { i in
              let r = rows[i]
              return valid(words, r) ? v[r] &- lo : slots - 1
            }
          }
        }
      case .codes(let codes, let validity, let slots, _),
        .ranked(let codes, let validity, let slots):
        return withWords(validity) { words in
          codes.withUnsafeBufferPointer { c in
            number(rows, ids) { i in
              let r = rows[i]
              return valid(words, r) ? Int(c[r]) : slots - 1
            }
          }
        }
      case .bools: break
      }
    }
    // Several keys: each key's slots added in turn, `Tuning.chunkRows` rows at a time so
    // that the partial slots stay in the nearest cache between the keys' passes (a chunk
    // fed on every core is 16 times that).
    var start = 0
    while start < ids.count {
      let part = UnsafeMutableBufferPointer(
        rebasing: ids[start..<min(ids.count, start + Tuning.chunkRows)])
      let partRows = rows.dropping(start)
      for (k, key) in parts.enumerated() { key.accumulate(into: part, partRows, first: k == 0) }
      number(partRows, part) { part[$0] }
      start += part.count
    }
  }

  /// `ids[i]` = the group of slot `slot(i)` (for `rows[i]`; new groups numbered in order).
  @inline(__always)
  private mutating func number<R: RowIndexing>(
    _ rows: R, _ ids: UnsafeMutableBufferPointer<Int>, slot: (Int) -> Int
  ) {
    map.withUnsafeMutableBufferPointer { map in
      let ahead = map.count >= Prefetch.fromGroups ? Prefetch.rows : 0
      for i in 0..<ids.count {
        if ahead > 0 && i + ahead < ids.count { Prefetch.write(map, slot(i + ahead)) }
        let k = slot(i)
        var id = map[k]
        if id < 0 {
          id = firstRows.count
          map[k] = id
          firstRows.append(rows[i])
        }
        ids[i] = id
      }
    }
  }
}

/// Where a chunk's rows are: `rows[i]` is the table row of the chunk's `i`-th element.
protocol RowIndexing {
  subscript(_ i: Int) -> Int { get }
  /// The rows from the `i`-th on.
  func dropping(_ i: Int) -> Self
  /// While the `i`-th row's value in `values` is read, asks for a later row's, when the
  /// rows are read at random (rows in ascending order the hardware reads ahead by itself).
  func prefetch<T>(_ values: UnsafeBufferPointer<T>, after i: Int)
}

extension RowIndexing {
  @inline(__always) func prefetch<T>(_ values: UnsafeBufferPointer<T>, after i: Int) {}
}

/// The rows `start, start + 1, …`.
struct ContiguousRows: RowIndexing {
  let start: Int
  init(start: Int) { self.start = start }
  subscript(_ i: Int) -> Int { start &+ i }
  func dropping(_ i: Int) -> Self { ContiguousRows(start: start &+ i) }
}

/// The rows listed in a buffer (selected by a filter).
struct SelectedRows: RowIndexing {
  let rows: UnsafePointer<Int>
  init(_ rows: UnsafePointer<Int>) { self.rows = rows }
  subscript(_ i: Int) -> Int { rows[i] }
  func dropping(_ i: Int) -> Self { SelectedRows(rows + i) }
}

/// `count` rows listed in any order (a sorted grouping's members): the table is read at
/// random, and each read is asked for `ScatteredRows.ahead` rows ahead.
struct ScatteredRows: RowIndexing {
  let rows: UnsafePointer<Int>
  let count: Int
  init(_ rows: UnsafePointer<Int>, count: Int) { (self.rows, self.count) = (rows, count) }
  subscript(_ i: Int) -> Int { rows[i] }
  func dropping(_ i: Int) -> Self { ScatteredRows(rows + i, count: count - i) }
  @inline(__always) func prefetch<T>(_ values: UnsafeBufferPointer<T>, after i: Int) {
    guard i + ScatteredRows.ahead < count, let base = values.baseAddress else { return }
    pantau_prefetch_for_read(base + rows[i + ScatteredRows.ahead])
  }
  static let ahead = 64
}

extension Grouping {
  /// The grouping by small keys, or nil when a key is not small or the slot table would be
  /// large next to the rows.
  static func dense(
    _ keys: [Column], rowCount: Int, keyOrder: Bool = false, cancellation: Cancellation?
  ) throws(EngineError) -> Grouping? {
    guard var slots = SlotGrouping(keys: keys, rows: rowCount) else { return nil }
    var ids = [Int](repeating: 0, count: rowCount)
    let chunk = 4096
    var cancelled = false
    ids.withUnsafeMutableBufferPointer { ids in
      for start in stride(from: 0, to: rowCount, by: chunk) {
        if cancellation?.isCancelled == true {
          cancelled = true
          return
        }
        let part = UnsafeMutableBufferPointer(rebasing: ids[start..<min(rowCount, start + chunk)])
        slots.ids(start: start, into: part)
      }
    }
    if cancelled { throw .cancelled }
    var grouping = Grouping(ids: ids, count: slots.count, firstRows: slots.firstRows)
    if keyOrder { grouping.keyOrder = slots.groupsInKeyOrder() }
    return grouping
  }
}
