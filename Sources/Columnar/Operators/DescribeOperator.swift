/// `describe`: one row per column with its profile.
public enum DescribeOperator {
  /// The profile of each of `t`'s columns: name, type, count, nulls, distinct values, least
  /// and greatest value (as text) and mean.
  public static func run(_ t: Table) -> Table {
    var names = TextColumnBuilder()
    var types = TextColumnBuilder()
    var counts: [Int] = []
    var nulls: [Int] = []
    var distinct: [Int] = []
    var mins = TextColumnBuilder()
    var maxs = TextColumnBuilder()
    var means: [Double?] = []
    let all = Aggregation(offsets: [0, t.rowCount], rows: Array(0..<t.rowCount))
    for (name, c) in zip(t.names, t.columns) {
      names.append(name)
      types.append(c.type.rawValue)
      let nullCount = c.validity.nullCount(t.rowCount)
      nulls.append(nullCount)
      counts.append(t.rowCount - nullCount)
      let d = try? all.compute(.countDistinct, c, fraction: 0, type: .int)
      distinct.append(
        d.map { col -> Int in if case .int(let v) = col.value(at: 0) { v } else { 0 } } ?? 0)
      let lo = (try? all.compute(.min, c, fraction: 0, type: c.type))?.value(at: 0) ?? .null
      let hi = (try? all.compute(.max, c, fraction: 0, type: c.type))?.value(at: 0) ?? .null
      mins.append(lo.isNull ? nil : CellText.format(lo))
      maxs.append(hi.isNull ? nil : CellText.format(hi))
      if c.type.isNumeric,
        case .float(let m)? = (try? all.compute(.avg, c, fraction: 0, type: .float))?
          .value(at: 0)
      {
        means.append(m)
      } else {
        means.append(nil)
      }
    }
    return Table([
      ("name", .text(names.build())), ("type", .text(types.build())),
      ("count", .int(TypedColumn(counts))), ("nulls", .int(TypedColumn(nulls))),
      ("distinct", .int(TypedColumn(distinct))), ("min", .text(mins.build())),
      ("max", .text(maxs.build())), ("mean", .float(TypedColumn(optionals: means, placeholder: 0))),
    ])
  }
}
