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
    #expect(candidates("scores | filter reg") == ["region_code", "region"])
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
    #expect(candidates("scores | filter contains(reg") == ["region_code", "region"])
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
}
