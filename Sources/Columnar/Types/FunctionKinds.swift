/// The aggregate functions (inside `group`, or over a whole partition in `derive … by`).
public enum AggregateKind: String, Sendable, CaseIterable {
  case count
  case countDistinct = "count_distinct"
  case sum, avg, min, max, median, quantile, stddev, first, last, spark
  case `var`, mode
  case stringAgg = "string_agg"
  case corr
  case covarSamp = "covar_samp"
  case covarPop = "covar_pop"
  case regrSlope = "regr_slope"
  case regrIntercept = "regr_intercept"
  case regrR2 = "regr_r2"

  /// The aggregates of two numeric arguments `(y, x)`, over the rows where both are known.
  public var isPaired: Bool {
    switch self {
    case .corr, .covarSamp, .covarPop, .regrSlope, .regrIntercept, .regrR2: true
    default: false
    }
  }

  /// Whether the aggregate folds a row at a time over an argument of this type (nil: no
  /// argument, `count()`), so that it needs no group's member list.
  public func streams(over type: DataType?) -> Bool {
    guard let type else { return self == .count }
    switch self {
    case .count: return true
    case .sum, .avg: return type.isNumeric
    case .min, .max: return type.isNumeric || type == .text
    case .first, .last: return true
    default: return isPaired
    }
  }

  /// The statistic of a paired aggregate.
  var pairedStatistic: PairedStatistic? {
    switch self {
    case .corr: .corr
    case .covarSamp: .covarSamp
    case .covarPop: .covarPop
    case .regrSlope: .regrSlope
    case .regrIntercept: .regrIntercept
    case .regrR2: .regrR2
    default: nil
    }
  }

  /// The kernels' form of an aggregate that can fold a row at a time (which types it folds
  /// is the kernels' to say).
  var streamed: StreamedAggregate? {
    switch self {
    case .count: .count
    case .sum: .sum
    case .avg: .avg
    case .min: .min
    case .max: .max
    case .first: .first
    case .last: .last
    default: pairedStatistic.map(StreamedAggregate.paired)
    }
  }
}

/// Window-only functions (inside `derive … by … order …`).
public enum WindowKind: String, Sendable, CaseIterable {
  case lag, lead
  case rowNumber = "row_number"
  case rank
  case denseRank = "dense_rank"
  case cumsum, ntile
  case percentRank = "percent_rank"
  case cumeDist = "cume_dist"
}

/// What a window function computes.
public enum WindowFunction: Sendable {
  case window(WindowKind)
  case aggregate(AggregateKind)
  /// `first(x)` / `last(x)` in order within the partition.
  case firstValue, lastValue

  /// The aggregate it computes over its partition (nil: a window-only function).
  var aggregate: AggregateKind? {
    switch self {
    case .aggregate(let kind): kind
    case .firstValue: .first
    case .lastValue: .last
    case .window: nil
    }
  }
}
