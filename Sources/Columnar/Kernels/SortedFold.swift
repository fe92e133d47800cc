/// The streamed aggregates (`StreamedAggregate`) of groups whose member rows are listed one
/// group after another, each group's in table order (a sorted grouping's: group g's rows
/// are `rows[offsets[g]..<offsets[g + 1]]`), folded a block of `Tuning.sortedFoldGroups`
/// groups at a time.
///
/// Each core takes the next block, feeds its rows to an accumulator of its own (the
/// block's groups numbered from 0, in order), finishes the block's results and resets the
/// accumulator for the next: its state stays within the cache, and is written in order.
/// Folding by each row's group instead writes every group's state at random, and at 10^8
/// groups faults in 2.4 GB of it (a compensated sum's 24 bytes a group) before the results
/// are read out. Each group sees its rows in table order, as in a pass over the table, so
/// the results are the same to the bit.
enum SortedFold {
  /// `kind` of `column` (and `second`, a paired statistic's x) per group; nil when the kind
  /// does not fold this column's type a row at a time.
  static func compute(
    _ kind: StreamedAggregate, _ column: Column?, second: Column?, offsets: [Int],
    rows: [Int]
  ) throws(EngineError) -> Column? {
    guard let first = Accumulators.make(kind, column, second: second) else { return nil }
    let groups = max(0, offsets.count - 1)
    let block = Tuning.sortedFoldGroups
    let blocks = (groups + block - 1) / block
    var ids: [Int] = []
    guard blocks > 1 else { return try fold(first, 0..<groups, offsets, rows, ids: &ids) }
    // The result's type (and dictionary) from no groups; then each block's results are
    // written to their place in it as they come, on every core, and let go.
    let like = try first.finish(groups: 0)
    first.reset()
    let lanes = (offsets.last ?? 0) >= Tuning.splitRows ? min(Tuning.cores, blocks) : 1
    let failures = Collected<EngineError>(count: blocks)
    let shared = Unchecked((offsets, rows, column, second, first))
    let assembled = Column.assembled(like: like, count: groups) { write in
      Parallel.claim(blocks, lanes: lanes) { next in
        let (offsets, rows, column, second, first) = shared.value
        // The lane given block 0 uses the accumulator made above; the others make their own
        // (a block left unwritten makes the whole fold again, below).
        guard var b = next(),
          let accumulator = b == 0 ? first : Accumulators.make(kind, column, second: second)
        else { return }
        var ids: [Int] = []
        while true {
          let range = b * block..<min(groups, (b + 1) * block)
          do throws(EngineError) {
            write(try fold(accumulator, range, offsets, rows, ids: &ids), range.lowerBound)
          } catch {
            failures.set(b, error)
          }
          guard let following = next() else { break }
          b = following
        }
      }
    }
    // The first block's error, as one pass over the groups in order would meet it.
    for b in 0..<blocks { if let error = failures.take(b) { throw error } }
    // (A block's results not of the others' type, or a block not folded: none is known.
    // Folded whole, then.)
    if let assembled { return assembled }
    return try fold(first, 0..<groups, offsets, rows, ids: &ids)
  }

  /// The results of the groups `range` by `accumulator` (reset after), their rows'
  /// groups numbered from 0 in `ids` (a buffer kept from block to block).
  private static func fold(
    _ accumulator: GroupAccumulator, _ range: Range<Int>, _ offsets: [Int], _ rows: [Int],
    ids: inout [Int]
  ) throws(EngineError) -> Column {
    defer { accumulator.reset() }
    let start = offsets[range.lowerBound]
    let count = offsets[range.upperBound] - start
    if ids.count < count { ids = [Int](repeating: 0, count: count) }
    ids.withUnsafeMutableBufferPointer { ids in
      offsets.withUnsafeBufferPointer { offsets in
        for g in range {
          for i in offsets[g] - start..<offsets[g + 1] - start { ids[i] = g - range.lowerBound }
        }
      }
    }
    accumulator.add(ids, count: count, groups: range.count, scattered: rows, from: start)
    return try accumulator.finish(groups: range.count)
  }
}
