import Columnar

extension Executor {
  /// `rank`/`top`: competition ranks inside each partition; rows come out ordered by the
  /// partition keys, then rank, then input order.
  func rank(
    _ t: Table, _ e: BoundExpr, _ descending: Bool, _ partition: [BoundExpr], _ limit: Int?,
    _ schema: Schema
  ) throws(EngineError) -> Table {
    let n = t.rowCount
    var partitionColumns: [Column] = []
    for p in partition { partitionColumns.append(try evaluate(p, t)) }
    let value = try evaluate(e, t)
    let keys = partitionColumns.map { SortKey($0) } + [SortKey(value, descending: descending)]
    let perm = Sorting.permutation(keys, count: n)
    try checkCancelled()
    let partKeys = partitionColumns.map(EncodedKeys.init)
    let valueKey = EncodedKeys(value)
    func same(_ keys: [EncodedKeys], _ a: Int, _ b: Int) -> Bool {
      for e in keys {
        let va = e.validity.isValid(a)
        if va != e.validity.isValid(b) || (va && e.keys[a] != e.keys[b]) { return false }
      }
      return true
    }
    var ranks: [Int] = []
    var rows: [Int] = []
    ranks.reserveCapacity(n)
    rows.reserveCapacity(limit.map { min($0 * 64, n) } ?? n)
    var start = 0
    var rank = 0
    for k in 0..<n {
      let r = perm[k]
      if k == 0 || !same(partKeys, r, perm[k - 1]) {
        start = k
        rank = 1
      } else if !same([valueKey], r, perm[k - 1]) {
        rank = k - start + 1
      }
      if let limit, rank > limit { continue }
      rows.append(r)
      ranks.append(rank)
    }
    var out = t.gather(rows)
    let existing = t.names.firstIndex(of: schema.names.last ?? "rank")
    if let existing {
      out.names.remove(at: existing)
      out.columns.remove(at: existing)
    }
    out.names.append(schema.names.last ?? "rank")
    out.columns.append(.int(TypedColumn(ranks)))
    return out
  }
}
