import Foundation
import Testing

/// The interactive shell in a real pseudo-terminal (tmux): keystrokes in, screen out.
@Suite(.serialized)
struct TerminalTests {
  /// One pantau shell running in its own tmux session, with its own state folder.
  final class Screen {
    let name = "pantau-test-\(UUID().uuidString.prefix(8))"
    let home = temporaryFolder()
    let tmux = "/usr/bin/tmux"
    /// The tests' own tmux server, apart from any the user runs.
    let socket = "pantau-tests"

    /// `pipe` follows the command, e.g. `> out.txt` for a shell whose stdout is a file.
    init(arguments: String = "--no-rc", rc: String? = nil, pipe: String = "") throws {
      let data = home + "/long.csv"
      var csv = "k,v\n"
      for i in 0..<12000 { csv += "\(i % 3),\(i)\n" }
      try csv.write(toFile: data, atomically: true, encoding: .utf8)
      if let rc { try rc.write(toFile: home + "/.pantaurc", atomically: true, encoding: .utf8) }
      let command =
        "cd \(home) && HOME=\(home) XDG_STATE_HOME=\(home)/state TERM=xterm \(pantauBinary) "
        + "\(arguments) --load long.csv \(pipe); echo EXIT=$?; sleep 30"
      // When the last test's session closed, the tests' tmux server exits (it has no
      // session left); a client that reaches it while it goes is told "server exited
      // unexpectedly" (seen once in CI). It is tried again, and then starts a new server.
      var attempts = 0
      while true {
        do {
          try run(["new-session", "-d", "-s", name, "-x", "100", "-y", "40", command])
          break
        } catch let error as TmuxError
          where error.message.contains("server exited unexpectedly") && attempts < 5
        {
          attempts += 1
          usleep(200_000)
        }
      }
      _ = try waitFor("pantau>")
    }

    deinit { _ = try? run(["kill-session", "-t", name]) }

    @discardableResult
    func run(_ args: [String]) throws -> String {
      let (status, out, err) = try runProcess(tmux, ["-L", socket] + args, timeout: 20)
      if status != 0 { throw TmuxError(message: err) }
      return out
    }

    func send(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }

    func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }

    var text: String { (try? run(["capture-pane", "-t", name, "-p", "-S", "-200"])) ?? "" }

    /// Waits (up to about 10 s) until the screen holds `expected`; returns the screen.
    func waitFor(_ expected: String, after: String = "") throws -> String {
      for _ in 0..<200 {
        let screen = text
        let tail =
          after.isEmpty
          ? screen : screen.components(separatedBy: after).dropFirst().joined(separator: after)
        if tail.contains(expected) { return screen }
        usleep(50_000)
      }
      throw TmuxError(message: "the screen never showed \(expected):\n\(text)")
    }
  }

  struct TmuxError: Error { var message: String }

  @Test func completesATableName() throws {
    let s = try Screen()
    try s.type("reg")
    try s.send("Tab")
    _ = try s.waitFor("pantau> regions")
  }

  @Test func completesAColumnAfterFilterAndOneMadeByDerive() throws {
    let s = try Screen()
    try s.type("regions | filter ty")
    try s.send("Tab")
    _ = try s.waitFor("filter type")
    try s.send("C-u")
    try s.type("regions | derive zz_top = code * 2 | filter zz")
    try s.send("Tab")
    _ = try s.waitFor("filter zz_top")
  }

  @Test func upRecallsTheLastStatementAndContinuationWorks() throws {
    let s = try Screen()
    try s.type("regions |")
    try s.send("Enter")
    _ = try s.waitFor("   ...>")
    try s.type("  group type")
    try s.send("Enter")
    _ = try s.waitFor("3 rows")
    try s.send("Up")
    _ = try s.waitFor("  group type", after: "3 rows")
  }

  @Test func anErrorLeavesTheShellRunning() throws {
    let s = try Screen()
    try s.type("regions | filter nmae == 1")
    try s.send("Enter")
    _ = try s.waitFor("did you mean \"name\"?")
    try s.type("regions | group type")
    try s.send("Enter")
    _ = try s.waitFor("3 rows")
  }

  @Test func ctrlCCancelsALongSelfJoinAndClearsThePrompt() throws {
    let s = try Screen()
    try s.type("long | join long on k | group (n = count())")
    try s.send("Enter")
    usleep(500_000)
    try s.send("C-c")
    _ = try s.waitFor("cancelled")
    _ = try s.waitFor("pantau>", after: "cancelled")
    try s.type("half typed")
    _ = try s.waitFor("half typed")
    try s.send("C-c")
    usleep(200_000)
    try s.type("long | group k")
    try s.send("Enter")
    let screen = try s.waitFor("3 rows")
    #expect(!screen.contains("half typedlong"))
  }

  @Test func ctrlDExitsZeroWithTheHistoryWritten() throws {
    let s = try Screen()
    try s.type("regions |")
    try s.send("Enter")
    try s.type("  take 1")
    try s.send("Enter")
    _ = try s.waitFor("1 row")
    try s.send("C-d")
    _ = try s.waitFor("EXIT=0")
    let history = try String(contentsOfFile: s.home + "/state/pantau/history", encoding: .utf8)
    #expect(history == "regions |\\n  take 1\n")
  }

  @Test func historySurvivesAKilledShell() throws {
    let s = try Screen()
    try s.type("regions | take 2")
    try s.send("Enter")
    _ = try s.waitFor("2 rows")
    try s.type("regions |")
    try s.send("Enter")
    try s.type("  group type")
    try s.send("Enter")
    _ = try s.waitFor("3 rows")
    let panePID = try s.run(["display-message", "-p", "-t", s.name, "#{pane_pid}"])
      .trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try runProcess("/usr/bin/pkill", ["-KILL", "-P", panePID, "pantau"])
    _ = try s.waitFor("EXIT=137")
    let history = try String(contentsOfFile: s.home + "/state/pantau/history", encoding: .utf8)
    #expect(history == "regions | take 2\nregions |\\n  group type\n")
  }

  @Test func rcRunsFirstAndItsErrorsDoNotStopTheShell() throws {
    let s = try Screen(arguments: "", rc: ".mode csv\nnonsense | take 1\n")
    _ = try s.waitFor("unknown table \"nonsense\"")
    try s.type("regions | take 1")
    try s.send("Enter")
    _ = try s.waitFor("code,name,type,province_code,province")
  }

  @Test func withStdoutPipedThePromptStaysOnTheTerminalAndStdoutGetsResultsOnly() throws {
    let s = try Screen(pipe: "> out.txt")
    try s.type("regions | take 1")
    try s.send("Enter")
    try s.type(".mode box")
    try s.send("Enter")
    try s.type("regions | take 1 | select code")
    try s.send("Enter")
    try s.send("C-d")
    _ = try s.waitFor("EXIT=0")
    let out = try String(contentsOfFile: s.home + "/out.txt", encoding: .utf8)
    #expect(out.hasPrefix("code,name,type,province_code,province,island,source\n11,Aceh,"))
    #expect(out.contains("│ code │") && out.hasSuffix("1 row\n"))
    #expect(!out.contains("pantau>") && !out.contains("\u{1B}"), "\(out)")
  }

  @Test func ctrlCStopsALargeResultBeingWritten() throws {
    // The reader ignores Ctrl-C and waits 4 s before draining, so pantau is blocked in the
    // middle of writing when Ctrl-C comes.
    let s = try Screen(pipe: "| (trap '' INT; sleep 4; cat > out.csv)")
    try s.type("long | append long | append long | append long | append long | append long")
    try s.send("Enter")
    usleep(700_000)
    try s.send("C-c")
    _ = try s.waitFor("cancelled")
    try s.send("C-d")
    _ = try s.waitFor("EXIT=0")
    let out = try String(contentsOfFile: s.home + "/out.csv", encoding: .utf8)
    let full = 1 + 6 * 12000
    #expect(out.split(separator: "\n").count < full / 2)
  }

  @Test func aColumnWithASpaceCompletesInsideBackticks() throws {
    let s = try Screen()
    try s.type("long | select `nama daerah` = k | sort `nama d")
    try s.send("Tab")
    _ = try s.waitFor("sort `nama daerah`")
    try s.send("C-u")
    try s.type("long | select `nama daerah` = k | sort nam")
    try s.send("Tab")
    try s.type("| take 1")
    try s.send("Enter")
    _ = try s.waitFor("1 row", after: "sort `nama daerah` | take 1")
  }

  @Test func onceInTheShellWritesThePlainFormatOfTheFileName() throws {
    let s = try Screen()
    try s.type(".once top.csv")
    try s.send("Enter")
    try s.type("regions | take 2 | select code, name")
    try s.send("Enter")
    try s.type("regions | take 1 | select code")
    try s.send("Enter")
    _ = try s.waitFor("1 row")
    let file = try String(contentsOfFile: s.home + "/top.csv", encoding: .utf8)
    #expect(file == "code,name\n11,Aceh\n1101,Kabupaten Aceh Selatan\n")
  }
}
