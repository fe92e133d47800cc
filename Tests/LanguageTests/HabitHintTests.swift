import Testing

@testable import Language

/// Habits from SQL, PRQL, dplyr and pandas get the pantau spelling as a hint, at the place
/// where the habit stands.
struct HabitHintTests {
  @Test(arguments: [
    ("t | 1️⃣where year == 2022", "pantau calls this filter: filter year == 2023"),
    ("t | 1️⃣limit 3", "pantau calls this take: take 10"),
    ("t | 1️⃣head 3", "pantau calls this take: take 10"),
    ("t | 1️⃣order by year", "pantau calls this sort: sort score desc, region"),
    (
      "t | 1️⃣mutate x = 1",
      "pantau calls this derive: " + "derive change = score - lag(score) by region order year"
    ),
    (
      "t | 1️⃣summarize n = count()",
      "pantau calls this group: group year (n = count(), avg = avg(score))"
    ),
  ])
  func stageNamesFromOtherLanguages(_ marked: String, _ hint: String) {
    let d = diagnostic(marked)
    #expect(d?.message.hasPrefix("unknown stage") == true)
    #expect(d?.hints.first == hint)
  }

  @Test func singleEqualsIsAComparisonHabit() {
    let d = diagnostic("t | filter year 1️⃣= 2022")
    #expect(d?.hints.first?.hasPrefix("to compare, write ==") == true)
  }

  @Test func logicalOperatorsFromC() {
    #expect(
      diagnostic("t | filter year == 2022 1️⃣&& score > 1")?.hints.first
        == "write and for logical and: year == 2023 and score > 80")
    #expect(
      diagnostic("t | filter year == 2022 |1️⃣| year == 2021")?.hints.first
        == "|| is not an operator: write or (year == 2022 or year == 2023)")
  }

  @Test func isNull() {
    #expect(
      diagnostic("t | filter score 1️⃣is null")?.hints.first
        == "test for null with == null or != null")
  }

  @Test func aTypoStillGetsTheClosestStage() {
    #expect(diagnostic("t | 1️⃣fliter year > 1")?.hints.first == "did you mean \"filter\"?")
  }
}
