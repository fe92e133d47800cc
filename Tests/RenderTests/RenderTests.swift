import Columnar
import Testing

@testable import Render

struct RenderTests {
  let table = Table([
    ("name", .text(TextColumn(["Kota Mojokerto", "a, \"b\"", nil, ""]))),
    (
      "score",
      .float(TypedColumn([88.26, 0.1, 0, 1e16], validity: Validity([true, true, false, true])))
    ),
    ("n", .int(TypedColumn([1, -20, 3, 4]))),
    ("when", .date(TypedColumn([CivilDate.parse("2024-11-13")!, 0, 0, 0]))),
    ("ok", .bool(TypedColumn([true, false, true, false]))),
  ])

  func render(_ f: OutputFormat, _ o: RenderOptions = RenderOptions()) -> String {
    TableRenderer(format: f, options: o).render(table)
  }

  @Test func csvQuotesOnlyWhenNeededAndKeepsNullEmpty() {
    #expect(
      render(.csv) == #"""
        name,score,n,when,ok
        Kota Mojokerto,88.26,1,2024-11-13,true
        "a, ""b""",0.1,-20,1970-01-01,false
        ,,3,1970-01-01,true
        "",1e+16,4,1970-01-01,false

        """#)
  }

  @Test func tsvEscapesTabsAndNewlines() {
    let t = Table([("x", .text(TextColumn(["a\tb", "c\nd"])))])
    #expect(TableRenderer(format: .tsv).render(t) == "x\na\\tb\nc\\nd\n")
  }

  /// Written as bytes: a value with a line break of any kind is quoted (CSV) or escaped
  /// (TSV), a separator of several bytes or of a float's characters is found, an empty
  /// text is `""` only with a comma; ints to their extremes, floats' special values, a
  /// byte-order mark and a decimal comma; and the bytes are the text's.
  @Test func delimitedBytesQuoteAndEscapeEveryCell() {
    let t = Table([
      ("a;b", .text(TextColumn(["x\r\ny", "", "p;q", "é\"", nil]))),
      ("n", .int(TypedColumn([Int.min, Int.max, 0, -7, 5]))),
      ("f", .float(TypedColumn([-0.0, .nan, -.infinity, 2.5, 1e-7]))),
    ])
    var o = RenderOptions()
    let plain = [
      "a;b,n,f", "\"x\r\ny\",-9223372036854775808,-0.0", #""",9223372036854775807,nan"#,
      "p;q,0,-inf", #""é""",-7,2.5"#, ",5,1e-07",
    ]
    #expect(
      TableRenderer(format: .csv, options: o).render(t) == plain.joined(separator: "\n") + "\n")
    o.write.delimiter = ";"
    o.write.decimalComma = true
    o.write.bom = true
    let semicolons = [
      "\u{FEFF}\"a;b\";n;f", "\"x\r\ny\";-9223372036854775808;-0,0", ";9223372036854775807;nan",
      #""p;q";0;-inf"#, #""é""";-7;2,5"#, ";5;1e-07",
    ]
    #expect(
      TableRenderer(format: .csv, options: o).render(t) == semicolons.joined(separator: "\n") + "\n"
    )
    o = RenderOptions()
    o.write.delimiter = "."
    #expect(TableRenderer(format: .csv, options: o).render(t).contains(#"."2.5"\#n"#))
    o.write.delimiter = "→"
    #expect(TableRenderer(format: .csv, options: o).render(t).hasPrefix("a;b→n→f\n"))
    #expect(
      TableRenderer(format: .tsv).render(t).split(separator: "\n").dropFirst().first
        == "x\\ny\t-9223372036854775808\t-0.0")
    for f in [OutputFormat.csv, .tsv, .json, .markdown] {
      let r = TableRenderer(format: f)
      #expect(r.renderBytes(t) == Array(r.render(t).utf8), "\(f)")
    }
  }

  /// Many rows are written a share per core, each into a buffer of its own: the shares
  /// come back in order, every row once.
  @Test func manyRowsAreWrittenInOrderByEveryCore() {
    let n = 70_001
    let t = Table([
      ("i", .int(TypedColumn(Array(0..<n)))),
      (
        "w",
        .text(
          TextColumn(codes: (0..<n).map { UInt32($0 % 7) }, dictionary: (0..<7).map { "w\($0)" }))
      ),
    ])
    let expected = ["i,w"] + (0..<n).map { "\($0),w\($0 % 7)" }
    #expect(TableRenderer(format: .csv).render(t) == expected.joined(separator: "\n") + "\n")
    let objects = (0..<n).map { "{\"i\":\($0),\"w\":\"w\($0 % 7)\"}" }
    #expect(TableRenderer(format: .jsonl).render(t) == objects.map { $0 + "\n" }.joined())
    #expect(
      TableRenderer(format: .json).render(t)
        == "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n")
  }

  @Test func jsonKeepsColumnOrderAndTypes() {
    #expect(
      render(.json).hasPrefix(
        """
        [
          {"name":"Kota Mojokerto","score":88.26,"n":1,"when":"2024-11-13","ok":true},
          {"name":"a, \\"b\\"","score":0.1,"n":-20,"when":"1970-01-01","ok":false},
          {"name":null,"score":null,"n":3,
        """))
    #expect(TableRenderer(format: .json).render(Table([("x", .int(TypedColumn([])))])) == "[]\n")
    #expect(render(.jsonl).split(separator: "\n").count == 4)
  }

  /// JSON written as bytes: text quoted and escaped (a quote, a backslash, line breaks, a
  /// control character), through the dictionary or a row at a time when the dictionary
  /// is larger than the rows; ints to their extremes; NaN and infinities as null; an
  /// empty table; the same text as lines.
  @Test func jsonBytesEscapeEveryValue() {
    let words = ["a\"b", "c\\d", "e\nf\r", "\u{1}g", "é"]
    let rows = [0, 1, 2, 3, 4, 0]
    let many = TextColumn(codes: [7, 0], dictionary: (0..<10).map { "w\($0)" })
    for text in [TextColumn(codes: rows.map(UInt32.init), dictionary: words), many] {
      let n = text.codes.count
      let t = Table([
        ("t", .text(text)),
        ("i", .int(TypedColumn(Array([Int.min, Int.max, 0, -1, 5, 6].prefix(n))))),
        ("f", .float(TypedColumn(Array([Double.nan, .infinity, -0.0, 1.5, 2, 3].prefix(n))))),
      ])
      let expected = (0..<n).map { r in
        let word = n == 2 ? "w\(r == 0 ? 7 : 0)" : words[rows[r]]
        let i = [Int.min, Int.max, 0, -1, 5, 6][r]
        let f = ["null", "null", "-0.0", "1.5", "2.0", "3.0"][r]
        return "{\"t\":\(JSONRenderer.quote(word)),\"i\":\(i),\"f\":\(f)}"
      }
      #expect(TableRenderer(format: .jsonl).render(t) == expected.map { $0 + "\n" }.joined())
      #expect(
        TableRenderer(format: .json).render(t)
          == "[\n" + expected.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n")
    }
    #expect(JSONRenderer.quote(words[2] + words[3]) == #""e\nf\r\u0001g""#)
    #expect(TableRenderer(format: .jsonl).render(Table([("x", .int(TypedColumn([])))])) == "")
  }

  @Test func markdownRightAlignsNumbers() {
    #expect(
      render(.markdown).hasPrefix(
        """
        | name | score | n | when | ok |
        | --- | --: | --: | --- | --- |
        | Kota Mojokerto | 88.26 | 1 | 2024-11-13 | true |
        """))
  }

  @Test func lineModeOneCellPerLine() {
    let t = Table([("region", .text(TextColumn(["A", "B"]))), ("n", .int(TypedColumn([1, 2])))])
    #expect(
      TableRenderer(format: .line).render(t) == "region = A\n     n = 1\n\nregion = B\n     n = 2\n"
    )
  }

  @Test func boxAlignsNumbersShowsNullAndCountsRows() {
    let out = render(.box, RenderOptions(width: 80, maxRows: 2))
    #expect(
      out == """
        ┌────────────────┬───────┬─────┬────────────┬───────┐
        │ name           │ score │ n   │ when       │ ok    │
        ├────────────────┼───────┼─────┼────────────┼───────┤
        │ Kota Mojokerto │ 88.26 │   1 │ 2024-11-13 │ true  │
        │ a, "b"         │   0.1 │ -20 │ 1970-01-01 │ false │
        └────────────────┴───────┴─────┴────────────┴───────┘
        … 2 more rows
        4 rows

        """)
  }

  @Test func boxNarrowsColumnsToFitTheWidth() {
    let out = render(.box, RenderOptions(width: 40, ascii: true))
    for line in out.split(separator: "\n") { #expect(line.count <= 40) }
    #expect(out.contains("~"))
    #expect(out.hasPrefix("+-"))
  }
}
