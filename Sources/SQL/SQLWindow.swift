import Columnar
import Language

extension SQLBuilder {
  func window(
    _ input: Plan, _ partition: [BoundExpr], _ order: [BoundOrder], _ calls: [WindowCall],
    _ plan: Plan, _ columns: [String]
  ) throws(Diagnostic) -> Relation {
    let p = try relation(input)
    var parts: [String] = []
    for e in partition { parts.append(try expression(e, p.columns)) }
    let part = parts.isEmpty ? "" : "PARTITION BY \(parts.joined(separator: ", "))"
    let keys = try orderTerms(order, p.columns)
    func over(_ terms: [String], frame: String = "") -> String {
      let orderBy = terms.isEmpty ? "" : "ORDER BY \(terms.joined(separator: ", "))"
      let inside = [part, orderBy, frame].filter { !$0.isEmpty }.joined(separator: " ")
      return "OVER (\(inside))"
    }
    let inOrder = over(keys + ["_row"])
    var items = ["*"]
    for (k, call) in calls.enumerated() {
      var arg: String?
      if let a = call.argument { arg = try expression(a, p.columns) }
      let x = arg ?? ""
      let s: String
      switch call.function {
      case .window(.lag), .window(.lead):
        let name = call.function.isLag ? "LAG" : "LEAD"
        s = "\(name)(\(x)\(call.offset == 1 ? "" : ", \(call.offset)")) \(inOrder)"
      case .window(.rowNumber): s = "ROW_NUMBER() \(inOrder)"
      case .window(.rank): s = "RANK() \(over(keys))"
      case .window(.denseRank): s = "DENSE_RANK() \(over(keys))"
      case .window(.percentRank): s = "PERCENT_RANK() \(over(keys))"
      case .window(.cumeDist): s = "CUME_DIST() \(over(keys))"
      case .window(.ntile): s = "NTILE(\(call.offset)) \(inOrder)"
      case .window(.cumsum):
        let sum =
          "SUM(\(x)) "
          + over(keys + ["_row"], frame: "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW")
        s =
          call.type == .int && (dialect == .duckdb || dialect == .postgres)
          ? "CAST(\(sum) AS \(dialect.typeName(.int)))" : sum
      case .firstValue, .lastValue:
        // The first non-null value in order: nulls sorted after the values. The last is the
        // first in the reverse order.
        let reverse = call.function.isLastValue
        var terms = ["(\(x)) IS NULL"]
        if !reverse { terms += keys }
        if reverse {
          for o in order {
            let e = try sql(o.expr, p.columns)
            terms.append(
              orderTerm(
                wrap(e, above: 5), o.expr.type, descending: !o.descending,
                nullsFirst: !o.nullsFirst))
          }
        }
        terms.append(reverse ? "_row DESC" : "_row")
        s =
          "FIRST_VALUE(\(x)) "
          + over(terms, frame: "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING")
      case .aggregate(let kind):
        var pos: String?
        if let xp = call.position { pos = try expression(xp, p.columns) }
        let spec = AggregateInput(
          kind: kind, argument: arg, argumentType: call.argument?.type, position: pos,
          fraction: call.fraction, separator: call.separator, type: call.type,
          span: call.argument?.span ?? plan.span)
        // first/last arrive as firstValue/lastValue: every aggregate here is a plain call.
        s = try aggregate(spec, over: over([]))
      }
      items.append("\(s) AS \(columns[p.columns.count + k])")
    }
    let name = add(stageName(plan, "derive"), ["SELECT" + list(items), "FROM \(p.name)"])
    return Relation(name: name, columns: columns)
  }

  func rank(
    _ input: Plan, _ e: BoundExpr, _ desc: Bool, _ partition: [BoundExpr], _ limit: Int?,
    _ exact: Bool, _ plan: Plan, _ columns: [String]
  ) throws(Diagnostic) -> Relation {
    let p = try relation(input)
    let rankName = columns[columns.count - 1]
    let kept = p.columns.filter { $0 != rankName }
    var parts: [String] = []
    for x in partition { parts.append(try expression(x, p.columns)) }
    let value = try sql(e, p.columns)
    let term = orderTerm(wrap(value, above: 5), e.type, descending: desc)
    let partClause = parts.isEmpty ? "" : "PARTITION BY \(parts.joined(separator: ", ")) "
    let partNames = parts.indices.map { "_p\($0)" }
    var items = kept + zip(parts, partNames).map { "\($0) AS \($1)" }
    items.append("RANK() OVER (\(partClause)ORDER BY \(term)) AS \(rankName)")
    // `no ties` keeps exactly N rows (ties by input order); the rank column stays the rank.
    if exact { items.append("ROW_NUMBER() OVER (\(partClause)ORDER BY \(term), _row) AS _n") }
    items.append("_row")
    let ranked = add(stageName(plan, "rank") + "_rows", ["SELECT" + list(items), "FROM \(p.name)"])
    let partTypes = partition.map(\.type)
    let orderKeys =
      zip(partNames, partTypes).map { orderTerm($0, $1, descending: false) } + [rankName, "_row"]
    let number = "ROW_NUMBER() OVER (ORDER BY \(orderKeys.joined(separator: ", "))) AS _row"
    var lines = ["SELECT" + list(kept + [rankName, number]), "FROM \(ranked)"]
    if let limit { lines.append("WHERE \(exact ? "_n" : rankName) <= \(limit)") }
    let name = add(stageName(plan, "rank"), lines)
    return Relation(name: name, columns: kept + [rankName])
  }
}

extension WindowCall.Function {
  var isLag: Bool {
    if case .window(.lag) = self { return true }
    return false
  }
  var isLastValue: Bool {
    if case .lastValue = self { return true }
    return false
  }
}
