/// `sort`, and `sort … | take k`: a stable sort of the rows, or its first k rows without
/// ordering the rest.
public enum SortOperator {
  /// The rows of `count` in the order of `keys`; with a `limit` below the count, only the
  /// first `limit` of them.
  public static func order(_ keys: [SortKey], count n: Int, limit: Int?) -> [Int] {
    if let limit, limit < n { return Sorting.top(keys, count: n, k: limit) }
    return Sorting.permutation(keys, count: n)
  }

  /// The first `limit` of `rows` (row numbers of the table) in the order of the keys that
  /// `keys` gives over those rows gathered. With `leading` (the first key, over the whole
  /// table, when every key is a plain column so that no key expression goes unevaluated
  /// on a row), only the rows whose leading key could place them among the first `limit`
  /// are gathered and ordered; `alone` says it is the only key.
  public static func top(
    rows: [Int], leading: SortKey?, alone: Bool, limit: Int,
    keys: ([Int]) throws(EngineError) -> [SortKey]
  ) throws(EngineError) -> [Int] {
    var rows = rows
    if let leading,
      let candidates = Sorting.candidates(leading, rows: rows, k: limit, alone: alone)
    {
      rows = candidates
    }
    let best = order(try keys(rows), count: rows.count, limit: limit)
    return best.map { rows[$0] }
  }
}
