import Columnar

extension PlanBuilder {
  /// `… | rank/top … | select …` that keeps few of the columns: the rank gathers its
  /// output rows, so it is given only the columns the select and the rank read (the filters
  /// under it keep only those too, and the rank column keeps its place after them). Nil when
  /// there is nothing to leave out, or the rank's name replaces an input column.
  func prunedRank(_ plan: Plan, _ input: Plan, _ exprs: [BoundExpr]) -> PhysicalPlan? {
    guard fast,
      case .rank(let inner, let e, let desc, let partition, let limit, _, let exact) = input.op
    else { return nil }
    let width = inner.schema.fields.count
    guard input.schema.fields.count == width + 1 else { return nil }
    var used = Set(e.columns + partition.flatMap(\.columns))
    for x in exprs { used.formUnion(x.columns.filter { $0 < width }) }
    guard used.count < width else { return nil }
    let kept = used.sorted()
    var map = positions(kept)
    map[width] = kept.count
    let child = pruned(inner, kept)
    let rankFields = kept.map { inner.schema.fields[$0] } + [input.schema.fields[width]]
    let ranked = rank(
      input, child, e.remapped(map), desc, partition.map { $0.remapped(map) }, limit, exact,
      schema: Schema(rankFields))
    return node(.project(ranked, exprs.map { $0.remapped(map) }), plan, ranked.estimate)
  }

  /// The rank operator of `plan`'s stage over `child` (whose columns `schema` lists, with
  /// the rank's last).
  func rank(
    _ plan: Plan, _ child: PhysicalPlan, _ e: BoundExpr, _ desc: Bool, _ partition: [BoundExpr],
    _ limit: Int?, _ exact: Bool, schema: Schema
  ) -> PhysicalPlan {
    let spec = RankSpec(
      expr: e, descending: desc, partition: partition, limit: limit, exact: exact,
      streamed: fast && exact && Planner.streamsTop(limit: limit ?? .max))
    let estimate =
      exact && partition.isEmpty ? Planner.capped(child.estimate, limit) : child.estimate.loosened
    return node(
      .rank(child, spec), plan, schema: schema, limit == nil ? child.estimate : estimate)
  }

  /// Whether planning `plan` for only some of its columns saves work: its operator (or one
  /// under a `select`/`derive` of it) gathers, sorts or copies every column it gives (a
  /// take copies the first rows of each).
  func savesByPruning(_ plan: Plan) -> Bool {
    switch plan.op {
    case .append, .sort, .join, .filter, .take: return true
    case .project(let input, _): return savesByPruning(input)
    default: return false
    }
  }

  /// A plan giving only the columns `kept` (ascending) of `plan`, each operator under it
  /// given only the columns it and those above it read: a filter keeps only them, a sort
  /// (or a top-k) sorts and gathers only them and its keys, a take copies only them, an
  /// append joins only them, a join builds only them, and a `select`/`derive` passes the pruning on when it drops
  /// nothing but columns (an expression it computes is computed still, so that its errors
  /// are raised as the general plan raises them). Anything else is planned whole and the
  /// columns picked.
  func pruned(_ plan: Plan, _ kept: [Int]) -> PhysicalPlan {
    let width = plan.schema.fields.count
    guard fast, kept.count < width else { return physical(plan) }
    let schema = Schema(kept.map { plan.schema.fields[$0] })
    switch plan.op {
    case .filter(let source, let predicate):
      guard case .filter = source.op else {
        let s = filterSource(source, predicate)
        return node(.filter(s, predicate, only: kept), plan, schema: schema, s.estimate.loosened)
      }
      let needed = Set(kept + predicate.columns).sorted()
      let map = positions(needed)
      let child = pruned(source, needed)
      return node(
        .filter(child, predicate.remapped(map), only: kept.compactMap { map[$0] }), plan,
        schema: schema, child.estimate.loosened)
    case .append(let l, let r, let lm, let rm):
      let at = positions(kept)
      let (lk, rk) = (
        lm.indices.filter { at[lm[$0]] != nil }, rm.indices.filter { at[rm[$0]] != nil }
      )
      let (a, b) = (pruned(l, lk), pruned(r, rk))
      return node(
        .append(
          a, b, leftMap: lk.compactMap { at[lm[$0]] }, rightMap: rk.compactMap { at[rm[$0]] }),
        plan, schema: schema, appendEstimate(a, b))
    case .sort(let input, let keys):
      return prunedSort(plan, input, keys, limit: nil, kept)
    case .take(let input, let n):
      guard case .sort(let inner, let keys) = input.op else {
        let child = pruned(input, kept)
        return node(.take(child, n), plan, schema: schema, Planner.capped(child.estimate, n))
      }
      return prunedSort(input, inner, keys, limit: n, kept, take: plan)
    case .join(let l, let r, let left, let lk, let rk, let rightKept):
      let spec = JoinSpec(
        left: left, leftKeys: lk, rightKeys: rk, rightKept: rightKept, schema: plan.schema)
      return node(.join(physical(l), physical(r), spec, only: kept), plan, schema: schema, .unknown)
    case .project(let input, let exprs):
      let keptSet = Set(kept)
      guard exprs.indices.allSatisfy({ keptSet.contains($0) || exprs[$0].isColumn }) else { break }
      let keptExprs = kept.map { exprs[$0] }
      let needed = Set(keptExprs.flatMap(\.columns)).sorted()
      let map = positions(needed)
      return projected(pruned(input, needed), keptExprs.map { $0.remapped(map) }, plan, schema)
    default:
      break
    }
    let whole = physical(plan)
    let columns = kept.map { i in BoundExpr(.column(i), plan.schema.fields[i].type, plan.span) }
    return node(.project(whole, columns), plan, schema: schema, whole.estimate)
  }

  /// `sort` (with `limit`, `sort | take`) of only the columns `kept` and its keys, then
  /// only `kept` picked.
  private func prunedSort(
    _ plan: Plan, _ input: Plan, _ keys: [BoundOrder], limit: Int?, _ kept: [Int],
    take: Plan? = nil
  ) -> PhysicalPlan {
    let needed = Set(kept + keys.flatMap(\.expr.columns)).sorted()
    let map = positions(needed)
    let child = pruned(input, needed)
    var remapped = keys
    for i in remapped.indices { remapped[i].expr = keys[i].expr.remapped(map) }
    let sorted = node(
      .sort(child, remapped, limit: limit), take ?? plan, span: plan.span,
      schema: Schema(needed.map { plan.schema.fields[$0] }),
      stages: take.map { [plan.span, $0.span] }, Planner.capped(child.estimate, limit))
    guard needed.count > kept.count else { return sorted }
    let outer = take ?? plan
    let columns = kept.compactMap { i in
      map[i].map { BoundExpr(.column($0), plan.schema.fields[i].type, outer.span) }
    }
    return node(
      .project(sorted, columns), outer, schema: Schema(kept.map { plan.schema.fields[$0] }),
      sorted.estimate)
  }

  /// `exprs` over `child`; when `child` only picks columns (a pruned input's), the
  /// expressions read its input's columns instead, in one node.
  func projected(_ child: PhysicalPlan, _ exprs: [BoundExpr], _ plan: Plan, _ schema: Schema)
    -> PhysicalPlan
  {
    guard case .project(let inner, let picks) = child.op else {
      return node(.project(child, exprs), plan, schema: schema, child.estimate)
    }
    var map: [Int: Int] = [:]
    for (k, pick) in picks.enumerated() {
      guard let from = pick.columnIndex else {
        return node(.project(child, exprs), plan, schema: schema, child.estimate)
      }
      map[k] = from
    }
    return node(
      .project(inner, exprs.map { $0.remapped(map) }), plan, schema: schema, inner.estimate)
  }

  /// Each of `columns`' place in it.
  func positions(_ columns: [Int]) -> [Int: Int] {
    var map: [Int: Int] = [:]
    for (to, from) in columns.enumerated() { map[from] = to }
    return map
  }
}
