#if canImport(Glibc)
  import Glibc
#endif

/// The engine's tuning constants, in one place: the planner's and the operators' and
/// kernels' alike.
public enum Tuning {
  /// The cores this process may run on (read from the machine once).
  public static let cores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  /// A kernel that splits its rows between the cores does so from this many rows on
  /// (below it, starting the threads costs more than the second core gives).
  public static let splitRows = 1 << 20
  /// Rows a streaming operator handles at a time (its group ids stay in cache).
  public static let chunkRows = 4096
  /// A streaming group over at least this many rows with two or more aggregates feeds
  /// them on every core, one aggregate per thread, `spreadChunkRows` rows at a time.
  public static let spreadAggregatesFrom = 1 << 20
  public static let spreadChunkRows = 1 << 16
  /// Over this many groups and more (their states then outgrow the caches), the
  /// aggregates of a streaming group keep their states side by side, one row per group
  /// (`FusedAccumulators`), and take `fusedBlockRows` rows in turn.
  public static let fusedSlotsFrom = 1 << 19
  public static let fusedBlockRows = 1024
  /// A group of this many groups and more finishes its aggregates on every core, one
  /// aggregate per thread.
  public static let finishAggregatesApartFrom = 1 << 17
  /// An expression of numbers over this many rows and more is evaluated by chunks on
  /// every core (`ChunkedColumns`), chunks of `expressionChunkRows` rows.
  public static let chunkedExpressionsFrom = 1 << 17
  public static let expressionChunkRows = 1 << 13
  /// Chunks between two looks at the cancellation flag in a streaming loop.
  public static let chunksPerCancelCheck = 16
  /// Counts and exact sums over fewer groups than this keep `accumulatorLanes` running
  /// totals per group (row i in total i mod lanes), added together after each chunk: with
  /// few groups, consecutive rows update the same total, each update waiting on the last.
  public static let lanedGroupsBelow = 64
  public static let accumulatorLanes = 4
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
  /// Groups found by sorting fold their streamed aggregates this many groups at a time,
  /// in one accumulator's memory per core (`SortedFold`): at 24 bytes a group, 384 KB,
  /// within a core's cache.
  public static let sortedFoldGroups = 1 << 14
}
