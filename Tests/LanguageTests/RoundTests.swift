import Foundation
import TestSupport
import Testing

@testable import Columnar
@testable import Language

/// `round(x, digits)` rounds the number as written (its shortest decimal form) half away
/// from zero, at every magnitude, exponent forms included.
struct RoundTests {
  /// The same rule through Foundation's decimal arithmetic: the shortest form read as a
  /// decimal, rounded with `.plain` (halves away from zero).
  func expected(_ x: Double, _ digits: Int) -> Double {
    var value = Decimal(string: String(x)) ?? 0
    var result = Decimal()
    NSDecimalRound(&result, &value, digits, .plain)
    return Double(truncating: result as NSNumber)
  }

  @Test func knownCases() {
    #expect(ScalarFunction.roundHalfAway(0.00006, digits: 4) == 0.0001)
    #expect(ScalarFunction.roundHalfAway(0.000056, digits: 5) == 0.00006)
    #expect(ScalarFunction.roundHalfAway(2.675, digits: 2) == 2.68)
    #expect(ScalarFunction.roundHalfAway(-0.00015, digits: 4) == -0.0002)
    #expect(ScalarFunction.roundHalfAway(1.23e-7, digits: 8) == 1.2e-7)
    #expect(ScalarFunction.roundHalfAway(1e20, digits: 2) == 1e20)
    #expect(ScalarFunction.roundHalfAway(0.4, digits: 0) == 0)
  }

  @Test func positionalFormHasNoExponent() {
    #expect(ScalarFunction.positional("6e-05") == "0.00006")
    #expect(ScalarFunction.positional("1.25e-07") == "0.000000125")
    #expect(ScalarFunction.positional("1.5e+20") == "150000000000000000000")
    #expect(ScalarFunction.positional("88.26") == "88.26")
  }

  @Test func aSweepOverMagnitudesAgreesWithDecimalRounding() {
    var rng = SplitMix(seed: 20_261_202)
    var checked = 0
    for exponent in -12...12 {
      for _ in 0..<200 {
        let digitsOfX = Int.random(in: 1...9, using: &rng)
        let mantissa = Int.random(in: 1..<Int(pow(10.0, Double(digitsOfX))), using: &rng)
        let x = Double("\(mantissa)e\(exponent - digitsOfX)") ?? 0
        let signed = Bool.random(using: &rng) ? x : -x
        let digits = Int.random(in: -3...14, using: &rng)
        let ours = ScalarFunction.roundHalfAway(signed, digits: digits)
        let theirs = expected(signed, digits)
        #expect(
          ours == theirs || abs(ours - theirs) <= abs(theirs) * 1e-15,
          "round(\(signed), \(digits)): \(ours) vs \(theirs)")
        checked += 1
      }
    }
    #expect(checked == 25 * 200)
  }

  /// Rounding to a whole number, down (floor) and up (ceil) through an integer give the C
  /// library's answers, bit for bit: halves away from zero, just below a half, the sign of a zero, the edge of 2⁵²,
  /// huge values, NaN and infinities.
  @Test func roundingToWholeAgreesWithTheLibrary() {
    var rng = SplitMix(seed: 52)
    var xs: [Double] = [
      0.5, -0.5, 1.5, -2.5, 0.49999999999999994, -0.49999999999999994, 0, -0.0, -0.3,
      0x1p52 - 0.5, -(0x1p52 - 0.5), 0x1p52, 0x1p52 + 1, 0x1p53 + 2, 1e300, -1e300,
      .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
    ]
    for _ in 0..<100_000 {
      let scale = Double(sign: .plus, exponent: Int(rng.next() % 60) - 8, significand: 1)
      xs.append((Double(rng.next() % 2_000_001) - 1_000_000) / 1_000_000 * scale)
      xs.append(Double(Int(rng.next() % 20_001) - 10_000) + 0.5)
    }
    for x in xs {
      for (name, got, rule) in [
        (
          "round", ScalarFunction.roundedToWhole(x),
          FloatingPointRoundingRule.toNearestOrAwayFromZero
        ),
        ("floor", ScalarFunction.floored(x), .down), ("ceil", ScalarFunction.ceiled(x), .up),
      ] {
        let expected = x.rounded(rule)
        if got.bitPattern != expected.bitPattern && !(got.isNaN && expected.isNaN) {
          Issue.record("\(name)(\(x)): \(got), expected \(expected)")
        }
      }
    }
  }
}

/// Quantiles by selection are the quantiles of the sorted values, whatever the order, the
/// ties and the fraction.
struct QuantileSelectionTests {
  @Test func selectionGivesTheSortedAnswer() {
    var g = SystemRandomNumberGenerator()
    for n in [1, 2, 3, 5, 10, 64, 1000, 5001] {
      for _ in 0..<20 {
        let xs = (0..<n).map { _ in Double(Int.random(in: 0..<(n / 3 + 2), using: &g)) / 7 }
        for p in [0.0, 0.1, 0.25, 0.5, 0.9, 0.999, 1.0] {
          let s = xs.sorted()
          let h = p * Double(s.count - 1)
          let lo = Int(h.rounded(.down))
          let frac = h - Double(lo)
          let hi = min(lo + 1, s.count - 1)
          let expected = frac == 0 ? s[lo] : s[lo] + (s[hi] - s[lo]) * frac
          #expect(
            Aggregation.quantile(xs[...], p)?.bitPattern == expected.bitPattern, "n \(n) p \(p)")
        }
      }
    }
  }
}
