/// One key of a sort: a column and its direction. Nulls sort last in both directions.
public struct SortKey: Sendable {
  /// The column to sort by.
  public var column: Column
  /// Whether larger values come first.
  public var descending: Bool

  /// Makes a sort key.
  public init(_ column: Column, descending: Bool = false) {
    self.column = column
    self.descending = descending
  }
}

/// Sorting kernels.
public enum Sorting {
  /// A stable permutation of `rows` ordered by `keys`: ties keep their order in `rows`.
  /// - Complexity: O(n log n · k) for n rows and k keys.
  public static func permutation(_ keys: [SortKey], rows: [Int]) -> [Int] {
    if keys.isEmpty { return rows }
    let encoded = keys.map { EncodedKeys($0.column) }
    if encoded.count == 1 {
      return single(encoded[0], descending: keys[0].descending, rows: rows)
    }
    let desc = keys.map(\.descending)
    var positions = Array(rows.indices)
    positions.sort { pa, pb in
      let a = rows[pa]
      let b = rows[pb]
      for (k, e) in encoded.enumerated() {
        let va = e.validity.isValid(a)
        let vb = e.validity.isValid(b)
        if !va || !vb {
          if va != vb { return va }
          continue
        }
        let ka = e.keys[a]
        let kb = e.keys[b]
        if ka != kb { return desc[k] ? ka > kb : ka < kb }
      }
      return pa < pb
    }
    return positions.map { rows[$0] }
  }

  /// One key: sort (key, position) pairs, nulls appended after in their original order.
  private static func single(_ e: EncodedKeys, descending: Bool, rows: [Int]) -> [Int] {
    var pairs: [(UInt64, Int)] = []
    pairs.reserveCapacity(rows.count)
    var nulls: [Int] = []
    for (p, r) in rows.enumerated() {
      if e.validity.isValid(r) {
        pairs.append((descending ? ~e.keys[r] : e.keys[r], p))
      } else {
        nulls.append(r)
      }
    }
    pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    var out = pairs.map { rows[$0.1] }
    out.append(contentsOf: nulls)
    return out
  }

  /// A stable permutation of all `count` rows.
  public static func permutation(_ keys: [SortKey], count: Int) -> [Int] {
    permutation(keys, rows: Array(0..<count))
  }
}
