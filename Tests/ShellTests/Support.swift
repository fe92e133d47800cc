import Foundation
import Shell
import Testing

/// The package root, found from this file's path.
let packageRoot: String = {
  var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(3)
  return parts.joined(separator: "/")
}()

/// A fresh temporary folder.
func temporaryFolder() -> String {
  let path = NSTemporaryDirectory() + "pantau-test-" + UUID().uuidString
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// A session over a small `t` table, with csv output.
func makeSession(_ configure: (inout Settings) -> Void = { _ in }) -> Session {
  var settings = Settings()
  settings.format = .csv
  configure(&settings)
  let session = Session(settings: settings)
  let folder = temporaryFolder()
  let csv = "region,year,score\nKota A,2021,58.4\nKota A,2022,63.67\nKab B,2022,\nKab B,2023,80\n"
  _ = FileManager.default.createFile(atPath: folder + "/t.csv", contents: Data(csv.utf8))
  _ = try? session.load(path: folder + "/t.csv")
  return session
}

/// Runs text through a session; returns (ok, stdout, stderr).
func execute(_ session: Session, _ text: String, directory: String = ".") -> (Bool, String, String)
{
  let sink = BufferSink()
  let ok = session.run(text, name: "test", directory: directory, sink: sink)
  session.finish(sink: sink)
  return (ok, sink.output, sink.diagnostics)
}

/// The built `pantau` binary next to the test bundle.
let pantauBinary: String = {
  let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  var dir = testBinary.deletingLastPathComponent()
  while dir.path != "/" {
    let candidate = dir.appendingPathComponent("pantau").path
    if FileManager.default.isExecutableFile(atPath: candidate),
      !candidate.hasSuffix(".xctest")
    {
      return candidate
    }
    dir = dir.deletingLastPathComponent()
  }
  return packageRoot + "/.build/debug/pantau"
}()
