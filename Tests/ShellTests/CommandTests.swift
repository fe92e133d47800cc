import Foundation
import Testing

/// The built binary, as a user runs it: exit status, stdout and stderr kept apart.
struct CommandTests {
  let csv: String = {
    let dir = temporaryFolder()
    let path = dir + "/d.csv"
    try? "k,v\na,1\nb,2\n".write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }()

  @Test func statementsFromDashC() throws {
    let (status, out, err) = try runProcess(
      pantauBinary, ["--no-builtin", "--load", csv, "-c", "d | filter v > 1"])
    #expect(status == 0)
    #expect(out == "k,v\nb,2\n")
    #expect(err == "")
  }

  @Test func aFailedStatementExitsOneWithTheErrorOnStderr() throws {
    let (status, out, err) = try runProcess(
      pantauBinary, ["--no-builtin", "--load", csv, "-c", "d | take 1\nd | filter w > 1\nd"])
    #expect(status == 1)
    #expect(out == "k,v\na,1\n")
    #expect(err.hasPrefix("error: unknown column \"w\"\n --> <command>:2:12\n"))
  }

  @Test func keepGoingRunsTheRestButStillExitsOne() throws {
    let (status, out, _) = try runProcess(
      pantauBinary,
      ["--no-builtin", "--keep-going", "--load", csv, "-c", "d | filter w > 1\nd | take 1"])
    #expect(status == 1)
    #expect(out == "k,v\na,1\n")
  }

  @Test func usageErrorsExitTwo() throws {
    #expect(try runProcess(pantauBinary, ["--bogus"]).0 == 2)
    #expect(try runProcess(pantauBinary, ["/no/such/script.pantau"]).0 == 2)
    #expect(try runProcess(pantauBinary, ["--load", "/no/such.csv", "-c", "1"]).0 == 2)
    let (_, _, err) = try runProcess(pantauBinary, ["--format", "xml"])
    #expect(err.contains("unknown format"))
  }

  @Test func loadTakesTheOptionsOfDotLoad() throws {
    let dir = temporaryFolder()
    try "Laporan\nkode;nilai\n0101;-\n0202;7,5\n".write(
      toFile: dir + "/n.txt", atomically: true, encoding: .utf8)
    let (status, out, err) = try runProcess(
      pantauBinary,
      [
        "--no-builtin", "--load", dir + "/n.txt=n (delim ';', decimal ',', skip 1, nulls ('-'))",
        "-c", "n | filter nilai > 1",
      ])
    #expect(status == 0, "\(err)")
    #expect(out == "kode,nilai\n0202,7.5\n")
    let (bad, _, err2) = try runProcess(
      pantauBinary, ["--no-builtin", "--load", dir + "/n.txt (delim)", "-c", "1"])
    #expect(bad == 2 && err2.contains("delim takes"))
  }

  @Test func scriptOnStdinAndFormats() throws {
    let (status, out, _) = try runProcess(
      pantauBinary, ["--no-builtin", "--load", "\(csv)=x", "--format", "json"],
      input: "x | take 1\n")
    #expect(status == 0)
    #expect(out == "[\n  {\"k\":\"a\",\"v\":1}\n]\n")
  }

  @Test func scriptFilesRunInOrderWithParameters() throws {
    let dir = temporaryFolder()
    try "k,v\na,1\nb,2\n".write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
    try "from \"d.csv\" | filter v == $v | select k\n".write(
      toFile: dir + "/q.pantau", atomically: true, encoding: .utf8)
    let (status, out, err) = try runProcess(
      pantauBinary, ["--no-builtin", "--set", "v=2", dir + "/q.pantau", "-f", dir + "/q.pantau"])
    #expect(status == 0, "\(err)")
    #expect(out == "k\nb\n\nk\nb\n")
  }

  @Test func timerAndSafeMode() throws {
    let dir = temporaryFolder()
    let (status, out, err) = try runProcess(
      pantauBinary,
      ["--no-builtin", "--safe", "--timer", "--load", csv, "-c", "d | save \"x.csv\""],
      directory: dir)
    #expect(status == 1)
    #expect(out == "")
    #expect(err.contains("refused in --safe mode"))
    #expect(err.contains("time: "))
    #expect(!FileManager.default.fileExists(atPath: dir + "/x.csv"))
  }

  @Test func versionAndHelp() throws {
    #expect(try runProcess(pantauBinary, ["--version"]).1.hasPrefix("pantau "))
    #expect(try runProcess(pantauBinary, ["--help"]).1.contains("--keep-going"))
  }
}
