import Columnar
import Testing

@testable import Language

struct StageTests {
  @Test func filterKeepsOnlyTrueRows() throws {
    #expect(
      lines(try run("t | filter score > 60 | select region, year")) == [
        "Kota A,2022", "Kab B,2022", "Kab C,2022", "Kota A,2023",
      ])
    #expect(try run("t | filter score == null").rowCount == 1)
    #expect(try run("t | filter score != null").rowCount == 5)
    #expect(try run("t | filter not (score > 60)").rowCount == 1)
  }

  @Test func threeValuedLogic() throws {
    #expect(try run("t | filter score > 60 or ok").rowCount == 5)
    #expect(try run("t | filter score > 60 and ok").rowCount == 3)
    #expect(
      lines(try run("t | select x = score > 70 or ok, y = score > 70 and ok")) == [
        "false,false", "false,false", "true,null", "true,true", "true,true", "true,true",
      ])
  }

  @Test func selectDropDerive() throws {
    let t = try run("t | select year, s = score * 2 | drop year | derive s = s + 1, u = s / 2")
    #expect(t.names == ["s", "u"])
    #expect(lines(t).first == "117.8,58.9")
  }

  @Test func sortIsStableWithNullsLast() throws {
    #expect(
      lines(try run("t | sort score desc | select region, score")) == [
        "Kota A,88.26", "Kab B,80.0", "Kab C,80.0", "Kota A,63.67", "Kota A,58.4", "Kab B,null",
      ])
    #expect(lines(try run("t | sort score | select score")).last == "null")
  }

  @Test func takeAndTop() throws {
    #expect(try run("t | take 2").rowCount == 2)
    #expect(try run("t | take 100").rowCount == 6)
    #expect(try run("t | take 0").rowCount == 0)
    #expect(
      lines(try run("t | top 1 score by year | select year, region, rank")) == [
        "2021,Kota A,1", "2022,Kab B,1", "2022,Kab C,1", "2023,Kota A,1",
      ])
  }

  @Test func groupOrdersByKeysWithEveryAggregate() throws {
    let t = try run(
      """
      t | group region (n = count(), c = count(score), d = count_distinct(year), s = sum(score),
        a = avg(score), lo = min(score), hi = max(score), m = median(score),
        q = quantile(score, 0.5), sd = stddev(score), f = first(year), l = last(year))
      """)
    #expect(
      lines(t) == [
        "Kab B,2,1,2,80.0,80.0,80.0,80.0,80.0,80.0,null,2021,2022",
        "Kab C,1,1,1,80.0,80.0,80.0,80.0,80.0,80.0,null,2022,2022",
        "Kota A,3,3,3,210.33,70.11,58.4,88.26,63.67,63.67,15.937694312540948,2021,2023",
      ])
  }

  @Test func groupAloneCountsAndGroupWithoutKeysGivesOneRow() throws {
    #expect(lines(try run("t | group year")) == ["2021,2", "2022,3", "2023,1"])
    #expect(lines(try run("t | group (n = count(), s = sum(score))")) == ["6,370.33"])
    #expect(
      lines(try run("t | filter year > 3000 | group (n = count(), s = sum(score))")) == ["0,null"])
  }

  @Test func groupOutputsCombineAggregates() throws {
    #expect(
      lines(try run("t | group ok (r = max(year) - min(year), k = upper(first(region)))")) == [
        "false,1,KOTA A", "true,2,KAB B",
      ])
  }

  @Test func nullKeysGroupLast() throws {
    #expect(lines(try run("t | group score (n = count()) | take 1")) == ["58.4,1"])
    #expect(lines(try run("t | group score (n = count())")).last == "null,1")
  }

  @Test func windowFunctions() throws {
    let t = try run(
      """
      t | derive prev = lag(score), nxt = lead(year, 1), rn = row_number(), cs = cumsum(score),
        total = sum(score), fy = first(year), ly = last(score) by region order year
      """)
    #expect(t.names.suffix(7) == ["prev", "nxt", "rn", "cs", "total", "fy", "ly"])
    #expect(
      lines(t).first == "Kota A,2021,58.4,false,null,2022,1,58.4,210.33,2021,88.26")
    #expect(
      lines(try run("t | derive prev = lag(score) by region order year | select prev")) == [
        "null", "58.4", "null", "null", "null", "63.67",
      ])
    let cs = try run("t | derive cs = cumsum(score) by region order year | select region, cs")
    #expect(
      lines(cs) == [
        "Kota A,58.4", "Kota A,122.07", "Kab B,null", "Kab B,80.0", "Kab C,80.0",
        "Kota A,210.32999999999998",
      ])
    let ranks = try run(
      "t | derive r = rank(), d = dense_rank() by year order score desc | select year, r, d")
    #expect(
      lines(ranks) == ["2021,1,1", "2022,3,2", "2021,2,2", "2022,1,1", "2022,1,1", "2023,1,1"])
  }

  @Test func rankStageOrdersRowsAndRanksNullsLast() throws {
    let t = try run("t | rank score | select region, score, rank")
    #expect(
      lines(t) == [
        "Kota A,88.26,1", "Kab B,80.0,2", "Kab C,80.0,2", "Kota A,63.67,4", "Kota A,58.4,5",
        "Kab B,null,6",
      ])
    #expect(try run("t | rank score asc as r").names.last == "r")
  }

  @Test func joins() throws {
    let inner = try run("t | join regions on region == name | select region, type")
    #expect(
      lines(inner) == [
        "Kota A,kota", "Kota A,kota", "Kab B,kabupaten", "Kab B,kabupaten", "Kota A,kota",
      ])
    let left = try run("t | join left regions on region == name")
    #expect(left.rowCount == 6)
    #expect(left.names == ["region", "year", "score", "ok", "name", "type"])
    #expect(lines(left)[4] == "Kab C,2022,80.0,true,null,null")
    let clash = try run("t | join (t | group region (year = max(year))) on region")
    #expect(clash.names == ["region", "year", "score", "ok", "year_right"])
  }

  @Test func distinctAppendPivot() throws {
    #expect(lines(try run("t | distinct region")) == ["Kota A", "Kab B", "Kab C"])
    #expect(try run("t | select region | distinct").rowCount == 3)
    let a = try run("t | select region, year | append (regions | select region = name, type)")
    #expect(a.names == ["region", "year", "type"])
    #expect(a.rowCount == 9)
    #expect(lines(a).last == "Kab D,null,kabupaten")
    let p = try run("t | select region, year, score | pivot year score")
    #expect(p.names == ["region", "2021", "2022", "2023"])
    #expect(
      lines(p) == ["Kab B,null,80.0,null", "Kab C,null,80.0,null", "Kota A,58.4,63.67,88.26"])
    let c = try run("t | select region, year | pivot year region count")
    #expect(lines(c) == ["2,3,1"])
  }

  @Test func describeProfilesEachColumn() throws {
    let d = try run("t | describe")
    #expect(lines(d)[2] == "score,float,5,1,4,58.4,88.26,74.066")
  }

  @Test func parametersAreLiterals() throws {
    #expect(try run("t | filter year == $y").rowCount == 3)
  }

  @Test func scalarFunctions() throws {
    let t = try run(
      """
      t | take 1 | select a = round(2.675, 2), b = round(-2.5), c = substr("Mojokerto", 1, 4),
        d = replace("a-b", "-", "+"), e = coalesce(null, 3), f = if(score > 100, "x", "y"),
        g = length("Daérah"), h = year(@2024-11-13), i = int("42"), j = text(1.5) + "!",
        k = date("2024-02-29"), l = "Kota" ~ "OT", m = 7 % 3, n = 7 / 2, o = 1 / 0, p = abs(-3),
        q = sqrt(-1), r = floor(2.7), s = pow(2, 10), t2 = starts_with("abc", "ab"),
        u = trim("  x "), v = lower("ÀB"), w = year in 2020..2021, x = @2024-01-01 + 31
      """)
    #expect(
      lines(t) == [
        "2.68,-3.0,Mojo,a+b,3,y,6,2024,42,1.5!,2024-02-29,true,1,3.5,null,3,null,2.0,1024.0,true,x,àb,true,2024-02-01"
      ])
  }

  @Test func integerOverflowIsAnErrorNotACrash() {
    #expect(throws: Diagnostic.self) { try run("t | derive x = 9223372036854775807 + year") }
    #expect(throws: Diagnostic.self) { try run("t | derive x = year * 9223372036854775807") }
    #expect(throws: Diagnostic.self) { try run("t | derive x = -(-9223372036854775807 - 1)") }
    #expect(throws: Diagnostic.self) { try run("t | group (s = sum(9223372036854775807))") }
  }
}

/// `top` keeps the best rows; a null value is not among them, though `rank` ranks it last.
struct TopSkipsNullsTests {
  @Test func aGroupOfNullsHasNoTopRows() throws {
    let onlyNull = "t | filter region == \"Kab B\" and year == 2021"
    #expect(try run(onlyNull + " | top 1 score").rowCount == 0)
    #expect(lines(try run(onlyNull + " | rank score | select rank")) == ["1"])
    #expect(
      lines(try run("t | top 1 score asc by region | select region, score, rank"))
        == ["Kab B,80.0,1", "Kab C,80.0,1", "Kota A,58.4,1"])
  }
}
