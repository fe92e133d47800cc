import TestSupport
import Testing

@testable import Columnar

extension KernelTests {
  @Test func joinCountsMultiplyAndNullKeysNeverMatch() throws {
    let left = Column.text(TextColumn(["a", "b", nil, "a", "c"]))
    let right = Column.text(TextColumn(["a", "a", "b", nil]))
    let inner = try HashJoin.match(
      left: [left], right: [right], leftCount: 5, rightCount: 4, keepUnmatched: false)
    #expect(inner.left == [0, 0, 1, 3, 3])
    #expect(inner.right == [0, 1, 2, 0, 1])
    let outer = try HashJoin.match(
      left: [left], right: [right], leftCount: 5, rightCount: 4, keepUnmatched: true)
    #expect(outer.left == [0, 0, 1, 2, 3, 3, 4])
    #expect(outer.right == [0, 1, 2, -1, 0, 1, -1])
  }

  /// Unique right keys take their own route (no chains), and a right key range up to
  /// twice the right rows a direct table: both must give a nested loop's pairs, for inner
  /// and left joins, with nulls, keys no right row has, and no match at all.
  @Test func uniqueRightKeysPairAsANestedLoop() throws {
    var rng = SplitMix(seed: 21)
    for round in 0..<40 {
      let m = Int(rng.next() % 300) + 1
      let n = Int(rng.next() % 500)
      // Right keys distinct (a shuffled range with gaps, wide in some rounds), some null.
      let spread = round % 4 == 0 ? 5_000_000 : 3
      var rightKeys: [Int?] = (0..<m).map { $0 * spread + 7 }
      rightKeys.shuffle(using: &rng)
      if round % 3 == 0 { rightKeys[0] = nil }
      let leftKeys: [Int?] = (0..<n).map { _ in
        rng.next() % 9 == 0 ? nil : Int(rng.next() % UInt64(m + 20)) * spread + 7
      }
      let l = Column.from(leftKeys.map { $0.map(Value.int) ?? .null }, type: .int)
      let r = Column.from(rightKeys.map { $0.map(Value.int) ?? .null }, type: .int)
      for keep in [false, true] {
        var expected: ([Int], [Int]) = ([], [])
        for (i, k) in leftKeys.enumerated() {
          let j = k.flatMap { k in rightKeys.firstIndex(of: k) }
          if let j {
            expected.0.append(i)
            expected.1.append(j)
          } else if keep {
            expected.0.append(i)
            expected.1.append(-1)
          }
        }
        let got = try HashJoin.match(
          left: [l], right: [r], leftCount: n, rightCount: m, keepUnmatched: keep)
        #expect(got.left == expected.0 && got.right == expected.1, "round \(round) \(keep)")
      }
    }
  }

  @Test func joinMatchesIntAgainstFloat() throws {
    let l = Column.int(TypedColumn([1, 2]))
    let r = Column.float(TypedColumn([2.0, 1.5]))
    let m = try HashJoin.match(
      left: [l], right: [r], leftCount: 2, rightCount: 2, keepUnmatched: false)
    #expect(m.left == [1])
    #expect(m.right == [0])
  }

  @Test func joinRefusesAnOutputOverTheLimitBeforeBuildingIt() {
    let keys = Column.int(TypedColumn([Int](repeating: 1, count: 1000)))
    #expect(throws: EngineError.self) {
      try HashJoin.match(
        left: [keys], right: [keys], leftCount: 1000, rightCount: 1000, keepUnmatched: false,
        bytesPerRow: 100, byteLimit: 1_000_000)
    }
  }

  /// On a unique right key, an inner join is limited by the rows it gives, not the left
  /// rows it reads: 1,000 left rows of which 10 match pass a limit of 100 rows, and 200
  /// matches do not; a left join, or an inner one where every row matches, keeps the left
  /// rows as they are, over several chunks of left rows.
  @Test func uniqueKeyJoinsAreLimitedByTheirOutput() throws {
    let right = Column.int(TypedColumn(Array(0..<200)))
    let few = Column.int(TypedColumn((0..<1000).map { $0 % 100 == 0 ? $0 / 100 : 5000 + $0 }))
    let m = try HashJoin.match(
      left: [few], right: [right], leftCount: 1000, rightCount: 200, keepUnmatched: false,
      bytesPerRow: 100, byteLimit: 10_000)
    #expect(m.left == Array(stride(from: 0, to: 1000, by: 100)) && m.right == Array(0..<10))
    #expect(!m.leftIsEveryRow)
    let many = Column.int(TypedColumn((0..<1000).map { $0 % 5 == 0 ? $0 / 5 : -1 }))
    #expect(throws: EngineError.self) {
      try HashJoin.match(
        left: [many], right: [right], leftCount: 1000, rightCount: 200, keepUnmatched: false,
        bytesPerRow: 100, byteLimit: 10_000)
    }
    // Over several chunks of left rows: every row matches, then some rows do not (at the
    // chunks' edges among others).
    let n = 40_000
    let all = Column.int(TypedColumn((0..<n).map { $0 % 200 }))
    for keep in [false, true] {
      let every = try HashJoin.match(
        left: [all], right: [right], leftCount: n, rightCount: 200, keepUnmatched: keep)
      #expect(every.leftIsEveryRow && every.left == Array(0..<n))
      #expect(every.right == (0..<n).map { $0 % 200 })
    }
    let missing: Set<Int> = [0, 16383, 16384, 32767, 39_999, 777]
    let some = Column.int(TypedColumn((0..<n).map { missing.contains($0) ? -5 : $0 % 200 }))
    let inner = try HashJoin.match(
      left: [some], right: [right], leftCount: n, rightCount: 200, keepUnmatched: false)
    let kept = (0..<n).filter { !missing.contains($0) }
    #expect(!inner.leftIsEveryRow && inner.left == kept)
    #expect(inner.right == kept.map { $0 % 200 })
    let outer = try HashJoin.match(
      left: [some], right: [right], leftCount: n, rightCount: 200, keepUnmatched: true)
    #expect(outer.leftIsEveryRow)
    #expect(outer.right == (0..<n).map { missing.contains($0) ? -1 : $0 % 200 })
  }

  /// A text key unique on the right: each left row finds its right row through its
  /// dictionary entry; nulls and values no right row has match nothing.
  @Test func uniqueTextKeyPairsThroughTheDictionary() throws {
    let right = Column.text(TextColumn([nil, "Kota Bogor", "Kab. Bogor", "Kota Depok"]))
    let values = ["Kab. Bogor", nil, "Kota Depok", "Kab. Bekasi", "Kota Bogor", "Kab. Bogor"]
    let left = Column.text(TextColumn(values))
    let inner = try HashJoin.match(
      left: [left], right: [right], leftCount: 6, rightCount: 4, keepUnmatched: false)
    #expect(inner.left == [0, 2, 4, 5] && inner.right == [2, 3, 1, 2])
    let outer = try HashJoin.match(
      left: [left], right: [right], leftCount: 6, rightCount: 4, keepUnmatched: true)
    #expect(outer.leftIsEveryRow && outer.right == [2, -1, 3, -1, 1, 2])
  }

  @Test func gatherWithMissingIndexGivesNull() {
    let c = Column.text(TextColumn(["a", "b"]))
    #expect(c.gather([1, -1, 0]).values == [.text("b"), .null, .text("a")])
  }

  @Test func datesRoundTrip() {
    for s in ["1970-01-01", "2024-02-29", "1999-12-31", "2100-03-01", "0001-01-01"] {
      #expect(CivilDate.format(CivilDate.parse(s)!) == s)
    }
    #expect(CivilDate.parse("2023-02-29") == nil)
    #expect(CivilDate.parse("2024-13-01") == nil)
    #expect(CivilDate.parse("1970-01-02") == 1)
  }

  /// Two columns end to end keep every row's null flag, wherever the seam falls in a word.
  @Test(arguments: [(0, 5), (1, 64), (63, 2), (64, 64), (65, 130), (127, 1), (200, 0)])
  func concatenationKeepsNulls(n: Int, m: Int) {
    let a = (0..<n).map { $0 % 3 != 1 }
    let b = (0..<m).map { $0 % 5 != 2 }
    let x = Column.int(TypedColumn(Array(0..<n), validity: Validity(a)))
    let y = Column.int(TypedColumn(Array(0..<m), validity: Validity(b)))
    let joined = Column.concatenate(x, y)
    #expect(joined?.count == n + m)
    let flags = a + b
    #expect((0..<(n + m)).allSatisfy { joined?.validity.isValid($0) == flags[$0] })
    let allValid = Column.concatenate(x, .int(TypedColumn(Array(0..<m))))
    #expect(
      (0..<(n + m)).allSatisfy {
        allValid?.validity.isValid($0) == (a + [Bool](repeating: true, count: m))[$0]
      })
  }
}
