import Columnar
import Language
import Testing

@testable import Shell

struct CompletionTests {
  let completion: Completion = {
    let session = Session()
    Builtins.load(into: session)
    return Completion(catalog: session.catalog, directory: "/data") { folder in
      folder == "/data"
        ? ["scores.csv", "subdir/", "sales.tsv"] : folder == "/data/subdir" ? ["x.csv"] : []
    }
  }()

  func candidates(_ text: String) -> [String] { completion.complete(text).candidates }

  @Test func tableNamesAtTheStart() {
    #expect(candidates("sc") == ["scores"])
    #expect(candidates("") == ["scores", "awards", "regions", "thresholds", "from", "let"])
    #expect(candidates("from re") == ["regions"])
    #expect(candidates("let x = aw") == ["awards"])
  }

  @Test func stageNamesAfterAPipe() {
    #expect(candidates("scores | fi") == ["filter"])
    #expect(candidates("scores |\n  de") == ["derive", "describe"])
  }

  @Test func columnsOfTheTableFlowingIntoTheStage() {
    #expect(
      candidates("scores | filter reg") == [
        "region_code", "region", "regexp_extract", "regexp_matches", "regexp_replace",
      ])
    #expect(candidates("regions | select na") == ["name"])
    #expect(completion.complete("scores | filter reg").context == .column)
  }

  @Test func columnsMadeEarlierInTheStatement() {
    #expect(
      candidates("scores | derive change = score - lag(score) by region order year | sort cha") == [
        "change"
      ])
    #expect(candidates("scores | group region (best = max(score)) | filter be") == ["best"])
    #expect(candidates("scores | rank score by year as pos | filter po") == ["pos", "pow"])
    #expect(candidates("scores | join regions on region_code == code | select ty") == ["type"])
    #expect(candidates("scores | group region | filter sc").isEmpty)
  }

  @Test func functionsAfterColumnsAndInsideCalls() {
    #expect(candidates("scores | derive x = upp") == ["upper"])
    #expect(candidates("scores | filter contains(reg").prefix(2) == ["region_code", "region"])
    #expect(candidates("scores | group region (x = med") == ["median"])
  }

  @Test func tablesAfterJoinAndInsideNestedPipelines() {
    #expect(candidates("scores | join re") == ["regions"])
    #expect(candidates("scores | join left re") == ["regions"])
    #expect(candidates("scores | join (regions | filter ty") == ["type"])
    #expect(candidates("scores | join regions on region_code == co") == ["code"])
  }

  @Test func continuationLinesAndEarlierStatements() {
    #expect(candidates("regions | take 1\nscores\n  | filter ye") == ["year"])
    #expect(candidates("regions | take 1; sco") == ["scores"])
  }

  @Test func dotCommandsAndTheirArguments() {
    #expect(candidates(".ta") == [".tables"])
    #expect(candidates(".schema re") == ["regions"])
    #expect(candidates(".mode ma") == ["markdown"])
    #expect(candidates(".explain scores | filter ye") == ["year"])
    #expect(candidates(".help gr") == ["group"])
  }

  @Test func filePathsInsideQuotesAndAfterLoad() {
    #expect(candidates("from \"s") == ["sales.tsv", "scores.csv", "subdir/"])
    #expect(candidates(".load \"sub") == ["subdir/"])
    #expect(candidates(".load subdir/") == ["subdir/x.csv"])
    #expect(completion.complete("from \"sc").word == "sc")
  }

  @Test func columnsComeFirstAndOnlyFunctionsAllowedThere() {
    let sort = candidates("regions | sort ")
    #expect(
      Array(sort.prefix(9)) == [
        "code", "name", "type", "province_code", "province", "island", "source", "asc", "desc",
      ])
    let filter = candidates("scores | filter ")
    #expect(!filter.contains("median") && !filter.contains("lag") && filter.contains("lower"))
    #expect(candidates("scores | filter med").isEmpty)
    #expect(candidates("scores | group reg") == ["region_code", "region"])
    #expect(candidates("scores | group region (m = med") == ["median"])
    #expect(candidates("scores | derive d = la") == ["lag", "last"])
    #expect(candidates("scores | hist score b") == ["basis", "bins"])
  }

  @Test func aColumnThatIsNotAPlainNameIsCompletedInBackticks() {
    let session = Session()
    let t = Table([
      ("nama daerah", .text(TextColumn(["a"]))), ("2024", .int(TypedColumn([1]))),
      ("nilai", .int(TypedColumn([1]))),
    ])
    session.catalog.set("t", t)
    let c = Completion(catalog: session.catalog) { _ in [] }
    #expect(c.complete("t | select nam").candidates == ["`nama daerah`"])
    #expect(c.complete("t | select `nama d").candidates == ["`nama daerah`"])
    #expect(c.complete("t | select `ni").candidates == ["`nilai`"])
    #expect(c.complete("t | sort 20").candidates == ["`2024`"])
  }

  @Test func dotArgumentsAreTheCommandsOwn() {
    #expect(candidates(".mode b") == ["box"])
    #expect(candidates(".mode box w") == ["wide"])
    #expect(candidates(".width a") == ["auto"])
    #expect(candidates(".maxrows ") == ["all"])
    #expect(candidates(".thousands o") == ["on", "off"])
    #expect(candidates(".digits f") == ["full"])
    #expect(candidates(".help .mo") == [".mode"])
    #expect(candidates(".read s") == ["sales.tsv", "scores.csv", "subdir/"])
    #expect(!candidates(".mode ").contains("scores"))
  }

  @Test func aFileSourceOffersTheColumnsOfTheFileAStatementReadAndNeverReadsIt() throws {
    let folder = temporaryFolder()
    let path = folder + "/units.csv"
    try "unit,nilai\nA,1\n".write(toFile: path, atomically: true, encoding: .utf8)
    let session = Session()
    func columns() -> [String] {
      var c = Completion(catalog: session.catalog, directory: folder) { _ in [] }
      c.readFile = session.rememberedFiles
      return c.complete("from \"units.csv\" | select ").candidates.filter { !$0.contains("(") }
    }
    #expect(!columns().contains("unit"), "no statement has read the file yet")
    #expect(execute(session, "from \"units.csv\" | take 1", directory: folder).0)
    #expect(Array(columns().prefix(2)) == ["unit", "nilai"])
    // The file changes: completion does not read it again, so it offers nothing.
    try "kode,nama,skor\nB,x,2\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(!columns().contains("unit") && !columns().contains("kode"))
  }

  @Test func theCheckerReadsNoFileWithoutTheSessionsReader() {
    let source = SourceText(name: "t", text: "from \"/nonexistent/x.csv\" | take 1")
    var parser = Parser(source)
    guard case .success(.pipeline(let p))? = parser.nextStatement() else {
      Issue.record("did not parse")
      return
    }
    #expect(throws: Diagnostic.self) {
      try Checker(CheckContext(catalog: Catalog(), directory: ".")).check(p)
    }
  }
}
