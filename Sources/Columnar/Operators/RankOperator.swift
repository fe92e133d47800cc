/// `rank`/`top`: competition ranks inside each partition; rows come out ordered by the
/// partition keys, then rank, then input order. Each partition is ranked on its own (no
/// sort of the whole table); with a `limit` only the rows that can make it are sorted.
public enum RankOperator {
  /// `t`'s rows that rank within `limit` (all when nil; with `exact`, at most `limit` per
  /// partition, ties by input order) by `key` within the partitions of `partition`, with
  /// their ranks as a last column `name` (replacing a column of that name). With
  /// `streamed` (a small exact limit), each partition's best rows are kept in one pass
  /// when the data allows.
  /// - Complexity: O(n + Σ m log m) over partition sizes m; O(n log limit) with a limit.
  public static func run(
    _ t: Table, partition partitionColumns: [Column], key: Column, descending: Bool,
    limit: Int?, exact: Bool, streamed: Bool, name: String, _ context: OperatorContext
  ) throws(EngineError) -> Table {
    let encoded = EncodedKeys(key)
    var (rows, ranks) = ([Int](), [Int]())
    if partitionColumns.isEmpty {
      // One partition of every row: ranked in place, with no grouping and no member list.
      rankPartition(
        0..<t.rowCount, encoded, descending: descending, limit: limit, exact: exact,
        thresholdFirst: true, rows: &rows, ranks: &ranks)
    } else {
      let groups = try Grouping(
        keys: partitionColumns, rowCount: t.rowCount, cancellation: context.cancellation)
      (rows, ranks) = try firstRows(
        groups, HashGroupOperator.keyOrder(partitionColumns, groups), encoded,
        rowCount: t.rowCount, descending: descending, limit: limit, exact: exact,
        streamed: streamed, context)
    }
    var out = t.gather(rows)
    if let existing = t.names.firstIndex(of: name) {
      out.names.remove(at: existing)
      out.columns.remove(at: existing)
    }
    out.names.append(name)
    out.columns.append(.int(TypedColumn(ranks)))
    return out
  }

  /// The rows of each group of `groups` (taken in `order`) that rank within `limit` (with
  /// `exact`, at most `limit` of them, ties by input order), each group's best first, and
  /// their competition ranks. With `streamed` (a small exact limit), one pass keeping each
  /// group's best so far when the key has no nulls and the groups are few enough (else the
  /// running operator's profile notes why not); otherwise each group's rows ranked alone.
  static func firstRows(
    _ groups: Grouping, _ order: [Int], _ encoded: EncodedKeys, rowCount n: Int,
    descending: Bool, limit: Int?, exact: Bool, streamed: Bool, _ context: OperatorContext
  ) throws(EngineError) -> (rows: [Int], ranks: [Int]) {
    let streams =
      streamed && !encoded.validity.hasNulls
      && groups.count * (limit ?? 0)
        <= Tuning.streamedTopSlotsPerRow * n + Tuning.streamedTopSlack
    if streamed && !streams {
      context.note("nulls or too many partitions: each partition ranked")
    }
    if streams, let limit {
      return TopPerGroup.streamed(groups, order, encoded, descending: descending, k: limit)
    }
    var rows: [Int] = []
    var ranks: [Int] = []
    let (offsets, members) = groups.members()
    for g in order {
      try context.checkCancelled()
      rankPartition(
        members[offsets[g]..<offsets[g + 1]], encoded, descending: descending, limit: limit,
        exact: exact, rows: &rows, ranks: &ranks)
    }
    return (rows, ranks)
  }

  /// Ranks one partition's rows (given in input order) and appends the rows and ranks.
  /// With a limit below the partition's known rows, only rows no worse than the limit-th
  /// best key are sorted. With `thresholdFirst` (the whole table, read in order), that key
  /// is found in a pass of its own, so that no pair is made for the other rows; a
  /// partition's rows, scattered over the table, are read once into pairs instead
  /// (measured: a second pass over them cost half as much again).
  static func rankPartition<C: Collection<Int>>(
    _ members: C, _ e: EncodedKeys, descending: Bool, limit: Int?,
    exact: Bool = false, thresholdFirst: Bool = false, rows: inout [Int], ranks: inout [Int]
  ) {
    let flip: UInt64 = descending ? ~0 : 0
    let valid = e.validity
    var threshold = UInt64.max
    if thresholdFirst, let limit, limit < members.count {
      threshold = smallest(
        members.lazy.filter { valid.isValid($0) }.map { e.keys[$0] ^ flip }, limit)
    }
    var pairs: [(key: UInt64, row: Int)] = []
    var nulls: [Int] = []
    if !thresholdFirst { pairs.reserveCapacity(members.count) }
    for r in members {
      if valid.isValid(r) {
        let key = e.keys[r] ^ flip
        if key <= threshold { pairs.append((key, r)) }
      } else {
        nulls.append(r)
      }
    }
    if !thresholdFirst, let limit, limit < pairs.count {
      let cut = smallest(pairs.lazy.map(\.key), limit)
      pairs.removeAll { $0.key > cut }
    }
    pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
    var rank = 0
    for (i, p) in pairs.enumerated() {
      if i == 0 || p.key != pairs[i - 1].key { rank = i + 1 }
      if let limit, rank > limit || (exact && i >= limit) { return }
      rows.append(p.row)
      ranks.append(rank)
    }
    // (When pairs were dropped past the threshold, the ranks stopped at the limit above.)
    let nullRank = pairs.count + 1
    if let limit, nullRank > limit { return }
    for (i, r) in nulls.enumerated() {
      if exact, let limit, pairs.count + i >= limit { return }
      rows.append(r)
      ranks.append(nullRank)
    }
  }

  /// The k-th smallest key (k ≥ 1), keeping only the k smallest seen so far.
  static func smallest<S: Sequence>(_ keys: S, _ k: Int) -> UInt64 where S.Element == UInt64 {
    var best: [UInt64] = []
    best.reserveCapacity(k + 1)
    for key in keys {
      if best.count == k, let last = best.last, key >= last { continue }
      let at = best.firstIndex { $0 > key } ?? best.count
      best.insert(key, at: at)
      if best.count > k { best.removeLast() }
    }
    return best.last ?? .max
  }
}
