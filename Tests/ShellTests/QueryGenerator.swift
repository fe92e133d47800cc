/// Random pipelines with their SQL equivalents over the tables of `RandomData`.
enum QueryGenerator {
  static func make(_ rng: inout Random) -> QueryCase {
    switch rng.int(0...8) {
    case 0: filter(&rng)
    case 1, 2: group(&rng)
    case 3: sortTake(&rng)
    case 4: rank(&rng)
    case 5: window(&rng)
    case 6: join(&rng)
    case 7: distinct(&rng)
    default: arithmetic(&rng)
    }
  }

  /// A random predicate as (pantau, SQL).
  static func predicate(_ rng: inout Random, depth: Int = 0) -> (String, String) {
    if depth < 2 && rng.chance(0.4) {
      let (a, sa) = predicate(&rng, depth: depth + 1)
      let (b, sb) = predicate(&rng, depth: depth + 1)
      let op = rng.pick(["and", "or"])
      return ("(\(a) \(op) \(b))", "(\(sa) \(op.uppercased()) \(sb))")
    }
    if depth < 2 && rng.chance(0.1) {
      let (a, sa) = predicate(&rng, depth: depth + 1)
      return ("not (\(a))", "NOT (\(sa))")
    }
    switch rng.int(0...7) {
    case 0:
      let c = rng.int(-10...10)
      let op = rng.pick(["==", "!=", "<", "<=", ">", ">="])
      return ("x \(op) \(c)", "x \(op == "==" ? "=" : op) \(c)")
    case 1:
      let c = Double(rng.int(-8...8)) / 2
      let op = rng.pick(["<", ">=", "=="])
      return ("y \(op) \(c)", "y \(op == "==" ? "=" : op) \(c)")
    case 2:
      let v = rng.pick(["a", "b", "dd", "é", "zz"])
      let op = rng.pick(["==", "!=", "<", ">="])
      return ("g1 \(op) \"\(v)\"", "g1 \(op == "==" ? "=" : op) '\(v)'")
    case 3:
      let p = rng.pick(["al", "E", "TA", "z"])
      return ("s ~ \"\(p)\"", "instr(lower(s), lower('\(p)')) > 0")
    case 4:
      let col = rng.pick(["x", "y", "g1", "s"])
      return rng.chance(0.5)
        ? ("\(col) == null", "\(col) IS NULL") : ("\(col) != null", "\(col) IS NOT NULL")
    case 5:
      let items = (0..<rng.int(1...3)).map { _ in String(rng.int(-5...5)) }
      return ("x in (\(items.joined(separator: ", ")))", "x IN (\(items.joined(separator: ", ")))")
    case 6:
      let lo = rng.int(-10...5)
      let hi = lo + rng.int(0...10)
      return ("x in \(lo)..\(hi)", "x BETWEEN \(lo) AND \(hi)")
    default:
      let c = rng.int(1...3)
      return ("g2 + x > \(c)", "g2 + x > \(c)")
    }
  }

  static func filter(_ rng: inout Random) -> QueryCase {
    let (p, sp) = predicate(&rng)
    return QueryCase(
      pantau: "t | filter \(p) | select id, g1, x, y",
      sql: "SELECT id, g1, x, y FROM t WHERE \(sp) ORDER BY id")
  }

  static func orderTerm(_ col: String, desc: Bool) -> String {
    desc ? "\(col) IS NULL, \(col) DESC" : "\(col) IS NULL, \(col)"
  }

  static func group(_ rng: inout Random) -> QueryCase {
    let keys = rng.chance(0.15) ? [] : rng.subset(["g1", "g2", "s"])
    let usesFilter = rng.chance(0.4)
    let (p, sp) = usesFilter ? predicate(&rng) : ("", "1")
    var items: [(String, String)] = [("n = count()", "COUNT(*) AS n")]
    let col = rng.pick(["x", "y"])
    let all: [(String, String)] = [
      ("c = count(\(col))", "COUNT(\(col)) AS c"),
      ("d = count_distinct(\(col))", "COUNT(DISTINCT \(col)) AS d"),
      ("su = sum(\(col))", "SUM(\(col)) AS su"),
      ("a = avg(\(col))", "AVG(\(col)) AS a"),
      ("lo = min(\(col))", "MIN(\(col)) AS lo"),
      ("hi = max(s)", "MAX(s) AS hi"),
      (
        "sd = stddev(\(col))",
        "CASE WHEN COUNT(\(col)) > 1 THEN sqrt(max(0, (SUM(\(col) * \(col)) - SUM(\(col)) * SUM(\(col)) * 1.0 / COUNT(\(col))) / (COUNT(\(col)) - 1))) END AS sd"
      ),
    ]
    items += rng.subset(all)
    let keyList = keys.joined(separator: ", ")
    let sel = (keys + items.map { $0.1 }).joined(separator: ", ")
    var sql = "WITH base AS (SELECT * FROM t WHERE \(sp)), agg AS (SELECT \(sel) FROM base"
    sql += keys.isEmpty ? ")" : " GROUP BY \(keyList))"
    let ranked =
      "ranked AS (SELECT \(keys.map { $0 + ", " }.joined())\(col) AS v, ROW_NUMBER() OVER (\(keys.isEmpty ? "" : "PARTITION BY \(keyList) ")ORDER BY \(col)) AS rn, COUNT(\(col)) OVER (\(keys.isEmpty ? "" : "PARTITION BY \(keyList)")) AS cnt FROM base WHERE \(col) IS NOT NULL)"
    let pq = rng.pick([0.5, 0.25, 0.9, 0.0, 1.0])
    let h = "\(pq) * (cnt - 1)"
    let quant =
      "q AS (SELECT \(keys.map { $0 + ", " }.joined())MAX(CASE WHEN rn = CAST(\(h) AS INTEGER) + 1 THEN v END) AS qlo, MAX(CASE WHEN rn = MIN(CAST(\(h) AS INTEGER) + 2, cnt) THEN v END) AS qhi, MAX(\(h) - CAST(\(h) AS INTEGER)) AS fr FROM ranked\(keys.isEmpty ? "" : " GROUP BY \(keyList)"))"
    sql += ", \(ranked), \(quant)"
    var outCols =
      keys.map { "agg.\($0)" }
      + items.map { i in "agg." + (i.1.components(separatedBy: " AS ").last ?? "") }
    var pantauItems = items.map(\.0)
    if rng.chance(0.6) {
      pantauItems.append("qq = quantile(\(col), \(pq))")
      outCols.append("q.qlo + (q.qhi - q.qlo) * q.fr")
    }
    if rng.chance(0.5) {
      let last = rng.chance(0.5)
      pantauItems.append("fl = \(last ? "last" : "first")(\(col))")
      let match = keys.map { "b2.\($0) IS agg.\($0)" } + ["b2.\(col) IS NOT NULL"]
      outCols.append(
        "(SELECT \(col) FROM base b2 WHERE \(match.joined(separator: " AND ")) ORDER BY id \(last ? "DESC" : "") LIMIT 1)"
      )
    }
    let joinOn = keys.isEmpty ? "1" : keys.map { "agg.\($0) IS q.\($0)" }.joined(separator: " AND ")
    sql += " SELECT \(outCols.joined(separator: ", ")) FROM agg LEFT JOIN q ON \(joinOn)"
    if !keys.isEmpty {
      sql += " ORDER BY " + keys.map { orderTerm("agg.\($0)", desc: false) }.joined(separator: ", ")
    }
    let filterStage = usesFilter ? " | filter \(p)" : ""
    let keyText = keys.isEmpty ? "" : keyList + " "
    return QueryCase(
      pantau: "t\(filterStage) | group \(keyText)(\(pantauItems.joined(separator: ", ")))",
      sql: sql, tolerance: 1e-6)
  }

  static func sortTake(_ rng: inout Random) -> QueryCase {
    let cols = rng.subset(["g1", "x", "y", "s", "g2"])
    let dirs = cols.map { _ in rng.chance(0.5) }
    let n = rng.int(0...15)
    let pantauKeys = zip(cols, dirs).map { $0 + ($1 ? " desc" : "") }.joined(separator: ", ")
    let sqlKeys = zip(cols, dirs).map { orderTerm($0, desc: $1) }.joined(separator: ", ")
    // Half the time behind a filter (sort keys built for the passing rows only).
    let (p, sp) = rng.chance(0.5) ? predicate(&rng) : ("true", "1")
    return QueryCase(
      pantau: "t | filter \(p) | sort \(pantauKeys) | take \(n) | select id",
      sql: "SELECT id FROM t WHERE \(sp) ORDER BY \(sqlKeys), id LIMIT \(n)")
  }

  static func rank(_ rng: inout Random) -> QueryCase {
    let keys = rng.chance(0.3) ? [] : rng.subset(["g1", "g2"])
    let col = rng.pick(["x", "y"])
    let desc = rng.chance(0.6)
    let top = rng.chance(0.4) ? rng.int(1...3) : nil
    let by = keys.isEmpty ? "" : " by \(keys.joined(separator: ", "))"
    let part = keys.isEmpty ? "" : "PARTITION BY \(keys.joined(separator: ", ")) "
    // top leaves out the rows whose value is null; rank ranks them last.
    let nonNull = top == nil ? "" : " WHERE \(col) IS NOT NULL"
    let inner =
      "SELECT id, \(keys.map { $0 + ", " }.joined())RANK() OVER (\(part)ORDER BY \(orderTerm(col, desc: desc))) AS r FROM t\(nonNull)"
    let order = (keys.map { orderTerm($0, desc: false) } + ["r", "id"]).joined(separator: ", ")
    let pantau: String
    if let top {
      pantau = "t | top \(top) \(col)\(desc ? "" : " asc")\(by) | select id, rank"
    } else {
      pantau = "t | rank \(col)\(desc ? "" : " asc")\(by) as r | select id, r"
    }
    let filter = top.map { " WHERE r <= \($0)" } ?? ""
    return QueryCase(pantau: pantau, sql: "SELECT id, r FROM (\(inner))\(filter) ORDER BY \(order)")
  }

  static func window(_ rng: inout Random) -> QueryCase {
    let keys = rng.chance(0.2) ? [] : rng.subset(["g1", "g2"])
    let ord = rng.pick(["x", "y", "s"])
    let desc = rng.chance(0.4)
    let part = keys.isEmpty ? "" : "PARTITION BY \(keys.joined(separator: ", ")) "
    let w = "(\(part)ORDER BY \(orderTerm(ord, desc: desc)), id)"
    let wNoId = "(\(part)ORDER BY \(orderTerm(ord, desc: desc)))"
    let lagN = rng.int(1...2)
    let all: [(String, String)] = [
      ("a = lag(x, \(lagN))", "LAG(x, \(lagN)) OVER \(w)"),
      ("b = lead(y)", "LEAD(y) OVER \(w)"),
      (
        "c = cumsum(x)",
        "SUM(x) OVER (\(part)ORDER BY \(orderTerm(ord, desc: desc)), id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
      ),
      ("d = row_number()", "ROW_NUMBER() OVER \(w)"),
      ("e = rank()", "RANK() OVER \(wNoId)"),
      ("f = dense_rank()", "DENSE_RANK() OVER \(wNoId)"),
      ("g = sum(y)", "SUM(y) OVER (\(part.isEmpty ? "" : String(part.dropLast())))"),
      ("h = count(x)", "COUNT(x) OVER (\(part.isEmpty ? "" : String(part.dropLast())))"),
    ]
    let chosen = rng.subset(all)
    let by = keys.isEmpty ? "" : " by \(keys.joined(separator: ", "))"
    let names = chosen.map { String($0.0.prefix(1)) }
    return QueryCase(
      pantau:
        "t | derive \(chosen.map(\.0).joined(separator: ", "))\(by) order \(ord)\(desc ? " desc" : "") | select id, \(names.joined(separator: ", "))",
      sql: "SELECT id, \(chosen.map(\.1).joined(separator: ", ")) FROM t ORDER BY id")
  }

  static func join(_ rng: inout Random) -> QueryCase {
    let left = rng.chance(0.5)
    let form = rng.int(0...2)
    let on = ["g1 == k and g2 == k2", "g1 == k", "g2 == k2"][form]
    let sqlOn = ["t.g1 = u.k AND t.g2 = u.k2", "t.g1 = u.k", "t.g2 = u.k2"][form]
    return QueryCase(
      pantau: "t | join \(left ? "left " : "")u on \(on) | select id, g1, x, k, w",
      sql:
        "SELECT t.id, t.g1, t.x, u.k, u.w FROM t \(left ? "LEFT " : "")JOIN u ON \(sqlOn) ORDER BY t.id, u.rowid"
    )
  }

  static func distinct(_ rng: inout Random) -> QueryCase {
    let cols = rng.subset(["g1", "g2", "s"])
    let list = cols.joined(separator: ", ")
    return QueryCase(
      pantau: "t | distinct \(list)",
      sql: "SELECT \(list) FROM t GROUP BY \(list) ORDER BY MIN(id)")
  }

  static func arithmetic(_ rng: inout Random) -> QueryCase {
    let d = rng.int(1...2)
    return QueryCase(
      pantau:
        "t | derive z = x * 2 + g2 - x % 3, q = y / x, r = round(y * 3, \(d)), c = coalesce(x, g2, 0), a = abs(x) + length(s) | select id, z, q, r, c, a",
      sql:
        "SELECT id, x * 2 + g2 - x % 3, y * 1.0 / x, round(y * 3, \(d)), coalesce(x, g2, 0), abs(x) + length(s) FROM t ORDER BY id"
    )
  }
}
