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
    var map: [Int: Int] = [:]
    for (to, from) in kept.enumerated() { map[from] = to }
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

  /// A plan giving only the columns `kept` (ascending) of `plan`: a filter keeps only them
  /// (and a filter under it only those and what the upper one reads); anything else is
  /// planned whole and the columns picked.
  func pruned(_ plan: Plan, _ kept: [Int]) -> PhysicalPlan {
    let schema = Schema(kept.map { plan.schema.fields[$0] })
    guard case .filter(let source, let predicate) = plan.op else {
      let whole = physical(plan)
      let columns = kept.map { i in BoundExpr(.column(i), plan.schema.fields[i].type, plan.span) }
      return node(.project(whole, columns), plan, schema: schema, whole.estimate)
    }
    guard case .filter = source.op else {
      let s = filterSource(source, predicate)
      return node(.filter(s, predicate, only: kept), plan, schema: schema, s.estimate.loosened)
    }
    let needed = Set(kept + predicate.columns).sorted()
    var map: [Int: Int] = [:]
    for (to, from) in needed.enumerated() { map[from] = to }
    let child = pruned(source, needed)
    return node(
      .filter(child, predicate.remapped(map), only: kept.compactMap { map[$0] }), plan,
      schema: schema, child.estimate.loosened)
  }
}
