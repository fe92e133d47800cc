import Foundation
import Testing

@testable import Shell

/// The statistical aggregates and the distribution windows, against DuckDB on the same
/// random table (nulls, a group with a constant x, one-row groups), with SQL's meanings.
struct StatisticsTests {
  /// Rows: i, g, y (float, some null), x (int, some null), t (text, some null).
  func table() -> String {
    var rng = SystemRandomNumberGenerator()
    var lines = ["i,g,y,x,t"]
    for i in 0..<600 {
      let g = ["a", "b", "c", "d", "e"][Int.random(in: 0..<5, using: &rng)]
      let lone = i == 599 ? "f" : g
      let y =
        Int.random(in: 0..<9, using: &rng) == 0
        ? "" : String(Double.random(in: -50...50, using: &rng))
      let x =
        Int.random(in: 0..<9, using: &rng) == 0
        ? "" : (lone == "e" ? "7" : String(Int.random(in: 0..<20, using: &rng)))
      let t =
        Int.random(in: 0..<5, using: &rng) == 0 ? "" : "w\(Int.random(in: 0..<4, using: &rng))"
      lines.append("\(i),\(lone),\(y),\(x),\(t)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Cells equal as text, or as numbers within a relative 1e-9.
  func same(_ a: String, _ b: String) -> Bool {
    let x = a.split(separator: "\n", omittingEmptySubsequences: false)
    let y = b.split(separator: "\n", omittingEmptySubsequences: false)
    guard x.count == y.count else { return false }
    for (l, r) in zip(x, y) {
      let u = l.split(separator: ",", omittingEmptySubsequences: false)
      let v = r.split(separator: ",", omittingEmptySubsequences: false)
      guard u.count == v.count else { return false }
      for (p, q) in zip(u, v) where p != q {
        guard let d = Double(p), let e = Double(q) else { return false }
        if abs(d - e) > 1e-9 * max(1, abs(d), abs(e)) { return false }
      }
    }
    return true
  }

  @Test(.enabled(if: hasDuckDB(), "needs python3 with duckdb (pip install duckdb)"))
  func aggregatesAndWindowsAgreeWithDuckDB() throws {
    let dir = temporaryFolder()
    try table().write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
    let pantau = """
      .load "d.csv" as d
      d | group g (c = corr(y, x), cs = covar_samp(y, x), cp = covar_pop(y, x), s = regr_slope(y, x), i = regr_intercept(y, x), r2 = regr_r2(y, x), v = var(y), m = mode(x), sa = string_agg(t, ";"))
      d | derive n = ntile(3) by g order x, i | derive pr = percent_rank(), cd = cume_dist() by g order x | derive c = corr(y, x), sa = string_agg(t, \";\") by g order i | select i, n, pr, cd, c, sa | sort i
      """
    let s = makeSession()
    let (ok, out, err) = execute(s, pantau, directory: dir)
    #expect(ok, "\(err)")
    let script = """
      import duckdb, math, sys
      con = duckdb.connect()
      con.sql("create table d as select * from read_csv('d.csv', header=true, types={'t': 'VARCHAR'})")
      def text(v):
          if v is None or (isinstance(v, float) and math.isnan(v)): return ""
          return repr(v) if isinstance(v, float) else str(v)
      def show(q):
          rel = con.sql(q)
          print(",".join(rel.columns))
          for row in rel.fetchall(): print(",".join(text(v) for v in row))
      show('''with c as (select g, x, count(*) k from d where x is not null group by g, x),
        m as (select g, min(x) m from c where k = (select max(k) from c c2 where c2.g = c.g) group by g)
        select d.g, corr(y, x) c, covar_samp(y, x) cs, covar_pop(y, x) cp, regr_slope(y, x) s,
          regr_intercept(y, x) i, regr_r2(y, x) r2, var_samp(y) v, any_value(m.m) m,
          string_agg(t, ';' order by i) sa
        from d left join m using (g) group by d.g order by d.g''')
      print()
      show('''select i, ntile(3) over (partition by g order by x nulls last, i) n,
          percent_rank() over (partition by g order by x nulls last) pr,
          cume_dist() over (partition by g order by x nulls last) cd,
          corr(y, x) over (partition by g) c,
          string_agg(t, ';' order by i) over (partition by g) sa
        from d order by i''')
      """
    try script.write(toFile: dir + "/q.py", atomically: true, encoding: .utf8)
    let (status, duck, perr) = try runProcess("/usr/bin/env", ["python3", "q.py"], directory: dir)
    #expect(status == 0, "\(perr)")
    let mine = out.components(separatedBy: "\n\n")
    let theirs = duck.components(separatedBy: "\n\n")
    #expect(mine.count == 2 && theirs.count == 2)
    for (a, b) in zip(mine, theirs) {
      let sa = a.trimmingCharacters(in: .newlines)
      let sb = b.trimmingCharacters(in: .newlines)
      #expect(same(sa, sb), "pantau:\n\(sa.prefix(1500))\nduckdb:\n\(sb.prefix(1500))")
    }
  }

  @Test func edgeCasesFollowSQL() throws {
    let s = makeSession()
    let (ok, out, err) = execute(
      s,
      "t | group region (c = corr(score, year), r2 = regr_r2(year, score), v = var(score), "
        + "cp = covar_pop(score, year), m = mode(year), sa = string_agg(year, \" / \"))\n"
        + "t | derive n = ntile(3), pr = percent_rank(), cd = cume_dist() by region order year "
        + "| select region, year, n, pr, cd")
    #expect(ok, "\(err)")
    // Kab B: one known score (corr and var need two), Kota A: a line through two points.
    #expect(
      out.hasPrefix(
        "region,c,r2,v,cp,m,sa\nKab B,,,,0.0,2022,2022 / 2023\n"
          + "Kota A,1.0,1.0,13.886450000000016,1.3175000000000008,2021,2021 / 2022\n"))
    #expect(
      out.hasSuffix(
        "region,year,n,pr,cd\nKota A,2021,1,0.0,0.5\nKota A,2022,2,1.0,1.0\n"
          + "Kab B,2022,1,0.0,0.5\nKab B,2023,2,1.0,1.0\n"))
    let (bad, _, err2) = execute(
      s, "t | group (c = corr(score))\nt | group (x = string_agg(region, year))")
    #expect(!bad && err2.contains("corr(y, x)"))
  }

  @Test func topKeepsTiesOrExactlyNRows() throws {
    let s = makeSession()
    let (ok, out, err) = execute(
      s,
      "t | derive one = 1 | top 1 one | select region, year\n"
        + "t | derive one = 1 | top 1 one no ties | select region, year\n"
        + "t | derive one = 1 | top 1 one by region no ties | select region, year\n"
        + "t | derive one = 1 | top 3 one desc with ties | group (n = count())")
    #expect(ok, "\(err)")
    let parts = out.components(separatedBy: "\n\n")
    #expect(parts.count == 4)
    #expect(parts[0].split(separator: "\n").count == 5, "ties kept: all four rows")
    #expect(parts[1] == "region,year\nKota A,2021")
    #expect(parts[2] == "region,year\nKab B,2022\nKota A,2021")
    #expect(parts[3] == "n\n4\n")
    let (bad, _, err2) = execute(s, "t | top 1 score no year")
    #expect(!bad && err2.contains("ties after no or with"))
  }

  /// The group stage streams the paired aggregates in one pass and scatters the values of
  /// median, stddev, var and quantile into their groups; a window computes them all from
  /// each partition's member list. In the same row order they must give the same bits.
  @Test func streamedAndMemberPathsGiveTheSameBits() throws {
    let dir = temporaryFolder()
    try table().write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
    let s = makeSession()
    let aggregates = [
      "corr", "covar_samp", "covar_pop", "regr_slope", "regr_intercept", "regr_r2", "median",
      "stddev", "var", "quantile",
    ]
    let calls = aggregates.map {
      $0 == "quantile"
        ? "quantile = quantile(x, 0.3)"
        : ["median", "stddev", "var"].contains($0) ? "\($0) = \($0)(y)" : "\($0) = \($0)(y, x)"
    }.joined(separator: ", ")
    let (ok, out, err) = execute(
      s,
      ".load \"d.csv\" as d\nd | group g (\(calls))\n"
        + "d | derive \(calls) by g | distinct g, \(aggregates.joined(separator: ", ")) | sort g",
      directory: dir)
    #expect(ok, "\(err)")
    let parts = out.components(separatedBy: "\n\n")
    #expect(parts.count == 2 && parts[0] + "\n" == parts[1], "\(out)")
  }

  /// avg of ints: kept as int sums when no partial sum can reach 2^53, else as floats; the
  /// window's member path gives the same bits either way.
  @Test func intMeansGiveTheBitsOfTheFloatPath() throws {
    let dir = temporaryFolder()
    var rng = SystemRandomNumberGenerator()
    for (name, bound) in [("small", 1000), ("huge", 1 << 60)] {
      var text = "g,v\n"
      for _ in 0..<3000 {
        let v = Int.random(in: -bound...bound, using: &rng)
        text +=
          "g\(Int.random(in: 0..<7, using: &rng)),\(Int.random(in: 0..<10, using: &rng) == 0 ? "" : String(v))\n"
      }
      try text.write(toFile: dir + "/\(name).csv", atomically: true, encoding: .utf8)
      let s = makeSession()
      let (ok, out, err) = execute(
        s,
        ".load \"\(name).csv\" as d\nd | group g (m = avg(v))\nd | derive m = avg(v) by g | distinct g, m | sort g",
        directory: dir)
      #expect(ok, "\(err)")
      let parts = out.components(separatedBy: "\n\n")
      #expect(parts.count == 2 && parts[0] + "\n" == parts[1], "\(name): \(out)")
    }
  }

  /// `top N … no ties` streams for small N; it must keep exactly the rows, ranks and order
  /// that ranking each partition and keeping its first N by row_number gives.
  @Test func streamedTopAgreesWithRankAndRowNumber() throws {
    let dir = temporaryFolder()
    var rng = SystemRandomNumberGenerator()
    var text = "g,v,w\n"
    for _ in 0..<4000 {
      let g = Int.random(in: 0..<Int.random(in: 1...300, using: &rng), using: &rng)
      text +=
        "\(g),\(Int.random(in: 0..<40, using: &rng)),\(Double.random(in: 0..<1, using: &rng))\n"
    }
    try text.write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
    let s = makeSession()
    for (n, dir2) in [(1, "desc"), (2, "desc"), (3, "asc"), (16, "desc"), (40, "asc")] {
      let (ok, out, err) = execute(
        s,
        ".load \"d.csv\" as d\nd | top \(n) v \(dir2) by g no ties | select g, v, w, rank\n"
          + "d | rank v \(dir2) by g | derive rn = row_number() by g order rank | "
          + "filter rn <= \(n) | select g, v, w, rank\nd | top \(n) v \(dir2) no ties\n"
          + "d | rank v \(dir2) | filter rank <= \(n) | take \(n)",
        directory: dir)
      #expect(ok, "\(err)")
      let parts = out.components(separatedBy: "\n\n").map {
        $0.trimmingCharacters(in: .newlines)
      }
      #expect(parts.count == 4)
      #expect(parts[0] == parts[1], "top \(n) \(dir2) by g")
      #expect(parts[2] == parts[3], "top \(n) \(dir2)")
    }
  }
}
