import Columnar
import Testing

@testable import Language

/// `like`/`ilike`, the regexp functions, `case when`, `nulls first` and negative
/// `split_part`, each answer checked against what DuckDB 2.0 gives for the same input.
struct TextPatternTests {
  func value(_ expr: String) throws -> String {
    let t = try run("t | take 1 | select v = \(expr)")
    return try #require(lines(t).first)
  }

  @Test func likeAndIlikeAsSQLHasThem() throws {
    // DuckDB: 'abc' like 'a_c', 'abc' like 'a_', 'ABC' ilike 'a%', 'a%b' like 'a%b',
    // '' like '%', 'Kota' like 'kota', 'xaaab' like 'x%a%b', 'ab' like '%%'
    let cases: [(String, String)] = [
      (#""abc" like "a_c""#, "true"), (#""abc" like "a_""#, "false"),
      (#""ABC" ilike "a%""#, "true"), (#""a%b" like "a%b""#, "true"),
      (#""" like "%""#, "true"), (#""Kota" like "kota""#, "false"),
      (#""xaaab" like "x%a%b""#, "true"), (#""ab" like "%%""#, "true"),
      (#""Kota" not like "K%""#, "false"), (#"null like "%""#, "null"),
    ]
    for (expr, expected) in cases { #expect(try value(expr) == expected, "\(expr)") }
    let kota = try run(#"t | filter region like "Kota%" and region not ilike "%b""#)
    #expect(lines(kota).count == 3)
  }

  @Test func regexpFunctionsAsDuckDBHasThem() throws {
    let cases: [(String, String)] = [
      (#"regexp_extract("Kota Malang", "Kota (\\w+)", 1)"#, "Malang"),
      (#"regexp_extract("x", "y")"#, ""),
      (#"regexp_replace("banana", "a", "o")"#, "bonana"),
      (#"regexp_replace("banana", "a", "o", "g")"#, "bonono"),
      (#"regexp_replace("banana", "(an)", "<\\1>", "g")"#, "b<an><an>a"),
      (#"regexp_matches("Kota", "kota", "i")"#, "true"),
      (#"regexp_matches("Kota", "ot")"#, "true"),
      (#"regexp_matches("Kota", "^ot")"#, "false"),
    ]
    for (expr, expected) in cases { #expect(try value(expr) == expected, "\(expr)") }
  }

  @Test func aPatternThatIsNotARegularExpressionIsAnErrorAtThePattern() {
    let d = diagnostic(#"t | filter regexp_matches(region, 1️⃣"Kota (")"#)
    #expect(d?.message.hasPrefix("not a regular expression") == true)
    #expect(throws: Diagnostic.self) {
      try run(#"t | derive p = "[" | filter regexp_matches(region, p)"#)
    }
  }

  @Test func splitPartCountsFromTheEndWhenNegative() throws {
    // DuckDB: split_part('a,b,c', ',', n) for n = -1, -3, -4, 0, 4 gives c, a, '', '', ''.
    for (n, expected) in [(-1, "c"), (-3, "a"), (-4, ""), (0, ""), (4, ""), (1, "a")] {
      #expect(try value(#"split_part("a,b,c", ",", \#(n))"#) == expected, "\(n)")
    }
    #expect(try value(#"split_part("a,b,c", ",", -9223372036854775807)"#) == "")
  }

  @Test func caseWhenTakesTheFirstTrueBranch() throws {
    let t = try run(
      #"t | select score, c = case when score > 80 then "high" when score > 60 then "mid" end"#)
    #expect(
      lines(t) == ["58.4,null", "63.67,mid", "null,null", "80.0,mid", "80.0,mid", "88.26,high"])
    let simple = try run(
      #"t | select k = case year when 2021 then "a" when 2022 then "b" else "c" end"#)
    #expect(lines(simple) == ["a", "b", "a", "b", "b", "c"])
    let d = diagnostic(#"t | select x = case when 1️⃣year then 1 end"#)
    #expect(d?.message == "when expects a bool condition here, found int")
    #expect(diagnostic(#"t | select x = case when true then 1 1️⃣end2"#) != nil)
  }

  @Test func nullsFirstOrLastInSort() throws {
    let first = try run("t | sort score desc nulls first | select score")
    #expect(lines(first) == ["null", "88.26", "80.0", "80.0", "63.67", "58.4"])
    let last = try run("t | sort score nulls last | take 2 | select score")
    #expect(lines(last) == ["58.4", "63.67"])
    let top = try run("t | sort score nulls first, year desc | take 2 | select score, year")
    #expect(lines(top) == ["null,2021", "58.4,2021"])
    // The bounded-heap top-k and the filtered top-k (30 rows, k = 3) agree with a full sort.
    let many = "t | append t | append t | append t | append t"
    for keys in [
      "score nulls first", "score desc nulls first", "score nulls last", "year, score nulls first",
    ] {
      let full = try run("\(many) | sort \(keys) | select score, year")
      let best = try run("\(many) | sort \(keys) | take 3 | select score, year")
      let filtered = try run(
        "\(many) | filter year > 0 | sort \(keys) | take 3 | select score, year")
      #expect(lines(best) == Array(lines(full).prefix(3)), "\(keys)")
      #expect(lines(filtered) == Array(lines(full).prefix(3)), "\(keys)")
    }
  }
}
