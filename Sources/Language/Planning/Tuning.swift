/// The engine's tuning constants, in one place. The kernels' own two live in Columnar,
/// below this module: `Parallel.cores`, read from the machine, and `Parallel.splitRows`,
/// from which a kernel splits its rows or groups between the cores.
public enum Tuning {
  /// Rows a streaming operator handles at a time (its group ids stay in cache).
  public static let chunkRows = 4096
  /// A streaming group over at least this many rows with two or more aggregates feeds
  /// them on every core, one aggregate per thread, `spreadChunkRows` rows at a time.
  public static let spreadAggregatesFrom = 1 << 20
  public static let spreadChunkRows = 1 << 16
  /// Chunks between two looks at the cancellation flag in a streaming loop.
  public static let chunksPerCancelCheck = 16
  /// The largest N for which `top N … no ties` keeps each partition's best rows in one
  /// pass over the rows.
  public static let streamedTopLimit = 16
  /// The streamed top-N keeps N slots per partition: it is used while
  /// partitions × N ≤ this many times the rows (plus `streamedTopSlack`).
  public static let streamedTopSlotsPerRow = 2
  public static let streamedTopSlack = 1024
  /// A hash group samples this many first rows; when at least `sortedGroupingShare` of
  /// them have distinct keys (millions of groups, whose hash table would miss the cache on
  /// every row), the groups are found by sorting the packed keys instead
  /// (`Grouping.byKeyOrder`). Smaller tables are always hashed.
  public static let sortedGroupingSample = 1 << 16
  public static let sortedGroupingShare = 0.25
}
