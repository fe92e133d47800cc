/// A plan's inputs, and the same operator over other inputs: what a rewrite that replaces
/// subtrees (e.g. running part of a plan on a server) walks with.
extension Plan {
  /// The plans this operator reads, left to right (a pivot already run has none).
  public var inputs: [Plan] {
    switch op {
    case .scan, .pivoted: []
    case .filter(let p, _), .project(let p, _), .window(let p, _, _, _), .sort(let p, _),
      .take(let p, _), .group(let p, _, _, _), .rank(let p, _, _, _, _, _, _),
      .distinct(let p, _), .pivot(let p, _, _, _, _), .describe(let p):
      [p]
    case .join(let l, let r, _, _, _, _), .append(let l, let r, _, _): [l, r]
    }
  }

  /// The same operator, schema and span over new inputs (as many as `inputs` has).
  public func withInputs(_ new: [Plan]) -> Plan {
    guard new.count == inputs.count, let first = new.first else { return self }
    var out = self
    switch op {
    case .scan, .pivoted: return self
    case .filter(_, let e): out.op = .filter(first, e)
    case .project(_, let e): out.op = .project(first, e)
    case .window(_, let partition, let order, let calls):
      out.op = .window(first, partition: partition, order: order, calls: calls)
    case .sort(_, let keys): out.op = .sort(first, keys)
    case .take(_, let n): out.op = .take(first, n)
    case .group(_, let keys, let aggregates, let outputs):
      out.op = .group(first, keys: keys, aggregates: aggregates, outputs: outputs)
    case .rank(_, let e, let descending, let partition, let limit, let keep, let exact):
      out.op = .rank(
        first, e, descending: descending, partition: partition, limit: limit,
        keepColumn: keep, exact: exact)
    case .distinct(_, let columns): out.op = .distinct(first, columns: columns)
    case .pivot(_, let rowKeys, let key, let value, let aggregate):
      out.op = .pivot(first, rowKeys: rowKeys, key: key, value: value, aggregate: aggregate)
    case .describe: out.op = .describe(first)
    case .join(_, _, let left, let lk, let rk, let kept):
      out.op = .join(first, new[1], left: left, leftKeys: lk, rightKeys: rk, rightKept: kept)
    case .append(_, _, let lm, let rm): out.op = .append(first, new[1], leftMap: lm, rightMap: rm)
    }
    return out
  }
}
