import Foundation
import Testing

@testable import Shell

/// Every `.help` example runs on the built-in tables.
struct HelpTests {
  @Test(arguments: Help.topics.map(\.name))
  func exampleRuns(_ name: String) throws {
    let topic = try #require(Help.topics.first { $0.name == name })
    let session = Session()
    session.settings.format = .csv
    session.settings.safe =
      topic.example.contains("save") || topic.example.hasPrefix(".once")
      || topic.example.hasPrefix(".output")
    Builtins.load(into: session)
    let dir = temporaryFolder()
    try "x,y\n1,2\n".write(toFile: dir + "/data.csv", atomically: true, encoding: .utf8)
    try "x,y\n1,2\n".write(toFile: dir + "/mine.csv", atomically: true, encoding: .utf8)
    let setup = ".load \"\(dir)/mine.csv\"\nregions | take 1\n"
    let sink = BufferSink()
    let folder = topic.example.hasPrefix(".read") ? packageRoot : dir
    let ok = session.run(setup + topic.example, name: "help", directory: folder, sink: sink)
    if session.settings.safe {
      #expect(sink.diagnostics.contains("refused in --safe mode"), "\(name)")
    } else {
      #expect(ok, "\(name): \(topic.example)\n\(sink.diagnostics)")
    }
    #expect(!Help.text(topic: name).hasPrefix("no help"), "\(name)")
  }

  @Test func everyDotCommandHasATopicAndIsListed() {
    let overview = Help.text(topic: nil)
    let listing = Help.text(topic: "dot")
    for name in DotCommandName.allCases.map({ "." + $0.rawValue }) {
      #expect(Help.dots.contains { $0.name == name }, "\(name) has no topic")
      #expect(overview.contains(name + " ") || overview.contains(name + "\n"), "\(name)")
      #expect(listing.contains("  " + name), "\(name)")
    }
  }

  @Test func overviewNamesEveryStage() {
    let overview = Help.text(topic: nil)
    for stage in [
      "filter", "select", "derive", "group", "rank", "top", "join", "pivot", "describe",
    ] {
      #expect(overview.contains(stage))
    }
    #expect(Help.text(topic: "nonsense").hasPrefix("no help"))
  }
}
