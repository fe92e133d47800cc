import Testing

@testable import Columnar

extension KernelTests {
  /// A byte search of ASCII text finds what a search of its lowercased characters finds,
  /// with and without case; text or patterns beyond ASCII are left to the latter.
  @Test func asciiSearchAgreesWithCharacterSearch() {
    var g = SystemRandomNumberGenerator()
    let letters = Array("aAbBzZ09-_ ")
    for _ in 0..<3000 {
      let s = String(
        (0..<Int.random(in: 0..<12, using: &g)).map { _ in letters.randomElement(using: &g)! })
      let p = String(
        (0..<Int.random(in: 0..<4, using: &g)).map { _ in letters.randomElement(using: &g)! })
      let folded = TextSearch.needle(p, ignoringCase: true).flatMap {
        TextSearch.contains(s, $0, ignoringCase: true)
      }
      #expect(folded == s.lowercased().contains(p.lowercased()))
      let exact = TextSearch.needle(p, ignoringCase: false).flatMap {
        TextSearch.contains(s, $0, ignoringCase: false)
      }
      #expect(exact == s.contains(p))
    }
    #expect(TextSearch.contains("Élan", [0x6C], ignoringCase: true) == nil)
    #expect(TextSearch.needle("é", ignoringCase: true) == nil)
    #expect(TextSearch.contains("Kota Batu", Array("bat".utf8), ignoringCase: true) == true)
  }

  /// `appending` joins arrays (merging text dictionaries) and gives the values, one by
  /// one, of this column then the other's: shared and new texts, nulls on both sides, an
  /// int column after a float one.
  @Test func appendingGivesBothColumnsValues() {
    let pairs: [(Column, Column)] = [
      (.text(TextColumn(["b", nil, "a", "b"])), .text(TextColumn(["c", "a", nil, "c", "d"]))),
      (
        .float(TypedColumn([1.5, 2], validity: Validity([true, false]))), .int(TypedColumn([3, 4]))
      ),
      (.bool(TypedColumn([true, false])), .bool(TypedColumn([false], validity: .allNull(1)))),
      (.date(TypedColumn([1, 2])), .date(TypedColumn([3]))),
    ]
    for (a, b) in pairs {
      let joined = a.appending(b)
      #expect(joined.type == a.type)
      let expected =
        a.values
        + b.values.map { v -> Value in
          if case .int(let i) = v, a.type == .float { return .float(Double(i)) }
          return v
        }
      #expect(joined.values == expected)
    }
  }

  /// One builder appended to another gives the bitmap of all the flags, wherever the seam
  /// falls and whichever side has nulls.
  @Test(arguments: [0, 1, 63, 64, 65, 130])
  func validityBuildersJoin(split: Int) {
    let patterns: [(Int) -> Bool] = [{ _ in true }, { $0 % 5 != 2 }]
    for a in patterns {
      for b in patterns {
        let flags = (0..<200).map { $0 < split ? a($0) : b($0) }
        var first = ValidityBuilder()
        var second = ValidityBuilder()
        for (i, f) in flags.enumerated() {
          if i < split { first.append(f) } else { second.append(f) }
        }
        first.append(contentsOf: second)
        let built = first.build()
        #expect(first.count == 200)
        #expect((0..<200).allSatisfy { built.isValid($0) == flags[$0] })
      }
    }
  }

  /// Values given as bytes, short (packed in one word), of eight to fifteen bytes (two
  /// words) and long (hashed), many of each, come back as written, equal values sharing one
  /// dictionary entry.
  @Test func textBuilderInternsShortAndLongValues() {
    var b = TextColumnBuilder()
    var expected: [String] = []
    for i in 0..<4000 {
      let s =
        switch i % 4 {
        case 0: "k\(i % 500)"
        case 1: ""
        case 2: "Kab. \(String(repeating: "x", count: i % 7))\(i % 900)"
        default: "Province number \(i % 700)"
        }
      expected.append(s)
      Array(s.utf8).withUnsafeBufferPointer { b.append(bytes: $0) }
    }
    let column = b.build()
    #expect((0..<4000).allSatisfy { column.dictionary[Int(column.codes[$0])] == expected[$0] })
    #expect(column.dictionary.count == Set(expected).count)
  }

  /// A value of eight to fifteen bytes has one code whether it comes as a String, as bytes,
  /// or as a reader's cell (packed in two words); invalid UTF-8 of that length shares the
  /// code of its repaired text, which may be longer than fifteen bytes.
  @Test func textBuilderCodesMidValuesOneWayWhicheverWayTheyCome() {
    var b = TextColumnBuilder()
    /// The bytes as a cell of a file, other bytes after it.
    func cell(_ bytes: [UInt8]) {
      let file = bytes + Array(",Kota Sorong,2024".utf8)
      file.withUnsafeBufferPointer { p in
        [0].withUnsafeBufferPointer { s in
          [bytes.count].withUnsafeBufferPointer { e in
            guard let s = s.baseAddress, let e = e.baseAddress else { return }
            b.append(cells: p, starts: s, ends: e, stride: 1, from: 0, count: 1)
          }
        }
      }
    }
    var expected: [String] = []
    for i in 0..<600 {
      let value = String(repeating: "a", count: 8 + i % 8) + "\(i % 5)"
      let bytes = Array(value.utf8.prefix(8 + i % 8))
      let text = String(decoding: bytes, as: UTF8.self)
      switch i % 3 {
      case 0: b.append(text)
      case 1: bytes.withUnsafeBufferPointer { b.append(bytes: $0) }
      default: cell(bytes)
      }
      expected.append(text)
    }
    // 14 bytes with two invalid ones, repaired to 18; and the repaired text as words too.
    let invalid: [UInt8] = Array("Kab. Sorong".utf8) + [0xFF, 0xFE, 0x21]
    cell(invalid)
    b.append("Kab. Sorong\u{FFFD}\u{FFFD}!")
    invalid.withUnsafeBufferPointer { b.append(bytes: $0) }
    expected += Array(repeating: "Kab. Sorong\u{FFFD}\u{FFFD}!", count: 3)
    let column = b.build()
    #expect(
      column.codes.indices.allSatisfy { column.dictionary[Int(column.codes[$0])] == expected[$0] })
    #expect(column.dictionary.count == Set(expected).count)
    #expect(column.dictionary.count == 8 + 1)
  }

  /// A value given as a String and as bytes, short or long, is one entry; invalid UTF-8
  /// becomes its repaired text and shares that text's entry; merging builders keeps every
  /// value once.
  @Test func textBuilderKnowsAValueByItsBytesWhicheverWayItCame() {
    var a = TextColumnBuilder()
    a.append("Kota Bandung")
    a.append("Aceh")
    Array("Kota Bandung".utf8).withUnsafeBufferPointer { a.append(bytes: $0) }
    Array("Aceh".utf8).withUnsafeBufferPointer { a.append(bytes: $0) }
    let invalidLong: [UInt8] = Array("Kabupaten ".utf8) + [0xFF]
    let invalidShort: [UInt8] = [0x41, 0xC3]
    invalidLong.withUnsafeBufferPointer { a.append(bytes: $0) }
    a.append("Kabupaten \u{FFFD}")
    invalidShort.withUnsafeBufferPointer { a.append(bytes: $0) }
    a.append("A\u{FFFD}")
    invalidLong.withUnsafeBufferPointer { a.append(bytes: $0) }
    var b = TextColumnBuilder()
    b.append("A\u{FFFD}")
    b.append("Papua Pegunungan")
    a.append(contentsOf: b)
    let column = a.build()
    let shown = (0..<column.codes.count).map { column.dictionary[Int(column.codes[$0])] }
    #expect(
      shown == [
        "Kota Bandung", "Aceh", "Kota Bandung", "Aceh", "Kabupaten \u{FFFD}",
        "Kabupaten \u{FFFD}", "A\u{FFFD}", "A\u{FFFD}", "Kabupaten \u{FFFD}", "A\u{FFFD}",
        "Papua Pegunungan",
      ])
    #expect(column.dictionary.count == Set(shown).count)
  }

  /// The first n rows of a column, copied as arrays (`take`), are the rows gathered by
  /// index: every type, with nulls and without, on and off word edges; the tail bits of the
  /// last word are clear, and a prefix with no null has no bitmap.
  @Test func aPrefixIsTheFirstRowsGathered() {
    let count = 200
    let nulls = Validity((0..<count).map { $0 % 7 != 3 })
    let columns: [Column] = [
      .int(TypedColumn((0..<count).map { $0 * 3 }, validity: nulls)),
      .float(TypedColumn((0..<count).map { Double($0) / 4 })),
      .bool(TypedColumn((0..<count).map { $0 % 3 == 0 }, validity: nulls)),
      .date(TypedColumn((0..<count).map { 19_000 + $0 }, validity: nulls)),
      .text(TextColumn((0..<count).map { $0 % 5 == 0 ? nil : "v\($0 % 11)" })),
    ]
    for column in columns {
      for n in [0, 1, 3, 63, 64, 65, 130, count] {
        let prefix = column.prefix(n)
        let gathered = column.gather(Array(0..<n))
        #expect(prefix.count == n)
        #expect(
          (0..<n).allSatisfy { prefix.value(at: $0) == gathered.value(at: $0) },
          "\(column.type) \(n)")
        if let words = prefix.validity.words, n % 64 != 0 {
          #expect(words[words.count - 1] >> UInt64(n % 64) == 0, "\(column.type) \(n)")
        }
        #expect(prefix.validity.hasNulls == (0..<n).contains { !column.validity.isValid($0) })
      }
    }
  }

  @Test func validityCountsNulls() {
    #expect(Validity([true, false, true, false]).nullCount(4) == 2)
    #expect(Validity.allValid.nullCount(10) == 0)
  }

  /// A bitmap built from a predicate a word at a time is the bitmap of the same flags: row
  /// counts on and off word edges, no nulls (no bitmap), nulls only in the last word.
  @Test(arguments: [0, 1, 63, 64, 65, 130])
  func validityFromAPredicateMatchesTheFlags(count: Int) {
    for nullAt in [-1, 0, count - 1, count / 2] {
      let flags = (0..<count).map { $0 != nullAt }
      let built = Validity(count: count) { $0 != nullAt }
      #expect(built == Validity(flags), "\(count) rows, null at \(nullAt)")
      #expect(built.hasNulls == flags.contains(false))
    }
  }

  /// The builder counts rows until the first null, then makes the bitmap: the result must be
  /// the bitmap of the flags wherever the first null falls.
  @Test(arguments: [0, 1, 63, 64, 65, 127, 128, 200])
  func validityBuilderMatchesTheFlags(firstNull: Int) {
    let flags = (0..<300).map { $0 != firstNull && ($0 < firstNull || $0 % 7 != 3) }
    var b = ValidityBuilder(capacity: 10)
    for f in flags { b.append(f) }
    let built = b.build()
    #expect(built == Validity(flags))
    #expect((0..<300).allSatisfy { built.isValid($0) == flags[$0] })
    var all = ValidityBuilder()
    for _ in 0..<70 { all.append(true) }
    #expect(!all.build().hasNulls && all.count == 70)
  }

  /// A function's results per entry handed out to rows: by dictionary code (a null row
  /// takes the null entry's result, which may be a value), or by id; a result of another
  /// type is null, ints widen to floats, text gets one dictionary entry per distinct text.
  @Test func resultsPerEntryGoToTheirRows() {
    let codes: [UInt32] = [2, 0, 1, 2, 0, 1, 1]
    let validity = Validity([true, true, false, true, true, true, true])
    let index = EntryIndex.codes(codes, validity, nullEntry: 3)
    let ints = Column.indexing([.int(10), .int(20), .null, .int(-1)], by: index, type: .int)
    #expect(bits(ints) == ["null", "10", "-1", "null", "10", "20", "20"])
    let floats = Column.indexing(
      [.float(0.5), .int(2), .text("x"), .float(-0.0)], by: index, type: .float)
    #expect(
      bits(floats) == [
        "null", String(0.5.bitPattern), String((-0.0).bitPattern), "null",
        String(0.5.bitPattern), String(2.0.bitPattern), String(2.0.bitPattern),
      ])
    let whole = Column.indexing([.int(1), .int(2), .int(3), .int(4)], by: index, type: .int)
    #expect(!whole.validity.hasNulls && bits(whole) == ["3", "1", "4", "3", "1", "2", "2"])
    let text = Column.indexing(
      [.text("b"), .text("a"), .text("b"), .null], by: .ids([0, 1, 2, 3, 2, 0]), type: .text)
    #expect(bits(text) == ["b", "a", "b", "null", "b", "b"])
    if case .text(let t) = text { #expect(t.dictionary == ["b", "a"]) }
    let none = Column.indexing([.int(7)], by: .ids([]), type: .int)
    #expect(none.count == 0)
  }
}
