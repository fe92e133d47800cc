import CReadline
import Columnar
import Language
import Render
import Shell

#if canImport(Glibc)
  import Glibc
#endif

/// The version printed by `--version` and the banner.
let version = "0.1.0"

func fail(usage message: String) -> Never {
  StandardSink.put("pantau: error: \(message)\nTry 'pantau --help'.\n", to: STDERR_FILENO)
  exit(2)
}

// Columns of millions of rows are allocated and freed by every statement: they are served
// from the heap and kept there for reuse instead of being mapped and zeroed anew each time
// (`Allocator` says why); the shell gives them back while it waits at its prompt.
Allocator.keepFreedMemory()

let options: CommandLineOptions
do {
  options = try CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
  fail(usage: error.message)
}
if options.help {
  StandardSink.put(options.exitMessage ?? CommandLineOptions.usage, to: STDOUT_FILENO)
  exit(0)
}
if options.version {
  StandardSink.put("pantau \(version)\n", to: STDOUT_FILENO)
  exit(0)
}

let stdoutIsTerminal = Terminal.isTerminal(STDOUT_FILENO)
var settings = Settings()
settings.format = options.format ?? (stdoutIsTerminal ? .box : .csv)
settings.width = options.width ?? (stdoutIsTerminal ? Terminal.width() : nil) ?? 80
settings.autoWidth = (stdoutIsTerminal ? Terminal.width() : nil) ?? 80
settings.ascii = options.ascii
settings.color = stdoutIsTerminal && Terminal.environment("NO_COLOR") == nil
settings.timer = options.timer
settings.keepGoing = options.keepGoing
settings.safe = options.safe
if let limit = options.memoryLimit { settings.memoryLimit = limit }
settings.sqlOnly = options.sql

let session = Session(settings: settings, cancellation: interrupt)
let sink = StandardSink()
if !options.noBuiltin { Builtins.load(into: session) }
for (name, value) in options.parameters { session.catalog.parameters[name] = value }
for spec in options.loads {
  do throws(EngineError) {
    for line in try session.load(path: spec.path, as: spec.name, options: spec.options)
    where !line.hasPrefix("loaded ") {
      StandardSink.put(line + "\n", to: STDERR_FILENO)
    }
  } catch {
    // A file that is not there is a usage error (2); one that cannot be read, a failed
    // statement (1), as a failed .load would be.
    if case .io = error { fail(usage: error.message) }
    StandardSink.put("error: \(error.message)\n", to: STDERR_FILENO)
    exit(1)
  }
}
Terminal.installInterruptHandler()
if let url = options.connect {
  do throws(Diagnostic) {
    try session.connect(to: url, sink: sink)
  } catch {
    StandardSink.put(
      DiagnosticRenderer(color: false).render(error, in: nil), to: STDERR_FILENO)
    exit(1)
  }
}

func readScript(_ path: String) -> SourceText {
  if path == "-" {
    return SourceText(name: "<stdin>", text: readStandardInput())
  }
  let bytes: [UInt8]
  do throws(EngineError) {
    bytes = try TableReader.readBytes(path)
  } catch {
    fail(usage: "cannot read script \"\(path)\": \(error.message)")
  }
  let dir = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
  return SourceText(name: path, text: String(decoding: bytes, as: UTF8.self), directory: dir)
}

/// All of standard input (a pipe or a file).
func readStandardInput() -> String {
  do throws(EngineError) {
    return String(decoding: try TableReader.readBytes("/dev/stdin"), as: UTF8.self)
  } catch {
    fail(usage: "cannot read standard input: \(error.message)")
  }
}

if !options.commands.isEmpty || !options.scripts.isEmpty {
  let scripts = options.scripts.map(readScript)
  var ok = true
  for c in options.commands where ok || settings.keepGoing {
    ok = session.run(SourceText(name: "<command>", text: c), sink: sink) && ok
    if session.quitRequested { break }
  }
  for s in scripts where (ok || settings.keepGoing) && !session.quitRequested {
    ok = session.run(s, sink: sink) && ok
  }
  session.finish(sink: sink)
  exit(ok ? 0 : 1)
}

if !Terminal.isTerminal(STDIN_FILENO) {
  let ok = session.run(SourceText(name: "<stdin>", text: readStandardInput()), sink: sink)
  session.finish(sink: sink)
  exit(ok ? 0 : 1)
}

if !options.noRC, let home = Terminal.environment("HOME") {
  let rc = home + "/.pantaurc"
  if access(rc, R_OK) == 0 {
    var rcSettings = session.settings
    rcSettings.keepGoing = true
    let saved = session.settings
    session.settings = rcSettings
    let bytes = (try? TableReader.readBytes(rc)) ?? []
    session.run(
      SourceText(name: rc, text: String(decoding: bytes, as: UTF8.self), directory: home),
      sink: sink)
    session.settings.keepGoing = saved.keepGoing
  }
}
let tableCount = session.catalog.tableNames.count
sink.diagnostic(
  "pantau \(version) · \(tableCount) tables (\(session.catalog.tableNames.joined(separator: ", "))) · .help for help\n"
)
let history = HistoryFile.defaultPath(environment: Terminal.environment).map(HistoryFile.init)
let reader = ReadlineReader(history: history) { text in
  var completion = Completion(
    catalog: session.catalog, directory: ".", listFiles: FolderListing.list)
  completion.readFile = session.rememberedFiles
  return completion.complete(text)
}
sink.pager = true
var repl = Repl(session: session, reader: reader, sink: sink)
session.settings.widthFollowsTerminal = options.width == nil
repl.beforeStatement = {
  if session.settings.widthFollowsTerminal, let w = Terminal.width() {
    session.settings.width = w
  }
}
repl.run()
exit(0)
