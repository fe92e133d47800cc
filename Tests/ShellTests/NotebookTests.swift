import Foundation
import Language
import Shell
import Testing

/// Every notebook runs through a session with the built-in tables and fixed settings and
/// must reproduce its recorded transcript. `RECORD_GOLDENS=1 swift test` re-records them and
/// fails, so that nobody misses the change.
struct NotebookTests {
  static let notebooks: [String] = {
    let dir = packageRoot + "/Notebooks"
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return files.filter { $0.hasSuffix(".pantau") }.sorted()
  }()

  @Test func thereAreAtLeastSixNotebooks() {
    #expect(NotebookTests.notebooks.count >= 6)
  }

  /// With the fast planner and with the general one: the same transcript.
  @Test(arguments: notebooks, Planner.Mode.allCases)
  func notebookReproducesItsTranscript(_ name: String, _ mode: Planner.Mode) throws {
    let path = packageRoot + "/Notebooks/" + name
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let session = Session(settings: Transcript.settings)
    session.planner = Planner(mode: mode)
    Builtins.load(into: session)
    let transcript = Transcript.record(
      SourceText(name: "Notebooks/" + name, text: text, directory: packageRoot + "/Notebooks"),
      session: session)
    let golden = String(path.dropLast(".pantau".count)) + ".out"
    if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1", mode == .fast {
      try transcript.write(toFile: golden, atomically: true, encoding: .utf8)
      Issue.record("re-recorded \(golden); review the diff and run the tests again")
      return
    }
    let expected = try String(contentsOfFile: golden, encoding: .utf8)
    #expect(
      transcript == expected,
      "\(name) (\(mode) plan) differs from its recording; RECORD_GOLDENS=1 re-records")
    #expect(!transcript.contains("error:"), "\(name) has an error")
  }
}
