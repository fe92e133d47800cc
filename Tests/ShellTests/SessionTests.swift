import Columnar
import Foundation
import Testing

@testable import Shell

struct SessionTests {
  @Test func resultsAreSeparatedByOneBlankLine() {
    let (ok, out, err) = execute(makeSession(), "t | take 1\nt | group region")
    #expect(ok)
    #expect(err == "")
    #expect(out == "region,year,score\nKota A,2021,58.4\n\nregion,n\nKab B,2\nKota A,2\n")
  }

  @Test func letKeepsATable() {
    let s = makeSession()
    let (ok, out, _) = execute(s, "let a = t | filter year > 2021\na | group (n = count())")
    #expect(ok)
    #expect(out == "n\n3\n")
    #expect(s.catalog.tableNames.contains("a"))
  }

  @Test func errorsStopTheScriptUnlessKeepGoing() {
    let (ok, out, err) = execute(makeSession(), "t | take 1\nt | filter nope > 1\nt | take 1")
    #expect(!ok)
    #expect(out.split(separator: "\n").count == 2)
    #expect(
      err.contains(
        "error: unknown column \"nope\"\n --> test:2:12\n2 | t | filter nope > 1\n  |            ^^^^ unknown column"
      ))
    let s = makeSession { $0.keepGoing = true }
    let (ok2, out2, _) = execute(s, "t | take 1\nt | filter nope > 1\nt | take 1")
    #expect(!ok2)
    #expect(out2 == "region,year,score\nKota A,2021,58.4\n\nregion,year,score\nKota A,2021,58.4\n")
  }

  @Test func syntaxErrorPositionInAMultiLineScript() {
    let (_, _, err) = execute(makeSession(), "# comment\nt\n  | filter year >\n  | take 2")
    #expect(err.hasPrefix("error: expected an expression, found |\n --> test:4:3\n"))
  }

  @Test func dotCommandsInScripts() {
    let s = makeSession()
    let (ok, out, _) = execute(
      s, ".mode markdown\n.tables\n.schema t\n.set y 2022\nt | filter year == $y | select score")
    #expect(ok)
    #expect(out.contains("| table | rows | columns |\n| --- | --: | --: |\n| t | 4 | 3 |"))
    #expect(out.contains("| t | score | float |"))
    #expect(out.hasSuffix("| score |\n| --: |\n| 63.67 |\n|  |\n"))
  }

  @Test func maxRowsAndWidthInBoxMode() {
    let (_, out, _) = execute(makeSession(), ".mode box\n.maxrows 2\nt")
    #expect(out.contains("… 2 more rows\n4 rows\n"))
  }

  @Test func explainShowsTheOperatorsWithTheirStages() {
    let (ok, out, _) = execute(makeSession(), ".explain t | filter year > 2021 | group region")
    #expect(ok)
    #expect(
      out == """
        operator,stages,columns,rows
        filtered streaming group,filter year > 2021 | group region,"region text, n int",≤ 4
        └─ scan t,t,"region text, year int, score float",4

        """, "\(out)")
    let (_, analyzed, _) = execute(
      makeSession(), ".explain analyze t | filter year > 2021 | group region")
    #expect(analyzed.contains("filtered streaming group,filter year > 2021 | group region,"))
    #expect(analyzed.contains(",≤ 4,2,"), "\(analyzed)")
  }

  @Test func saveWritesAtomicallyAndReadsBack() throws {
    let dir = temporaryFolder()
    let s = makeSession()
    for ext in ["csv", "tsv", "json", "jsonl", "md"] {
      let (ok, out, err) = execute(s, "t | save \"out.\(ext)\"", directory: dir)
      #expect(ok)
      #expect(out == "")
      #expect(err == "saved 4 rows to \(dir)/out.\(ext)\n")
    }
    let (ok, out, _) = execute(
      s, "from \"out.csv\" | append (from \"out.jsonl\") | group region (n = count())",
      directory: dir)
    #expect(ok)
    #expect(out == "region,n\nKab B,4\nKota A,4\n")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
      $0.hasPrefix(".")
    }
    #expect(leftovers.isEmpty)
  }

  @Test func outputAndOnceRedirectResults() throws {
    let dir = temporaryFolder()
    let (ok, out, _) = execute(
      makeSession(),
      ".once one.csv\nt | take 1\nt | take 1\n.output all.csv\nt | take 1\nt | take 2\n.output\nt | take 1",
      directory: dir)
    #expect(ok)
    #expect(out == "region,year,score\nKota A,2021,58.4\n\nregion,year,score\nKota A,2021,58.4\n")
    #expect(
      try String(contentsOfFile: dir + "/one.csv", encoding: .utf8)
        == "region,year,score\nKota A,2021,58.4\n")
    #expect(
      try String(contentsOfFile: dir + "/all.csv", encoding: .utf8).components(separatedBy: "\n\n")
        .count == 2)
  }

  @Test func redirectedResultsTakeTheFilesFormatAndNoColour() throws {
    let dir = temporaryFolder()
    let s = makeSession {
      $0.format = .box; $0.color = true
    }
    let (ok, _, _) = execute(
      s, ".once a.csv\nt | take 2\n.once b.json\nt | take 1\n.maxrows 1\n.once c.txt\nt",
      directory: dir)
    #expect(ok)
    #expect(
      try String(contentsOfFile: dir + "/a.csv", encoding: .utf8)
        == "region,year,score\nKota A,2021,58.4\nKota A,2022,63.67\n")
    #expect(
      try String(contentsOfFile: dir + "/b.json", encoding: .utf8)
        == "[\n  {\"region\":\"Kota A\",\"year\":2021,\"score\":58.4}\n]\n")
    let box = try String(contentsOfFile: dir + "/c.txt", encoding: .utf8)
    #expect(box.contains("│ Kota A │ 2021 │  58.4 │"))
    #expect(!box.contains("\u{1B}"))
    #expect(box.contains("│ Kab B  │ 2023 │  80.0 │") && box.hasSuffix("4 rows\n"))
  }

  @Test func safeModeRefusesEveryWrite() throws {
    let dir = temporaryFolder()
    let s = makeSession {
      $0.safe = true; $0.keepGoing = true
    }
    let (ok, _, err) = execute(
      s, "t | save \"x.csv\"\n.output y.csv\n.once z.csv\nt | take 1", directory: dir)
    #expect(!ok)
    #expect(err.components(separatedBy: "refused in --safe mode").count == 4)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
  }

  @Test func loadNamesTablesByStemAndReadRunsScripts() throws {
    let dir = temporaryFolder()
    try "a,b\n1,2\n".write(toFile: dir + "/my-data 1.csv", atomically: true, encoding: .utf8)
    try "my_data_1 | select b\n".write(toFile: dir + "/q.pantau", atomically: true, encoding: .utf8)
    let s = makeSession()
    let (ok, out, err) = execute(
      s, ".load \"my-data 1.csv\"\n.read q.pantau\n.drop my_data_1", directory: dir)
    #expect(ok, "\(err)")
    #expect(out == "b\n2\n")
    #expect(!s.catalog.tableNames.contains("my_data_1"))
  }

  @Test func unreadableFileIsAnErrorAtTheSource() {
    let (ok, _, err) = execute(makeSession(), "from \"nope.csv\" | take 1")
    #expect(!ok)
    #expect(err.contains("cannot read \"nope.csv\": no such file or directory\n --> test:1:1"))
  }

  @Test func timerReportsOnDiagnostics() {
    let (_, out, err) = execute(makeSession { $0.timer = true }, "t | take 1")
    #expect(!out.contains("time"))
    #expect(err.hasPrefix("time: ") && err.hasSuffix(" s\n"))
  }

  @Test func quitStopsTheScript() {
    let (ok, out, _) = execute(makeSession(), "t | take 1\n.quit\nt | take 1")
    #expect(ok)
    #expect(out.split(separator: "\n").count == 2)
  }
}

struct CommandLineOptionsTests {
  @Test func parsesEveryOption() throws {
    let o = try CommandLineOptions.parse([
      "-c", "a", "--command=b", "-f", "x.pantau", "y.pantau", "--format", "json", "--load",
      "d.csv=dd",
      "--load", "e.csv", "--no-builtin", "--timer", "--keep-going", "--ascii", "--width", "100",
      "--set", "year=2023", "--set", "d=@2024-01-01", "--set", "n=Kota A", "--no-rc", "--safe",
    ])
    #expect(o.commands == ["a", "b"])
    #expect(o.scripts == ["x.pantau", "y.pantau"])
    #expect(o.format == .json)
    #expect(o.loads.map(\.name) == ["dd", nil])
    #expect(o.width == 100)
    #expect(o.parameters.map(\.value) == [.int(2023), .date(19723), .text("Kota A")])
    #expect(o.noBuiltin && o.timer && o.keepGoing && o.ascii && o.noRC && o.safe)
  }

  @Test func scriptsRunInTheOrderWrittenWhetherGivenWithFOrNot() throws {
    let o = try CommandLineOptions.parse([
      "a.pantau", "-f", "b.pantau", "--set", "x=c.pantau", "c.pantau", "--file=d.pantau", "--",
      "-e.pantau",
    ])
    #expect(o.scripts == ["a.pantau", "b.pantau", "c.pantau", "d.pantau", "-e.pantau"])
    #expect(try CommandLineOptions.parse(["-"]).scripts == ["-"])
  }

  @Test func helpAndCompletionScriptsAreMessagesToPrint() throws {
    let help = try CommandLineOptions.parse(["--help"])
    #expect(help.help && help.exitMessage?.contains("--keep-going") == true)
    for shell in ["bash", "zsh", "fish"] {
      let o = try CommandLineOptions.parse(["--generate-completion-script", shell])
      #expect(o.exitMessage?.contains("memory-limit") == true, "\(shell)")
    }
  }

  @Test(arguments: [
    ["--bogus"], ["-c"], ["--format", "xml"], ["--width", "x"], ["--set", "novalue"],
    ["--generate-completion-script", "tcsh"],
  ])
  func rejectsBadUsage(_ args: [String]) {
    #expect(throws: UsageError.self) { try CommandLineOptions.parse(args) }
  }
}

/// `--set` and `.set` type a value as a literal of the language would be, the same way.
struct ParameterValueTests {
  @Test(arguments: [
    ("\"kepatuhan\"", Value.text("kepatuhan")), ("'ipp'", .text("ipp")),
    ("kepatuhan", .text("kepatuhan")), ("Jawa Timur", .text("Jawa Timur")),
    ("1_000", .int(1000)), ("2023", .int(2023)), ("-3", .int(-3)), ("2.5", .float(2.5)),
    ("1e6", .float(1e6)), ("true", .bool(true)), ("false", .bool(false)),
    ("@2024-01-31", .date(CivilDate.parse("2024-01-31") ?? 0)),
    ("2024-01-31", .date(CivilDate.parse("2024-01-31") ?? 0)), ("1e400", .text("1e400")),
    ("\"a\\\"b\"", .text("a\"b")), ("nan", .text("nan")),
  ])
  func typedAsALiteral(_ written: String, _ value: Value) {
    #expect(ParameterValue.parse(written) == value)
  }

  @Test func aQuotedTextParameterMatchesInAFilter() {
    let s = makeSession()
    s.catalog.parameters["who"] = ParameterValue.parse("\"Kota A\"")
    let (ok, out, err) = execute(s, "t | filter region == $who | group (n = count())")
    #expect(ok, "\(err)")
    #expect(out == "n\n2\n")
  }
}

/// `.show` prints every setting; `.maxrows all` and `.width auto` undo a number.
struct SettingsCommandTests {
  @Test func showPrintsEverySettingAndParameter() {
    let s = makeSession()
    let (ok, out, err) = execute(s, ".mode box\n.maxrows 7\n.width 90\n.set y 2022\n.show")
    #expect(ok, "\(err)")
    let lines = out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    let shown = Dictionary(lines.map { ($0[0], $0.dropFirst().joined(separator: " ")) }) { a, _ in a
    }
    #expect(shown["mode"] == "box")
    #expect(shown["maxrows"] == "7")
    #expect(shown["width"] == "90")
    #expect(shown["$y"] == "2022")
    for name in [
      "timer", "chart", "ascii", "color", "output", "safe", "keep-going", "memory-limit",
    ] {
      #expect(shown[name] != nil, "\(name) not shown")
    }
  }

  @Test func maxrowsAllShowsEveryRow() {
    let s = makeSession()
    s.settings.format = .box
    let (ok, out, _) = execute(s, ".maxrows 1\nt\n.maxrows all\nt")
    #expect(ok)
    let parts = out.components(separatedBy: "\n\n")
    #expect(parts.first?.contains("3 more rows") == true)
    #expect(parts.last?.contains("more row") == false)
    #expect(s.settings.maxRows == Int.max)
  }

  @Test func widthAutoReturnsToTheStartingWidth() {
    let s = makeSession()
    s.settings.autoWidth = 77
    let (ok, _, err) = execute(s, ".width 50")
    #expect(ok, "\(err)")
    #expect(s.settings.width == 50 && !s.settings.widthFollowsTerminal)
    _ = execute(s, ".width auto")
    #expect(s.settings.width == 77 && s.settings.widthFollowsTerminal)
    let (bad, _, message) = execute(s, ".width wide")
    #expect(!bad)
    #expect(message.contains("usage: .width N|auto"))
  }
}
