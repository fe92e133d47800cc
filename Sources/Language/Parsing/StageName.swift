/// The stage keywords, for parsing and completion.
public enum StageName: String, Sendable, CaseIterable {
  case filter, select, drop, derive, sort, take, group, rank, top, join, distinct, append, pivot
  case describe, save, trend, bar, hist
}
