import Testing

@testable import Language

struct CheckerTests {
  @Test func unknownColumnSuggestsTheClosest() {
    let d = diagnostic("t | filter 1️⃣scroe > 80")
    #expect(d?.message == "unknown column \"scroe\"")
    #expect(d?.hints.first == "did you mean \"score\"?")
  }

  @Test func unknownTableAndFunctionAndStage() {
    #expect(diagnostic("1️⃣tt | take 1")?.hints.first == "did you mean \"t\"?")
    #expect(diagnostic("t | derive x = 1️⃣uper(region)")?.message == "unknown function \"uper\"")
    #expect(diagnostic("t | 1️⃣fliter year > 1")?.hints.first == "did you mean \"filter\"?")
  }

  @Test func typeMismatchPointsAtTheExpression() {
    #expect(diagnostic("t | filter 1️⃣region > 3")?.message == "cannot combine text and int with >")
    #expect(diagnostic("t | derive x = 1️⃣region * 2")?.message == "* needs a number, found text")
    #expect(diagnostic("t | filter 1️⃣year")?.message.hasPrefix("filter needs a true/false") == true)
  }

  @Test func aggregatesOnlyInGroupAndDerive() {
    #expect(diagnostic("t | filter 1️⃣sum(score) > 3")?.message.contains("aggregate") == true)
    #expect(diagnostic("t | group region (x = 1️⃣lag(score))")?.message.contains("window") == true)
    #expect(
      diagnostic("t | group region (x = 1️⃣score)")?.message.contains("neither a group key") == true)
  }

  @Test func argumentCountsAndTypes() {
    #expect(diagnostic("t | derive x = 1️⃣round()")?.hints == ["usage: round(x[, digits])"])
    #expect(
      diagnostic("t | derive x = lower(1️⃣year)")?.message == "lower expects text here, found int")
    #expect(
      diagnostic("t | group (q = quantile(score, 1️⃣2))")?.message.contains("from 0 to 1") == true)
  }

  @Test func takeAndParameters() {
    #expect(diagnostic("t | take 1️⃣-1")?.message.contains("negative") == true)
    #expect(diagnostic("t | filter year == 1️⃣$nope")?.message == "parameter $nope is not set")
  }

  @Test func syntaxErrorsSayWhatWasExpected() {
    #expect(
      diagnostic("t | filter year >1️⃣")?.message
        == "expected an expression, found the end of the statement")
    #expect(
      diagnostic("t | select year +1️⃣")?.message
        == "expected an expression, found the end of the statement")
    #expect(diagnostic("t | filter region == 1️⃣\"open")?.message == "unterminated string")
  }

  @Test func joinKeysMustExistAndMatchTypes() {
    #expect(diagnostic("t | join regions on 1️⃣nam == name")?.message == "unknown column \"nam\"")
    #expect(
      diagnostic("t | join regions on 1️⃣year == name")?.message.contains("different types") == true)
  }
}
