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
