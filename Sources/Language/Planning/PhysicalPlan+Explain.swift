import Columnar

/// One operator of a physical plan as `.explain` shows it.
public struct ExplainLine: Sendable {
  /// The operator's name with its tree branch (`└─ hash join`).
  public var label: String
  /// The spans of the stages it does.
  public var stages: [SourceSpan]
  /// Its output columns.
  public var schema: Schema
  /// The rows expected before running.
  public var estimate: Estimate
  /// The node's number (for a profile).
  public var id: Int
  /// Its inputs' numbers (a profile's times include the inputs').
  public var inputs: [Int]
}

extension PhysicalPlan {
  /// The operators, root first, each input under its parent.
  public func explainLines(ascii: Bool = false) -> [ExplainLine] {
    var out: [ExplainLine] = []
    lines(into: &out, label: "", under: "", ascii: ascii)
    return out
  }

  /// Appends this node (its label starting with `label`) and its inputs (whose lines
  /// start with `under`).
  private func lines(into out: inout [ExplainLine], label: String, under: String, ascii: Bool) {
    out.append(
      ExplainLine(
        label: label + operatorName, stages: stages, schema: schema, estimate: estimate, id: id,
        inputs: inputs.map(\.id)))
    let children = inputs
    for (i, child) in children.enumerated() {
      let last = i == children.count - 1
      let branch = ascii ? (last ? "`- " : "|- ") : (last ? "└─ " : "├─ ")
      let more = last ? "   " : (ascii ? "|  " : "│  ")
      child.lines(into: &out, label: under + branch, under: under + more, ascii: ascii)
    }
  }

  /// What the operator is, in the words of `.explain`.
  public var operatorName: String {
    switch op {
    case .scan(_, let name): "scan \(name)"
    case .pivoted: "pivot (run while checking)"
    case .filter(_, _, let only): "filter" + (only.map { " (keeps \($0.count) columns)" } ?? "")
    case .project: "project"
    case .window(_, _, _, _, let limit):
      limit.map { "window (first \($0.count) per partition)" } ?? "window"
    case .partitionAggregates: "partition aggregates (no sort)"
    case .sort(_, _, let limit): limit.map { "top-k sort (k = \($0))" } ?? "sort"
    case .filteredTop(_, _, _, _, let limit): "filtered top-k (k = \(limit))"
    case .take(_, let n): "take \(n)"
    case .group(_, _, .hash): "hash group"
    case .group(_, _, .streaming): "streaming group"
    case .filteredGroup: "filtered streaming group"
    case .joinGroup: "join-group (no joined table)"
    case .join(_, _, let spec, let only):
      (spec.left ? "hash left join" : "hash join")
        + (only.map { " (builds \($0.count) columns)" } ?? "")
    case .rank(_, let spec):
      switch (spec.limit, spec.exact, spec.streamed) {
      case (nil, _, _): "rank"
      case (let k?, _, true): "streamed top \(k) per partition"
      case (let k?, true, false): "top \(k) per partition"
      case (let k?, false, false): "rank (ranks ≤ \(k))"
      }
    case .distinct: "distinct"
    case .append: "append"
    case .pivot: "pivot"
    case .describe: "describe"
    }
  }
}

extension Estimate {
  /// As `.explain` shows it: `972`, `≤ 972` or `?`.
  public var text: String {
    switch self {
    case .exactly(let n): "\(n)"
    case .atMost(let n): "≤ \(n)"
    case .unknown: "?"
    }
  }
}
