/// The stage keywords, for parsing and completion.
public enum StageName: String, Sendable, CaseIterable {
  case filter, select, drop, derive, sort, take, group, rank, top, join, distinct, append, pivot
  case describe, save, trend, bar, hist
}

extension StageName {
  /// A short example of the stage, for hints.
  var example: String {
    switch self {
    case .filter: "filter year == 2023"
    case .take: "take 10"
    case .sort: "sort score desc, region"
    case .derive: "derive change = score - lag(score) by region order year"
    case .group: "group year (n = count(), avg = avg(score))"
    case .select: "select region, score"
    case .distinct: "distinct region"
    case .append: "append other_table"
    default: rawValue
    }
  }
}
