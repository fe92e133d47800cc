import Testing

@testable import Columnar

struct CSVReaderTests {
  func read(_ text: String, path: String = "t.csv") throws -> Table {
    try TableReader.parse(Array(text.utf8), path: path)
  }

  @Test func infersEachColumnType() throws {
    let t = try read("i,f,d,b,s\n1,1.5,2024-01-02,true,x\n2,2,2024-02-29,false,y\n")
    #expect(t.schema.fields.map(\.type) == [.int, .float, .date, .bool, .text])
    #expect(
      t.row(1) == [
        .int(2), .float(2), .date(CivilDate.parse("2024-02-29")!), .bool(false), .text("y"),
      ])
  }

  @Test func intColumnWithOneFloatBecomesFloat() throws {
    let t = try read("x\n1\n2\n3.5\n4\n")
    #expect(t.columns[0] == .float(TypedColumn([1, 2, 3.5, 4])))
  }

  @Test func aColumnWithOneWordBecomesTextKeepingTheOriginalCells() throws {
    let t = try read("x\n007\n2.50\nabc\n")
    #expect(t.columns[0].values == [.text("007"), .text("2.50"), .text("abc")])
  }

  @Test func quotesEmbeddedNewlinesAndDoubledQuotes() throws {
    let t = try read("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"line1\nline2\",2\n")
    #expect(t.rowCount == 2)
    #expect(t.columns[0].values == [.text("x, y"), .text("line1\nline2")])
    #expect(t.columns[1].values == [.text("say \"hi\""), .text("2")])
  }

  @Test func emptyFieldIsNullAndQuotedEmptyIsText() throws {
    let t = try read("a,b\n1,\n,\"\"\n")
    #expect(t.columns[0].values == [.int(1), .null])
    #expect(t.columns[1].values == [.null, .text("")])
  }

  @Test func byteOrderMarkAndCRLF() throws {
    let t = try read("\u{FEFF}name,v\r\nA,1\r\nB,2\r\n")
    #expect(t.names == ["name", "v"])
    #expect(t.columns[1].values == [.int(1), .int(2)])
  }

  @Test func tabSeparatedByExtensionAndBySniffing() throws {
    let tsv = "a\tb\n1\tx, y\n"
    #expect(try read(tsv, path: "t.tsv").columns[1].values == [.text("x, y")])
    #expect(try read(tsv, path: "t.txt").columns[1].values == [.text("x, y")])
  }

  @Test func duplicateAndEmptyHeaderNamesAreMadeUnique() throws {
    let t = try read("a,a,,b\n1,2,3,4\n")
    #expect(t.names == ["a", "a_2", "column_3", "b"])
  }

  @Test func raggedRowIsAnErrorWithItsLine() {
    #expect(
      throws: EngineError.malformed(
        path: "t.csv", line: 3, reason: "this row has 3 fields but the header has 2")
    ) {
      try read("a,b\n1,2\n1,2,3\n")
    }
  }

  /// A large file with no quotes is read in two halves by the quote-free scanner; one quoted
  /// cell sends the same content through the general reader. Both must give the same table:
  /// CRLF and LF lines, blank lines (so fewer records than lines in the first half), nulls,
  /// a column that turns float, a trailing CR.
  @Test func quoteFreeScannerReadsAsTheGeneralReader() throws {
    var body = ""
    var i = 0
    while body.utf8.count < 5 << 20 {
      let end = i % 3 == 0 ? "\r\n" : "\n"
      let score = i % 11 == 0 ? "" : i == 70_000 ? "2.5" : String(i % 97)
      let name = i % 13 == 0 ? "" : "kota \(i % 40)"
      body += "\(i),\(name),\(score),\(i % 2 == 0 ? "true" : "false")\(end)"
      if i % 5000 == 0 { body += i % 2 == 0 ? "\n" : "\r\n" }
      i += 1
    }
    let plain = try read("k,name,score,flag\n" + body + "999,last,1,true\r")
    let quoted = try read("k,name,score,flag\n" + body + "999,\"last\",1,true\r")
    #expect(plain.rowCount == i + 1)
    #expect(plain.names == quoted.names)
    #expect(plain.columns.map(\.type) == [.int, .text, .float, .bool])
    for c in plain.columns.indices {
      let same = (0..<plain.rowCount).allSatisfy {
        plain.columns[c].value(at: $0) == quoted.columns[c].value(at: $0)
      }
      #expect(same, "column \(plain.names[c]) differs")
      // Numbers to the bit, with a zero under each null (the halves write theirs to one
      // array, which is not zeroed first).
      let sameBits = plain.columns[c].type == .text || plain.columns[c] == quoted.columns[c]
      #expect(sameBits, "column \(plain.names[c]) differs under a null")
    }
    #expect(
      throws: EngineError.malformed(
        path: "t.csv", line: 3, reason: "this row has 3 fields but the header has 4")
    ) {
      try read("k,name,score,flag\n1,a,2,true\n1,2,3\n" + body)
    }
  }

  /// The halves of a large file can disagree on a column's kind (all null in one, ints in
  /// the other; ints in one, decimals in the other; words in one): the table is the one the
  /// general reader makes.
  @Test func halvesOfDifferentKindsJoinAsTheGeneralReaderReads() throws {
    var body = ""
    var i = 0
    while body.utf8.count < 6 << 20 {
      let late = body.utf8.count > 4 << 20
      let x = late ? String(i % 9) : ""
      let y = late ? "\(i % 5).5" : String(i % 5)
      let z = late && i % 1000 == 0 ? "word" : String(i % 3)
      body += "\(i),\(x),\(y),\(z)\n"
      i += 1
    }
    let plain = try read("k,x,y,z\n" + body)
    let quoted = try read("k,x,y,z\n" + body + "\"\(i)\",1,1,1\n")
    #expect(plain.rowCount == i && quoted.rowCount == i + 1)
    #expect(plain.columns.map(\.type) == [.int, .int, .float, .text])
    #expect(plain.columns.map(\.type) == quoted.columns.map(\.type))
    for c in plain.columns.indices {
      let same = (0..<plain.rowCount).allSatisfy {
        plain.columns[c].value(at: $0) == quoted.columns[c].value(at: $0)
      }
      #expect(same, "column \(plain.names[c]) differs")
    }
  }

  /// Text columns with more distinct values than a table that stays in the cache are coded
  /// at the end, partition by partition (`TextPartitions`). Read so in both halves, in one
  /// half only, or not at all, each column must hold what the general reader reads: short
  /// and long values (kept by address), nulls, multi-byte text, and invalid UTF-8, whose
  /// repaired value is the same value as that text given validly. A column of few values of
  /// eight to fifteen bytes, coded as read, has each value once.
  @Test func textOfManyDistinctValuesReadsAsTheGeneralReaderReads() throws {
    var body: [UInt8] = []
    let rows = 2 * InferredColumn.deferAt + 60_000
    for i in 0..<rows {
      let short = "c\(i)"
      let long = "kabupaten-nomor-\(i % 200_000)-panjang"
      let mixed = i < rows / 2 ? "m\(i)" : "m\(i % 7)"
      let sparse = i % 10 == 0 ? "" : i % 10 == 1 ? "ké\(i % 150_000)" : "s\(i)"
      let region = "Kabupaten \(i % 3000)"
      body += Array("\(short),\(long),\(mixed),\(sparse),\(region),".utf8)
      // Invalid UTF-8 (a lone 0xFF), well past the sample that detects the encoding; and
      // its repaired text given validly.
      if i > 100_000 && i % 1000 == 1 {
        body += [98, 0xFF]
      } else if i > 100_000 && i % 1000 == 2 {
        body += Array("b\u{FFFD}".utf8)
      } else {
        body += Array("b\(i)".utf8)
      }
      body.append(10)
    }
    #expect(body.count > 4 << 20)
    let header = Array("short,long,mixed,sparse,region,bad\n".utf8)
    let plain = try TableReader.parse(header + body, path: "t.csv")
    let quoted = try TableReader.parse(
      header + body + Array("\"q\",q,q,q,q,q\n".utf8), path: "t.csv")
    #expect(plain.rowCount == rows && quoted.rowCount == rows + 1)
    #expect(plain.columns.map(\.type) == [.text, .text, .text, .text, .text, .text])
    for c in plain.columns.indices {
      let same = (0..<rows).allSatisfy {
        plain.columns[c].value(at: $0) == quoted.columns[c].value(at: $0)
      }
      #expect(same, "column \(plain.names[c]) differs")
    }
    #expect(plain.columns[0].value(at: rows - 1) == .text("c\(rows - 1)"))
    #expect(plain.columns[1].value(at: 3) == .text("kabupaten-nomor-3-panjang"))
    #expect(plain.columns[3].value(at: 10) == .null)
    #expect(plain.columns[3].value(at: 11) == .text("ké11"))
    #expect(plain.columns[4].value(at: rows - 1) == .text("Kabupaten \((rows - 1) % 3000)"))
    guard case .text(let region) = plain.columns[4] else { return }
    #expect(region.dictionary.count == 3000)
    guard case .text(let bad) = plain.columns[5] else { return }
    #expect(bad[100_001] == "b\u{FFFD}")
    #expect(bad.codes[100_001] == bad.codes[100_002])
    // Equal values share a code, and each code is one value.
    for column in plain.columns {
      guard case .text(let t) = column else { continue }
      #expect(Set(t.dictionary).count == t.dictionary.count)
    }
  }

  /// A chunk of text cells read in one call is coded as cell-by-cell appends code it: short
  /// cells, cells of eight to fifteen bytes followed by other bytes in the buffer (read
  /// two words at a time), cells at the buffer's end (read byte by byte), and empty cells
  /// (nulls); also in a column whose kind its first cells decide, so that the chunk's
  /// later cells are coded after rows already there.
  @Test func textCellsOfAChunkCodeAsOneByOne() {
    // The last cell is short, and it is a value seen before.
    let values =
      (0..<900).map { i -> String in
        i % 10 == 0 ? "" : i % 3 == 0 ? "k\(i % 7)" : "Kabupaten \(i % 40)"
      } + ["k5"]
    var bytes: [UInt8] = []
    var starts: [Int] = []
    var ends: [Int] = []
    for v in values {
      starts.append(bytes.count)
      bytes += Array(v.utf8)
      ends.append(bytes.count)
      bytes += Array(",x9".utf8)
    }
    // The last cell ends the buffer: fewer than sixteen bytes follow its start.
    bytes.removeLast(3)
    bytes.withUnsafeBufferPointer { p in
      var chunked = InferredColumn(forceText: true)
      var inferred = InferredColumn()
      var single = InferredColumn(forceText: true)
      chunked.append(p, starts: starts, ends: ends, stride: 1, count: values.count)
      inferred.append(p, starts: starts, ends: ends, stride: 1, count: values.count)
      for (s, e) in zip(starts, ends) {
        if s == e { single.appendNull() } else { single.append(p, s, e, quotedEmpty: false) }
      }
      guard case .text(let a) = chunked.build(), case .text(let b) = single.build(),
        case .text(let c) = inferred.build()
      else {
        Issue.record("not text")
        return
      }
      #expect(
        values.indices.allSatisfy {
          a[$0] == b[$0] && c[$0] == b[$0] && a[$0] == (values[$0].isEmpty ? nil : values[$0])
        })
      #expect(a.dictionary.count == Set(values.filter { !$0.isEmpty }).count)
    }
  }

  /// Partitioned text gives each row its value and equal values one code, as the builder
  /// does: cells near the end of their buffer, long cells, empty and null cells, and rows
  /// read in three pieces (two read apart and joined, then more appended), one with room
  /// made beforehand.
  @Test func partitionedTextCodesAsTheBuilderCodes() {
    var state: UInt64 = 11
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33)
    }
    let values = (0..<3000).map { i -> String in
      switch i % 4 {
      case 0: "v\(next() % 900)"
      case 1: String(repeating: "panjang", count: 1 + next() % 4) + "\(next() % 50)"
      case 2: next() % 5 == 0 ? "" : "ñ\(next() % 30)"
      default: "x\(next() % 100_000)"
      }
    }
    var bytes: [UInt8] = []
    var bounds: [(Int, Int)] = []
    for v in values {
      bounds.append((bytes.count, bytes.count + v.utf8.count))
      bytes += Array(v.utf8)
    }
    bytes.withUnsafeBufferPointer { p in
      var first = TextPartitions()
      var second = TextPartitions()
      var builder = TextColumnBuilder()
      second.reserve(1000)
      for (i, (s, e)) in bounds.enumerated() where i < 2600 {
        let nullRow = values[i].isEmpty && i % 8 == 2
        if nullRow {
          builder.append(nil)
        } else {
          builder.append(bytes: UnsafeBufferPointer(rebasing: p[s..<e]))
        }
        if i < 1700 {
          if nullRow { first.appendNull() } else { first.append(p, s, e) }
        } else {
          if nullRow { second.appendNull() } else { second.append(p, s, e) }
        }
      }
      first.append(contentsOf: second)
      for (i, (s, e)) in bounds.enumerated() where i >= 2600 {
        if values[i].isEmpty && i % 8 == 2 {
          builder.append(nil)
          first.appendNull()
        } else {
          builder.append(bytes: UnsafeBufferPointer(rebasing: p[s..<e]))
          first.append(p, s, e)
        }
      }
      let built = first.build()
      let expected = builder.build()
      #expect(built.codes.count == values.count)
      // Each value has one code, and each code one value (a null row's code means nothing).
      var codeOf: [String: UInt32] = [:]
      var valueOf: [UInt32: String] = [:]
      for i in values.indices {
        #expect(built[i] == expected[i], "row \(i)")
        guard let v = built[i] else { continue }
        let code = built.codes[i]
        #expect(codeOf[v, default: code] == code, "row \(i)")
        #expect(valueOf[code, default: v] == v, "row \(i)")
        codeOf[v] = code
        valueOf[code] = v
      }
      #expect(Set(built.dictionary).count == built.dictionary.count)
      #expect(first.keepsAddresses)
    }
  }

  /// The eight-bytes-at-a-time field scan stops where a byte-by-byte scan does.
  @Test func fieldScanFindsTheFirstDelimiterOrLineFeed() {
    var state: UInt64 = 7
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let alphabet: [UInt8] = [44, 10, 9, 13, 0, 0x80, 0xFF, 0x2B, 0x2D, 97, 0x0B, 0x8A, 0xAC]
    for _ in 0..<300 {
      let bytes = (0..<next(40)).map { _ in next(6) == 0 ? alphabet[next(alphabet.count)] : 97 }
      bytes.withUnsafeBufferPointer { p in
        for delimiter: UInt8 in [44, 9] {
          for start in 0...bytes.count {
            let naive =
              (start..<bytes.count).first { bytes[$0] == delimiter || bytes[$0] == 10 }
              ?? bytes.count
            #expect(CSVReader.fieldEnd(p, from: start, delimiter: delimiter) == naive)
          }
        }
      }
    }
  }

  @Test func unclosedQuoteIsAnErrorAtItsLine() {
    #expect(
      throws: EngineError.malformed(
        path: "t.csv", line: 2, reason: "a quoted field is never closed")
    ) {
      try read("a\n\"open\n")
    }
  }

  @Test func hugeIntegersBecomeFloat() throws {
    let t = try read("x\n99999999999999999999\n1\n")
    #expect(t.columns[0].type == .float)
  }

  @Test func emptyFileAndHeaderOnly() throws {
    #expect(try read("").rowCount == 0)
    let header = try read("a,b\n")
    #expect(header.names == ["a", "b"])
    #expect(header.rowCount == 0)
  }

  /// Decimals and integers of every common shape parse to the correctly rounded value (the
  /// plain-decimal and short-integer paths agree with Swift's own parser).
  @Test func numbersParseAsSwiftParsesThem() {
    var state: UInt64 = 5
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    for _ in 0..<20_000 {
      let whole = String((0..<next(12)).map { _ in Character(String(next(10))) })
      let frac = String((0..<next(10)).map { _ in Character(String(next(10))) })
      let sign = ["", "-", "+"][next(3)]
      let text = sign + whole + (next(2) == 0 ? "" : "." + frac)
      let bytes = Array(text.utf8)
      let parsed = bytes.withUnsafeBufferPointer { FieldParsing.float($0, 0, $0.count) }
      let hasDigit = !whole.isEmpty || (text.contains(".") && !frac.isEmpty)
      // A whole part with a leading zero (0501, 007) is a code: not a number.
      let code = whole.count > 1 && whole.first == "0"
      #expect(parsed == (hasDigit && !code ? Double(text) : nil), "\(text)")
      if !text.contains("."), !whole.isEmpty {
        let int = bytes.withUnsafeBufferPointer { FieldParsing.int($0, 0, $0.count) }
        #expect(int == (code ? nil : Int(text)), "\(text)")
      }
    }
  }

  @Test func codesWithLeadingZerosStayText() throws {
    let t = try read("kode,n,x\n0501,0,0.5\n007,10,-0.25\n3510,7,1\n")
    #expect(t.columns[0].type == .text)
    #expect(t.columns[0].values == [.text("0501"), .text("007"), .text("3510")])
    #expect(t.columns[1].type == .int && t.columns[2].type == .float)
  }

  @Test func dottedCodesUnderACodeNameStayText() throws {
    let t = try read(
      "kode_wilayah,id,nilai,region code\n35.10,1.5,88.20,3510\n35.1,2.0,70.5,3578\n")
    #expect(t.columns[0].values == [.text("35.10"), .text("35.1")])
    #expect(t.columns[1].values == [.text("1.5"), .text("2.0")])
    #expect(t.columns[2].values == [.float(88.2), .float(70.5)])
    #expect(t.columns[3].type == .int, "whole codes stay ints: they lose nothing")
    #expect(CSVReader.isCodeName("kodepos") && !CSVReader.isCodeName("decode_ratio"))
    #expect(!CSVReader.isCodeName("width") && CSVReader.isCodeName("KD_PROV"))
  }

  @Test func floatsParseExactly() throws {
    let t = try read("x\n88.26\n0.1\n-1e6\n1234567.891\n")
    #expect(t.columns[0].values == [.float(88.26), .float(0.1), .float(-1e6), .float(1234567.891)])
  }
}

struct JSONLinesReaderTests {
  @Test func objectsBecomeRowsWithKeysInFirstAppearanceOrder() throws {
    let text = """
      {"a": 1, "b": "x"}
      {"b": "y", "c": true, "a": 2.5}

      {"a": null, "d": [1, {"e": 2}]}
      """
    let t = try TableReader.parse(Array(text.utf8), path: "t.jsonl")
    #expect(t.names == ["a", "b", "c", "d"])
    #expect(t.columns[0].values == [.float(1), .float(2.5), .null])
    #expect(t.columns[1].values == [.text("x"), .text("y"), .null])
    #expect(t.columns[2].values == [.null, .bool(true), .null])
    #expect(t.columns[3].values == [.null, .null, .text("[1, {\"e\": 2}]")])
  }

  @Test func escapesAndDates() throws {
    let t = try TableReader.parse(
      Array(#"{"s": "a\"b\u00e9\n", "d": "2024-11-13"}"#.utf8), path: "x.jsonl")
    #expect(t.columns[0].values == [.text("a\"bé\n")])
    #expect(t.columns[1].type == .date)
  }

  @Test func malformedLineIsReportedWithItsNumber() {
    #expect(throws: EngineError.self) {
      try TableReader.parse(Array("{\"a\": 1}\n{\"a\": }\n".utf8), path: "t.jsonl")
    }
    do {
      _ = try TableReader.parse(Array("{\"a\": 1}\n{\"a\": }\n".utf8), path: "t.jsonl")
    } catch {
      guard case .malformed(_, let line, _) = error else {
        Issue.record("wrong error \(error)")
        return
      }
      #expect(line == 2)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif

/// A mapped file read in two halves gives its pages back as the reading goes on; what is
/// read is still the file: the same table as read from its bytes in memory, with text
/// that turns up late in a number column (the file is then read again whole, from pages
/// given back) and long text late in the second half (kept by its address, after which
/// that half's pages are kept).
struct ReleasedPagesTests {
  @Test func aMappedFileReadWhileItsPagesGoBackIsTheFile() throws {
    // More than the 4 MB from which a file is read in halves.
    var text = "k,i,f,s,late\n"
    for r in 0..<250_000 {
      let late = r == 240_000 ? "word" : "\(r % 7)"
      let long =
        r > 230_000 && r % 9 == 0 ? "a text longer than fifteen bytes \(r % 13)" : "t\(r % 500)"
      text += "id\(r % 97),\(r),\(Double(r % 1_000) / 8),\(long),\(late)\n"
    }
    let bytes = Array(text.utf8)
    let path =
      "\(String(cString: getenv("TMPDIR") ?? strdup("/tmp")))/pantau-\(getpid())-released.csv"
    defer { unlink(path) }
    let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
    #expect(fd >= 0)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, bytes.count) }
    close(fd)
    let expected = try CSVReader(bytes: bytes, delimiter: 44, path: path).read()
    let readFd = open(path, O_RDONLY)
    defer { close(readFd) }
    guard let base = mmap(nil, bytes.count, PROT_READ, MAP_PRIVATE, readFd, 0), base != MAP_FAILED
    else {
      Issue.record("cannot map the file")
      return
    }
    defer { munmap(base, bytes.count) }
    var reader = CSVReader(bytes: [], delimiter: 44, path: path)
    reader.releaseEvery = 1 << 14
    let mapped = UnsafeBufferPointer(
      start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    let got = try reader.read(mapped, mapped: true)
    #expect(got.names == expected.names)
    #expect(got.columns.map(\.type) == [.text, .int, .float, .text, .text])
    var same = got.rowCount == expected.rowCount
    for (a, b) in zip(got.columns, expected.columns) where same {
      same = (0..<got.rowCount).allSatisfy { a.value(at: $0) == b.value(at: $0) }
    }
    #expect(same)
  }
}
