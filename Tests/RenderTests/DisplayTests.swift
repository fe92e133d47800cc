import Columnar
import Foundation
import Testing

@testable import Render

/// What a person sees: rounded floats, escaped control characters, terminal widths, and box
/// tables that fit the terminal without ever cutting a number.
struct DisplayTests {
  @Test func floatsAreRoundedToSixSignificantDigitsForDisplay() {
    #expect(DisplayText.rounded(52.166666666666664, digits: 6) == "52.1667")
    #expect(DisplayText.rounded(0.1 + 0.2, digits: 6) == "0.3")
    #expect(DisplayText.rounded(0.00006, digits: 6) == "6e-05")
    #expect(DisplayText.rounded(0.000123456789, digits: 6) == "0.000123457")
    #expect(DisplayText.rounded(1234567.8, digits: 6) == "1234568.0")
    #expect(DisplayText.rounded(-94.0149, digits: 4) == "-94.01")
    #expect(DisplayText.rounded(1.23456789e20, digits: 6) == "1.23457e+20")
    #expect(DisplayText.rounded(9.9999999e-7, digits: 3) == "1e-06")
    #expect(DisplayText.rounded(-1.5e-300, digits: 6) == "-1.5e-300")
    #expect(DisplayText.rounded(.infinity, digits: 6) == "inf")
    #expect(DisplayText.rounded(0, digits: 6) == "0.0")
  }

  @Test func digitsZeroKeepsTheExactFormAndThousandsGroupTheIntegerPart() {
    let exact = RenderOptions(digits: 0)
    #expect(DisplayText.cell(.float(52.166666666666664), exact) == "52.166666666666664")
    let grouped = RenderOptions(thousands: true)
    #expect(DisplayText.cell(.int(-1_234_567), grouped) == "-1,234,567")
    #expect(
      DisplayText.cell(.float(1234567.25), RenderOptions(digits: 9, thousands: true))
        == "1,234,567.25")
    #expect(DisplayText.cell(.int(999), grouped) == "999")
    #expect(DisplayText.cell(.null, grouped) == nil)
  }

  @Test func controlCharactersAreShownEscaped() {
    #expect(DisplayText.escaped("a\tb\rc\u{1B}[31md") == "a\\tb\\rc\\x1b[31md")
    #expect(DisplayText.escaped("line\nnext") == "line↵next")
    #expect(DisplayText.escaped("\u{7F}\u{85}\u{2028}") == "\\x7f\\x85\\u2028")
    #expect(DisplayText.escaped("Kota Mojokerto é 東京") == "Kota Mojokerto é 東京")
  }

  @Test func widthCountsTerminalCells() {
    #expect(DisplayText.width("abc") == 3)
    #expect(DisplayText.width("東京") == 4)
    #expect(DisplayText.width("👍") == 2)
    #expect(DisplayText.width("e\u{301}") == 1)
    #expect(DisplayText.clip("東京都庁", 5, ellipsis: "…") == "東京…")
    #expect(DisplayText.width(DisplayText.clip("東京都庁", 5, ellipsis: "…")) <= 5)
    #expect(DisplayText.clip("short", 10, ellipsis: "…") == "short")
  }

  /// A table of mixed columns as wide as a pivot: 3 text, many numbers.
  private func wideTable(columns: Int) -> Table {
    var cs: [(String, Column)] = [
      ("region", .text(TextColumn(["Kabupaten Banyuwangi", "Kota Surabaya", "東京 Tokyo"]))),
      ("code", .int(TypedColumn([3510, 3578, 13]))),
    ]
    for k in 0..<columns {
      cs.append(("score_\(2015 + k)", .float(TypedColumn([94.0149 + Double(k), 1234567.5, -0.5]))))
    }
    cs.append(
      ("note", .text(TextColumn(["a\tb", "long note " + String(repeating: "x", count: 60), nil]))))
    return Table(cs)
  }

  @Test(arguments: [40, 60, 80, 120])
  func boxNeverExceedsTheWidthNorCutsANumber(width: Int) {
    for n in [0, 2, 6, 40] {
      let t = wideTable(columns: n)
      let out = TableRenderer(format: .box, options: RenderOptions(width: width)).render(t)
      let lines = out.split(separator: "\n").map(String.init)
      for line in lines {
        #expect(DisplayText.width(line) <= width, "\(n) columns at \(width): \(line)")
      }
      #expect(!out.contains("\t") && !out.contains("\u{1B}"))
      // Every number drawn is drawn whole: a cell is either a whole number or not a number.
      for number in ["3510", "3578", "94.0149", "1234568.0", "-0.5"]
      where out.contains(number.prefix(3)) {
        let cut = out.contains(number.prefix(3) + "…")
        #expect(!cut, "\(number) cut at \(width)")
      }
      let shown = lines[1].split(separator: "│").filter {
        !$0.trimmingCharacters(in: .whitespaces).isEmpty
      }
      let total = t.columns.count
      if out.contains("columns (") {
        #expect(lines.last == "3 rows, \(total) columns (\(shown.count - 1) shown)")
        #expect(lines[1].contains("│ … │"))
      } else {
        #expect(shown.count == total)
        #expect(lines.last == "3 rows")
      }
    }
  }

  @Test func boxElidesMiddleColumnsLikeDuckbox() {
    let out = TableRenderer(format: .box, options: RenderOptions(width: 60)).render(
      wideTable(columns: 6))
    #expect(
      out == """
        ┌────────────────┬──────┬───┬────────────┬─────────────────┐
        │ region         │ code │ … │ score_2020 │ note            │
        ├────────────────┼──────┼───┼────────────┼─────────────────┤
        │ Kabupaten Ban… │ 3510 │ … │    99.0149 │ a\\tb            │
        │ Kota Surabaya  │ 3578 │ … │  1234568.0 │ long note xxxx… │
        │ 東京 Tokyo     │   13 │ … │       -0.5 │ null            │
        └────────────────┴──────┴───┴────────────┴─────────────────┘
        3 rows, 9 columns (4 shown)

        """)
  }

  @Test func wideBoxKeepsEveryCellWhole() {
    let out = TableRenderer(format: .box, options: RenderOptions(width: 40, wide: true))
      .render(wideTable(columns: 6))
    #expect(out.contains("long note " + String(repeating: "x", count: 60)))
    #expect(out.contains("score_2015") && out.contains("score_2020"))
    #expect(!out.contains("shown"))
  }

  @Test func lineAndMarkdownRoundAndEscapeToo() {
    let t = Table([
      ("v", .float(TypedColumn([52.166666666666664]))), ("s", .text(TextColumn(["a\tb"]))),
    ])
    #expect(TableRenderer(format: .line).render(t) == "v = 52.1667\ns = a\\tb\n")
    #expect(TableRenderer(format: .markdown).render(t).contains("| 52.1667 | a\\tb |"))
    #expect(TableRenderer(format: .csv).render(t) == "v,s\n52.166666666666664,a\tb\n")
  }

  /// Pictures of a narrow and a wide table at 40, 60, 80 and 120 columns, in Unicode and
  /// ASCII, compared with recorded ones (`RECORD_GOLDENS=1` re-records).
  @Test(arguments: [40, 60, 80, 120])
  func boxMatchesItsRecording(width: Int) throws {
    let narrow = Table([
      ("region", .text(TextColumn(["Kota Mojokerto", "Kabupaten Banyuwangi", nil]))),
      ("year", .int(TypedColumn([2022, 2023, 2024]))),
      ("score", .float(TypedColumn([94.01, 52.166666666666664, 1234567.891]))),
    ])
    var picture = ""
    for ascii in [false, true] {
      for (name, t) in [("narrow", narrow), ("wide", wideTable(columns: 12))] {
        let o = RenderOptions(width: width, ascii: ascii)
        picture += "== \(name) \(ascii ? "ascii" : "unicode")\n"
        picture += TableRenderer(format: .box, options: o).render(t)
      }
    }
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast()
    let file = parts.joined(separator: "/") + "/Goldens/box-\(width).txt"
    if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
      try picture.write(toFile: file, atomically: true, encoding: .utf8)
      Issue.record("re-recorded \(file)")
      return
    }
    #expect(picture == (try String(contentsOfFile: file, encoding: .utf8)))
  }
}
