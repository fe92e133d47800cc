import Testing

@testable import Columnar

/// A file read in halves writes each half's number values to a window of one shared array
/// (`SharedNumbers`), which is not zeroed first: a null must still leave a zero, a window
/// must refuse what does not fit, and the second half must end up right after the first's
/// records when the first had blank lines.
struct NumberValuesTests {
  /// The cells "5", "", "7" parsed into a window of `room` slots over memory of -1s:
  /// `body` with the values, the validity and the cells taken; then the memory.
  func parsed(
    room: Int, _ body: (inout NumberValues<Int>, ValidityBuilder, Int) -> Void
  ) -> [Int] {
    var memory = [Int](repeating: -1, count: room)
    memory.withUnsafeMutableBufferPointer { window in
      guard let base = window.baseAddress else { return }
      var values = NumberValues<Int>(window: base, room: room)
      var validity = ValidityBuilder()
      let bytes = Array("5,,7".utf8)
      let taken = bytes.withUnsafeBufferPointer { p in
        values.bulk(&validity, 0, 3, [0, 2, 3], [1, 2, 4], 1) { FieldParsing.int(p, $0, $1) }
      }
      body(&values, validity, taken)
    }
    return memory
  }

  @Test func aWindowHoldsTheValuesWithAZeroUnderANull() {
    let memory = parsed(room: 4) { values, validity, taken in
      #expect(taken == 3)
      #expect(values.count == 3 && !values.overflowed)
      #expect(values.values() == [5, 0, 7])
      let built = validity.build()
      #expect([0, 1, 2].map { built.isValid($0) } == [true, false, true])
    }
    #expect(memory == [5, 0, 7, -1])
  }

  @Test func aFullWindowTakesNothingAndSaysSo() {
    _ = parsed(room: 2) { values, _, _ in
      #expect(values.overflowed)
      values.append(1)
      values.append(2)
      values.append(3)
      #expect(values.values() == [1, 2])
    }
  }

  @Test func theSecondHalfFollowsTheFirstsRecords() throws {
    // Three lines in the first half, of which two records; two in the second.
    let shared = try #require(SharedNumbers(first: 3, second: 2))
    var (a, _) = shared.windows(second: false)
    var (b, _) = shared.windows(second: true)
    a.append(10)
    a.append(11)
    b.append(20)
    b.append(21)
    #expect(shared.takeInts(firstRows: a.count, secondRows: b.count) == [10, 11, 20, 21])
    // An int half that meets a decimal turns float in its own window.
    let floats = try #require(SharedNumbers(first: 2, second: 1))
    var (ints, converted) = floats.windows(second: false)
    ints.append(4)
    converted.append(converting: ints)
    converted.append(2.5)
    var (_, later) = floats.windows(second: true)
    later.append(1.5)
    #expect(
      floats.takeFloats(firstRows: converted.count, secondRows: later.count) == [4, 2.5, 1.5])
  }

  /// A window has room for a half's lines: its line feeds, and one more for a last line
  /// without one, whatever the eight-byte words they fall in.
  @Test func linesAreCountedAsARecordEndsThem() {
    var reader = CSVReader(bytes: [], delimiter: 44, path: "t.csv")
    let cases: [(String, Int)] = [
      ("", 0), ("a", 1), ("a\n", 1), ("a\n\nb", 3), ("\n\n\n\n\n\n\n\n\n", 9),
      ("12345678\n1234567\n123456789", 3), (String(repeating: "ab,c\r\n", count: 1000) + "x", 1001),
    ]
    // (In rounds of any size, even under a word.)
    for every in [1 << 25, 64, 3] {
      reader.releaseEvery = every
      for (text, lines) in cases {
        let counted = Array(text.utf8).withUnsafeBufferPointer {
          reader.lineCount($0, releasing: false)
        }
        #expect(counted == lines, "\(text.prefix(20)) by \(every)")
      }
    }
  }
}
