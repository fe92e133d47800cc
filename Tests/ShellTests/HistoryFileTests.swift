import Foundation
import Testing

@testable import Shell

struct HistoryFileTests {
  @Test(arguments: ["t | take 1", "t |\n  filter x == \"a\\nb\"", "back\\slash", "tab\there", ""])
  func entriesRoundTrip(_ entry: String) {
    let line = HistoryFile.encode(entry)
    #expect(!line.contains("\n"))
    #expect(HistoryFile.decode(line[...]) == entry)
  }

  @Test func appendsKeepEveryEntryWholeAcrossWriters() async throws {
    let path = temporaryFolder() + "/state/pantau/history"
    await withTaskGroup(of: Void.self) { group in
      for w in 0..<4 {
        group.addTask {
          let file = HistoryFile(path: path)
          for i in 0..<50 { file.append("writer \(w) line \(i) |\n  take \(i)") }
        }
      }
    }
    let entries = HistoryFile(path: path).load(limit: 1000)
    #expect(entries.count == 200)
    #expect(entries.allSatisfy { $0.hasPrefix("writer ") && $0.contains(" |\n  take ") })
    #expect(HistoryFile(path: path).load(limit: 10).count == 10)
  }

  @Test func defaultPathFollowsXDG() {
    #expect(
      HistoryFile.defaultPath { $0 == "XDG_STATE_HOME" ? "/x" : "/home/a" } == "/x/pantau/history")
    #expect(
      HistoryFile.defaultPath { $0 == "HOME" ? "/home/a" : nil }
        == "/home/a/.local/state/pantau/history")
  }
}
