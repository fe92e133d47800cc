import TestSupport
import Testing

@testable import Columnar

/// A mapped CSV file is refused when the columns estimated from its first rows would not
/// fit the memory limit, not when three times its size would not: a text key repeated
/// over many rows takes 4 bytes a row, a number 8, and the distinct texts are estimated
/// from how often the sample's values repeat.
struct LoadEstimateTests {
  @Test func fieldsReadAsNumbersOrText() {
    for number in ["0", "-12", "+3.5", "1,25", "6.02e23", "1E-7", "007"] {
      #expect(SampledColumn.isNumber(Array(number.utf8)), "\(number)")
    }
    for text in ["id001", "1.2.3", "e5", "-", "12e", "3 4", "1,2,3", "NaN"] {
      #expect(!SampledColumn.isNumber(Array(text.utf8)), "\(text)")
    }
  }

  /// Chao's estimator from a sample: a key of a million values drawn 20,000 times is
  /// taken for about a million over 10^8 rows (not for 10^8); keys seen once each are
  /// taken as unique; a sample of the whole file is exact.
  @Test func distinctTextsAreEstimatedFromRepeats() {
    var random = SplitMix(seed: 3)
    var key = SampledColumn()
    for _ in 0..<20_000 {
      let v = Int(random.next() % 1_000_000)
      key.add(Array(("id" + String(v)).utf8), allText: false)
    }
    let estimate = key.distinctEstimate(sampled: 20_000, fileRows: 1e8)
    #expect(estimate > 5e5 && estimate < 2e6, "\(estimate)")
    var unique = SampledColumn()
    for i in 0..<1000 { unique.add(Array("u\(i)".utf8), allText: false) }
    #expect(unique.distinctEstimate(sampled: 1000, fileRows: 1e6) == 1e6)
    #expect(unique.distinctEstimate(sampled: 1000, fileRows: 1000) == 1000)
    var few = SampledColumn()
    for i in 0..<1000 { few.add(Array("k\(i % 5)".utf8), allText: false) }
    #expect(few.distinctEstimate(sampled: 1000, fileRows: 1e9) == 5)
  }
}
