import Foundation
import Testing

@testable import Shell

/// Malformed files and hostile statements: each gets a clear error with its position (and
/// exit status 1 from the command), or the documented result; never a trap, a stack
/// overflow or a hang. The rules are in docs/language.md, "Edge cases and their rules".
struct BadInputTests {
  let dir = temporaryFolder()

  func file(_ name: String, _ bytes: [UInt8]) -> String {
    let path = dir + "/" + name
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }

  func file(_ name: String, _ text: String) -> String { file(name, Array(text.utf8)) }

  func run(_ text: String) -> (Bool, String, String) {
    let session = Session()
    session.settings.format = .csv
    return execute(session, text, directory: dir)
  }

  @Test func raggedRowsAndUnclosedQuotesAreErrorsWithTheirLine() {
    _ = file("ragged.csv", "a,b\n1,2\n3,4,5\n")
    _ = file("unclosed.csv", "a,b\n1,\"open\n2,3\n")
    let (ok1, _, e1) = run(".load \"ragged.csv\"")
    #expect(!ok1 && e1.contains("ragged.csv:3: this row has 3 fields but the header has 2"))
    #expect(e1.contains(" --> test:1:1"))
    let (ok2, _, e2) = run("from \"unclosed.csv\" | take 1")
    #expect(!ok2 && e2.contains("unclosed.csv:2: a quoted field is never closed"))
  }

  /// Bytes that are not UTF-8 mean the file is Windows-1252 (what Excel writes here).
  @Test func invalidUTF8AndNULBytesAreKeptAsText() {
    _ = file("bytes.csv", Array("a,b\n".utf8) + [0xFF, 0xFE, 0x41, 44, 0x00, 0x42, 10])
    let (ok, out, _) = run("from \"bytes.csv\" | derive la = length(a), lb = length(b)")
    #expect(ok)
    #expect(out.hasSuffix(",3,2\n"))
    #expect(out.contains("ÿþA"))
  }

  @Test func aTenMegabyteFieldAndTenThousandColumns() {
    _ = file("big.csv", "id,text\n1," + String(repeating: "x", count: 10_000_000) + "\n")
    let (ok1, out1, _) = run("from \"big.csv\" | select n = length(text)")
    #expect(ok1 && out1 == "n\n10000000\n")
    let header = (0..<10_000).map { "c\($0)" }.joined(separator: ",")
    let row = (0..<10_000).map(String.init).joined(separator: ",")
    _ = file("wide.csv", header + "\n" + row + "\n")
    let (ok2, out2, _) = run("from \"wide.csv\" | select c9999, c0")
    #expect(ok2 && out2 == "c9999,c0\n9999,0\n")
  }

  @Test func emptyFilesHeadersAloneAndOddNames() {
    _ = file("empty.csv", "")
    _ = file("header.csv", "a,b\n")
    _ = file("names.csv", "a,a,,b\n1,2,3,4\n")
    let (ok1, out1, _) = run("from \"empty.csv\" | describe")
    #expect(ok1 && out1 == "name,type,count,nulls,distinct,min,max,mean\n")
    let (ok2, out2, _) = run("from \"header.csv\" | group (n = count())")
    #expect(ok2 && out2 == "n\n0\n")
    let (ok3, out3, _) = run("from \"names.csv\"")
    #expect(ok3 && out3 == "a,a_2,column_3,b\n1,2,3,4\n")
  }

  @Test func hugeIntegersInFilesBecomeFloat() {
    _ = file("huge.csv", "x\n99999999999999999999\n1\n")
    let (ok, out, _) = run("from \"huge.csv\" | describe | select name, type")
    #expect(ok && out == "name,type\nx,float\n")
  }

  @Test func malformedJSONLinesNameTheLine() {
    _ = file("bad.jsonl", "{\"a\": 1}\n{\"a\": [1, 2}\n")
    let (ok, _, err) = run("from \"bad.jsonl\"")
    #expect(!ok && err.contains("bad.jsonl:2:"))
  }

  @Test(arguments: [
    (
      String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
      "nested too deeply"
    ),
    (String(repeating: "not ", count: 10_000) + "true", "nested too deeply"),
    ((0..<5000).map { _ in "1" }.joined(separator: " + "), "nested too deeply"),
    ("99999999999999999999", "does not fit in 64 bits"),
    ("9223372036854775807 + 1", "integer overflow in +"),
    ("-9223372036854775807 - 2", "integer overflow in -"),
    ("\"open", "unterminated string"),
    ("nope", "unknown column \"nope\""),
    ("lower(1)", "lower expects text here, found int"),
  ])
  func hostileExpressionsAreErrorsWithAPosition(_ expression: String, _ message: String) {
    let session = Session()
    session.settings.format = .csv
    _ = session.run("let t = from \"\(file("one.csv", "x\n1\n"))\"", sink: BufferSink())
    let (ok, _, err) = execute(session, "t | derive y = \(expression)")
    #expect(!ok)
    #expect(err.contains(message), "\(err.prefix(300))")
    #expect(err.contains(" --> test:1:"))
  }

  @Test func divisionAndModuloByZeroAreNull() {
    _ = file("one.csv", "x\n1\n")
    let (ok, out, _) = run(
      "from \"one.csv\" | select a = 1 / 0, b = x % 0, c = x / 0.0, d = -7 % 3")
    #expect(ok && out == "a,b,c,d\n,,,-1\n")
  }

  @Test func sumOverflowIsAnError() {
    _ = file("two.csv", "x\n9223372036854775807\n1\n")
    let (ok, _, err) = run("from \"two.csv\" | group (s = sum(x))")
    #expect(!ok && err.contains("integer overflow in sum"))
  }

  @Test func takeRules() {
    _ = file("one.csv", "x\n1\n")
    #expect(run("from \"one.csv\" | take -1").2.contains("must not be negative"))
    #expect(run("from \"one.csv\" | take 1000000000000").1 == "x\n1\n")
    #expect(run("from \"one.csv\" | take 1.5").2.contains("must be a whole number"))
  }

  @Test(arguments: [
    ("nope | take 1", "unknown table \"nope\""),
    ("from \"nope.csv\"", "no such file or directory"),
    ("t | bogus", "unknown stage bogus"),
    ("t | derive y = nofun(x)", "unknown function \"nofun\""),
    ("t | filter x == $nope", "parameter $nope is not set"),
    (".nope", "unknown dot command .nope"),
    (".drop nope", "unknown table \"nope\""),
    (".mode nope", "usage: .mode"),
  ])
  func everyUnknownNameIsExplained(_ statement: String, _ message: String) {
    let session = Session()
    _ = session.run("let t = from \"\(file("one.csv", "x\n1\n"))\"", sink: BufferSink())
    let (ok, _, err) = execute(session, statement)
    #expect(!ok)
    #expect(err.contains(message), "\(err)")
  }

  @Test func theCommandExitsOneForEachKindOfMistake() throws {
    for statement in [
      "regions | take -1", "regions | filter 1 / 0 > \"a\"", "nope",
      "regions | derive x = 99999999999999999999",
    ] {
      let (status, out, err) = try runProcess(pantauBinary, ["-c", statement])
      #expect(status == 1, "\(statement)")
      #expect(out.isEmpty)
      #expect(err.hasPrefix("error: "))
    }
  }

  @Test func memoryLimitStopsAnExplodingJoinAndPivotWithTheEstimate() throws {
    let (status, _, err) = try runProcess(
      pantauBinary,
      [
        "--memory-limit", "50M", "-c",
        "scores | join scores on indicator | join scores on indicator",
      ])
    #expect(status == 1)
    #expect(err.contains("the join would make") && err.contains("over the memory limit of 50 MiB"))
    let session = Session()
    session.settings.memoryLimit = 1000
    Builtins.load(into: session)
    let (ok, _, e2) = execute(session, "awards | select region, date, year | pivot date year count")
    #expect(!ok && e2.contains("pivot would make"))
  }
}

/// Nothing lost: a save killed half-way leaves the old file as it was.
struct NothingLostTests {
  @Test func aSaveKilledHalfWayLeavesTheOldFileIntact() throws {
    let dir = temporaryFolder()
    var csv = "k,v\n"
    for i in 0..<6000 { csv += "\(i % 3),\(i)\n" }
    try csv.write(toFile: dir + "/long.csv", atomically: true, encoding: .utf8)
    let old = "the old file\n"
    try old.write(toFile: dir + "/out.csv", atomically: true, encoding: .utf8)
    let child = try Child.start(
      pantauBinary,
      [
        "--no-builtin", "--load", dir + "/long.csv", "-c",
        "long | join long on k | save \"out.csv\"",
      ],
      directory: dir)
    usleep(1_500_000)
    child.kill(SIGKILL)
    child.wait()
    let now = try String(contentsOfFile: dir + "/out.csv", encoding: .utf8)
    if now != old {
      // The save finished before the kill: then the file is whole.
      #expect(now.hasPrefix("k,v,v_long\n") && now.split(separator: "\n").count == 12_000_001)
    }
    #expect(now == old || now.hasSuffix("\n"))
  }
}

/// Inputs the fuzzers found, kept as regression tests.
struct FuzzRegressionTests {
  /// FuzzPipelines: `spark` (and the charts) over infinite or huge values trapped converting
  /// NaN to Int. Every chart and spark now draws them without trapping.
  @Test(arguments: [
    "t | group k (s = spark(x))", "t | bar k x", "t | hist x", "t | trend n x",
    "t | trend d x by k",
    "t | hist x bins 3", "t | bar k n", "t | derive y = x * x | trend n y",
  ])
  func nonFiniteAndHugeValuesDrawWithoutTrapping(_ statement: String) {
    let session = Session()
    session.settings.format = .csv
    let dir = temporaryFolder()
    let csv =
      "k,n,x,d\na,1,1e308,2024-01-01\nb,2,-1e308,2024-01-02\na,3,0.5,2024-01-03\nc,4,,2024-01-04\n"
    _ = FileManager.default.createFile(atPath: dir + "/t.csv", contents: Data(csv.utf8))
    let sink = BufferSink()
    _ = session.run(
      "let t = from \"t.csv\" | derive x = if(n == 3, x * 1e308 * 10, x)", directory: dir,
      sink: sink)
    let (ok, out, err) = execute(session, statement)
    #expect(ok || err.contains("error:"), "\(statement)")
    #expect(!out.isEmpty || !err.isEmpty)
  }
}
