/// The accumulators that fold each row into one value per group (`Folded`): an int sum
/// with its overflow check, min and max of numbers and of text, first and last.

final class IntSumAccumulator: SlotAccumulator {
  let values: [Int]
  let validity: Validity
  var place = SlotPlace(bytes: MemoryLayout<Folded<Int>>.stride)
  var overflow = false
  init(values: [Int], _ validity: Validity) {
    self.values = values
    self.validity = validity
  }

  @inline(__always) func run<R: RowIndexing>(
    _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R
  ) {
    var o = false
    fold(ids, n, rows, values, validity, place) { sum, x, _ in
      let (s, f) = sum.addingReportingOverflow(x)
      o = o || f
      return s
    }
    overflow = overflow || o
  }

  func reset() {
    place.table.clear()
    overflow = false
  }

  func finish(groups: Int) throws(EngineError) -> Column { try results(groups, order: nil) }

  func finish(groups: Int, order: [Int]) throws(EngineError) -> Column {
    try results(groups, order: order)
  }

  /// Group `order[i]`'s sum at `i` (group `i`'s without `order`).
  private func results(_ groups: Int, order: [Int]?) throws(EngineError) -> Column {
    if overflow { throw .overflow(operation: "sum") }
    let (values, validity) = unfold(place, Int.self, groups, order: order)
    return .int(TypedColumn(values, validity: validity))
  }
}

/// A group's value so far, and whether it has had one (side by side, so that a row touches
/// one place per group).
struct Folded<T> {
  var value: T
  var seen = false

  /// Where `seen` lies in the struct.
  static var seenOffset: Int { MemoryLayout<Folded<T>>.offset(of: \Folded<T>.seen) ?? 0 }
}

/// The groups' values (zero for a group with none) and their validity; with `order`,
/// those of the groups `order` in that order.
private func unfold<T>(
  _ place: SlotPlace, _ type: T.Type, _ groups: Int, order: [Int]? = nil
) -> ([T], Validity) {
  let acc = place.view(Folded<T>.self, groups: groups)
  guard let order else {
    return ((0..<groups).map { acc[$0].value }, Validity(count: groups) { acc[$0].seen })
  }
  // One read of each group's value, in `order` (at random, at millions of groups).
  var valid = ValidityBuilder(capacity: order.count)
  let values = order.map { g in
    let slot = acc[g]
    valid.append(slot.seen)
    return slot.value
  }
  return (values, valid.build())
}

/// Folds each valid row's value into its group's: `combine(current, value, first)`, where
/// `first` says the group has had no value yet (its current is then zero).
@inline(__always) private func fold<T, R: RowIndexing>(
  _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R, _ values: [T], _ validity: Validity,
  _ place: SlotPlace, _ combine: (T, T, Bool) -> T
) {
  let acc = place.view(Folded<T>.self, groups: n)
  // The value and the flag are read and written apart, as they were in an array of slots
  // (a load of the whole state may wait on the two stores of the row before to it).
  let seenAt = Folded<T>.seenOffset
  withWords(validity) { words in
    values.withUnsafeBufferPointer { values in
      if n == 1 {
        // One group (every id 0): its value is held in registers, not read back from its
        // slot after each row's store.
        let p = acc.address(0)
        var (value, seen) = (p.load(as: T.self), p.load(fromByteOffset: seenAt, as: Bool.self))
        var i = 0
        while !seen && i < ids.count {
          if valid(words, rows[i]) { (value, seen) = (combine(value, values[rows[i]], true), true) }
          i += 1
        }
        // Then with no test of the first value per row.
        while i < ids.count {
          rows.prefetch(values, after: i)
          let r = rows[i]
          if valid(words, r) { value = combine(value, values[r], false) }
          i += 1
        }
        p.storeBytes(of: value, as: T.self)
        p.storeBytes(of: seen, toByteOffset: seenAt, as: Bool.self)
        return
      }
      let ahead = n >= Prefetch.fromGroups ? Prefetch.rows : 0
      for i in 0..<ids.count {
        if ahead > 0 && i + ahead < ids.count { acc.prefetch(ids[i + ahead]) }
        rows.prefetch(values, after: i)
        let r = rows[i]
        if !valid(words, r) { continue }
        let p = acc.address(ids[i])
        let first = !p.load(fromByteOffset: seenAt, as: Bool.self)
        p.storeBytes(of: combine(p.load(as: T.self), values[r], first), as: T.self)
        p.storeBytes(of: true, toByteOffset: seenAt, as: Bool.self)
      }
    }
  }
}

/// min or max per group: `less` orders the values.
@inline(__always) private func extremes<T, R: RowIndexing>(
  _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R, _ values: [T], _ validity: Validity,
  _ best: SlotPlace, larger: Bool, less: (T, T) -> Bool
) {
  // (Two loops, so that the direction is not tested per row.)
  if larger {
    fold(ids, n, rows, values, validity, best) { b, x, first in
      first || less(b, x) ? x : b
    }
  } else {
    fold(ids, n, rows, values, validity, best) { b, x, first in
      first || less(x, b) ? x : b
    }
  }
}

/// min or max of an int or a float column; for floats NaN sorts above every number, as in
/// sort and rank.
final class ExtremeAccumulator: SlotAccumulator {
  let larger: Bool
  let validity: Validity
  let ints: [Int]?
  let floats: [Double]?
  var place = SlotPlace(bytes: MemoryLayout<Folded<Int>>.stride)

  init(_ column: Column, larger: Bool) {
    self.larger = larger
    switch column {
    case .int(let c):
      (ints, floats, validity) = (c.values, nil, c.validity)
    case .float(let c):
      (ints, floats, validity) = (nil, c.values, c.validity)
    default:
      (ints, floats, validity) = (nil, nil, column.validity)
    }
  }

  @inline(__always) func run<R: RowIndexing>(
    _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R
  ) {
    if let ints {
      extremes(ids, n, rows, ints, validity, place, larger: larger, less: <)
    } else if let floats {
      extremes(ids, n, rows, floats, validity, place, larger: larger) {
        a, b in a.isNaN ? false : b.isNaN ? true : a < b
      }
    }
  }

  func finish(groups: Int) -> Column {
    if ints != nil {
      let (values, validity) = unfold(place, Int.self, groups)
      return .int(TypedColumn(values, validity: validity))
    }
    let (values, validity) = unfold(place, Double.self, groups)
    return .float(TypedColumn(values, validity: validity))
  }
}

/// min or max of a text column in code-point order: each row's value is compared by its
/// dictionary entry's rank (`TextColumn.sortRanks`, kept with a loaded column), the best
/// rank per group kept, and turned back into a code of that rank at the end (equal values
/// share a rank, and any code of it holds the value).
final class TextExtremeAccumulator: SlotAccumulator {
  let larger: Bool
  let column: TextColumn
  let ranks: [UInt32]
  var place = SlotPlace(bytes: MemoryLayout<Folded<UInt32>>.stride)

  init(_ column: TextColumn, larger: Bool) {
    self.larger = larger
    self.column = column
    ranks = column.sortRanks()
  }

  @inline(__always) func run<R: RowIndexing>(
    _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R
  ) {
    let best = place.view(Folded<UInt32>.self, groups: n)
    withWords(column.validity) { words in
      column.codes.withUnsafeBufferPointer { codes in
        ranks.withUnsafeBufferPointer { ranks in
          // (Two loops, so that the direction is not tested per row.)
          if larger {
            for i in 0..<ids.count {
              rows.prefetch(codes, after: i)
              let r = rows[i]
              if !valid(words, r) { continue }
              let (g, x) = (ids[i], ranks[Int(codes[r])])
              if !best[g].seen || best[g].value < x { best[g] = Folded(value: x, seen: true) }
            }
          } else {
            for i in 0..<ids.count {
              rows.prefetch(codes, after: i)
              let r = rows[i]
              if !valid(words, r) { continue }
              let (g, x) = (ids[i], ranks[Int(codes[r])])
              if !best[g].seen || x < best[g].value { best[g] = Folded(value: x, seen: true) }
            }
          }
        }
      }
    }
  }

  /// A code of each rank (made once, for every block a `SortedFold` finishes).
  private lazy var codeOf: [UInt32] = {
    var codeOf = [UInt32](repeating: 0, count: max(1, ranks.count))
    for (code, rank) in ranks.enumerated() { codeOf[Int(rank)] = UInt32(code) }
    return codeOf
  }()

  func finish(groups: Int) -> Column {
    let (values, validity) = unfold(place, UInt32.self, groups)
    let codes = codeOf.withUnsafeBufferPointer { codeOf in values.map { codeOf[Int($0)] } }
    let dictionary = column.dictionary.isEmpty ? [""] : column.dictionary
    return .text(TextColumn(codes: codes, dictionary: dictionary, validity: validity))
  }
}

/// first or last of any column: the row of each group's first (or last) value that is not
/// null, kept as rows arrive in table order, its value gathered at the end.
final class EdgeAccumulator: ChunkAccumulator {
  let last: Bool
  let column: Column
  var rows: [Int] = []

  init(_ column: Column, last: Bool) {
    self.last = last
    self.column = column
  }

  @inline(__always) func run<R: RowIndexing>(
    _ ids: UnsafeBufferPointer<Int>, _ n: Int, _ rows: R
  ) {
    ensure(&self.rows, n, -1)
    withWords(column.validity) { words in
      self.rows.withUnsafeMutableBufferPointer { kept in
        // (Two loops, so that the end is not tested per row.)
        if last {
          for i in 0..<ids.count where valid(words, rows[i]) { kept[ids[i]] = rows[i] }
        } else {
          for i in 0..<ids.count where kept[ids[i]] < 0 && valid(words, rows[i]) {
            kept[ids[i]] = rows[i]
          }
        }
      }
    }
  }

  func reset() { rows.removeAll(keepingCapacity: true) }

  func finish(groups: Int) -> Column {
    ensure(&rows, groups, -1)
    return column.gather(Array(rows.prefix(groups)))
  }
}
