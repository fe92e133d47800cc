import ArgumentParser
import Columnar
import Language
import Render
import SQL

/// The parsed command line of `pantau`.
public struct CommandLineOptions: Sendable {
  /// `-c` statements, in order.
  public var commands: [String] = []
  /// Scripts (`-f` and positional), in order.
  public var scripts: [String] = []
  /// `--format`.
  public var format: OutputFormat?
  /// `--load PATH[=NAME] [(OPTIONS)]`.
  public var loads: [(path: String, name: String?, options: ReadOptions)] = []
  /// `--set NAME=VALUE`, in order.
  public var parameters: [(name: String, value: Value)] = []
  public var noBuiltin = false
  public var timer = false
  public var keepGoing = false
  public var ascii = false
  public var width: Int?
  /// `--memory-limit`, in bytes.
  public var memoryLimit: Int?
  /// `--sql DIALECT`: print each pipeline's SQL instead of running it.
  public var sql: SQLDialect?
  /// `--connect URL`: a PostgreSQL server whose tables pipelines can read.
  public var connect: String?
  public var noRC = false
  public var safe = false
  public var version = false
  public var help = false

  /// An empty set of options.
  public init() {}

  /// Text to print on stdout before exiting with status 0 (`--help`, or
  /// `--generate-completion-script SHELL`), when the arguments ask for it.
  public var exitMessage: String?

  /// Parses arguments (without the program name) with swift-argument-parser.
  /// - Throws: `UsageError` for an unknown option or a missing or bad value.
  public static func parse(_ arguments: [String]) throws(UsageError) -> CommandLineOptions {
    let parsed: Arguments
    do {
      parsed = try Arguments.parse(arguments)
    } catch {
      if Arguments.exitCode(for: error) == .success {
        var o = CommandLineOptions()
        let text = Arguments.fullMessage(for: error)
        o.exitMessage = text.hasSuffix("\n") ? text : text + "\n"
        o.help = true
        return o
      }
      throw UsageError(Arguments.message(for: error))
    }
    var o = CommandLineOptions()
    o.commands = parsed.command
    o.scripts = ordered(arguments, files: parsed.file, positional: parsed.scripts)
    if let f = parsed.format {
      guard let format = OutputFormat(name: f) else {
        throw UsageError(
          "unknown format \"\(f)\"; use box, csv, tsv, json, jsonl, markdown or line")
      }
      o.format = format
    }
    for v in parsed.load { o.loads.append(try loadSpec(v)) }
    for v in parsed.set {
      guard let eq = v.firstIndex(of: "="), eq != v.startIndex else {
        throw UsageError("--set needs NAME=VALUE, got \"\(v)\"")
      }
      o.parameters.append(
        (String(v[..<eq]), ParameterValue.parse(String(v[v.index(after: eq)...]))))
    }
    if let v = parsed.width {
      guard let n = Int(v), (10...10_000).contains(n) else {
        throw UsageError("--width needs a number from 10 to 10000, got \"\(v)\"")
      }
      o.width = n
    }
    if let v = parsed.memoryLimit {
      guard let n = Settings.parseSize(v) else {
        throw UsageError("--memory-limit needs a size such as 8G or 512M, got \"\(v)\"")
      }
      o.memoryLimit = n
    }
    if let v = parsed.sql {
      guard let d = SQLDialect(name: v) else {
        throw UsageError(
          "unknown SQL dialect \"\(v)\"; use "
            + SQLDialect.allCases.map(\.rawValue).joined(separator: ", "))
      }
      o.sql = d
    }
    o.connect = parsed.connect
    o.noBuiltin = parsed.noBuiltin
    o.timer = parsed.timer
    o.keepGoing = parsed.keepGoing
    o.ascii = parsed.ascii
    o.noRC = parsed.noRc
    o.safe = parsed.safe
    o.version = parsed.version
    return o
  }

  /// Scripts given with `-f` and as positional arguments, in the order they were written
  /// (the parser keeps each kind's order, not their order between them).
  static func ordered(_ arguments: [String], files: [String], positional: [String]) -> [String] {
    var out: [String] = []
    var (f, p) = (0, 0)
    var i = 0
    var onlyPositional = false
    let takesValue: Set<String> = [
      "-c", "--command", "--format", "--load", "--set", "--width", "--memory-limit", "--sql",
      "--connect",
    ]
    while i < arguments.count {
      let a = arguments[i]
      if !onlyPositional && a == "--" {
        onlyPositional = true
      } else if !onlyPositional && (a == "-f" || a == "--file"), f < files.count {
        out.append(files[f])
        f += 1
        i += 1
      } else if !onlyPositional && a.hasPrefix("--file="), f < files.count {
        out.append(files[f])
        f += 1
      } else if !onlyPositional && takesValue.contains(a) {
        i += 1
      } else if (onlyPositional || a == "-" || !a.hasPrefix("-")), p < positional.count {
        out.append(positional[p])
        p += 1
      }
      i += 1
    }
    return out + files[f...] + positional[p...]
  }

  /// `PATH[=NAME]`, then optionally the options `.load` takes, in parentheses:
  /// `--load "nilai.csv=n (delim ';', skip 2)"`.
  static func loadSpec(_ raw: String) throws(UsageError) -> (String, String?, ReadOptions) {
    var v = raw
    var options = ReadOptions()
    let source = SourceText(name: "--load", text: raw)
    if raw.hasSuffix(")"), let open = Session.optionsStart(source, from: 0, to: raw.utf8.count) {
      do throws(Diagnostic) {
        var parser = Parser(source, range: open..<raw.utf8.count)
        options = try FileOptions.read(try parser.parseFileOptions())
      } catch {
        throw UsageError(
          "--load \(raw): "
            + DiagnosticRenderer().render(error, in: source).dropFirst("error: ".count))
      }
      v = String(decoding: Array(raw.utf8)[..<open], as: UTF8.self)
      while v.hasSuffix(" ") { v.removeLast() }
    }
    if let eq = v.lastIndex(of: "=") {
      let name = String(v[v.index(after: eq)...])
      if Session.isValidName(name) { return (String(v[..<eq]), name, options) }
    }
    return (v, nil, options)
  }

  /// The `--help` text, as swift-argument-parser writes it from the options below.
  public static var usage: String { Arguments.helpMessage() + "\n" }
}

/// The options as swift-argument-parser declares them; `CommandLineOptions.parse` turns them
/// into the checked, typed options.
struct Arguments: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pantau",
    abstract: "An analytics shell and script runner for Indonesian public-service data.",
    usage: """
      pantau                      interactive shell over the built-in tables
      pantau SCRIPT.pantau …      run scripts in order, then exit
      pantau -c 'STATEMENT' …     run statements, then exit
      echo 'STATEMENT' | pantau   read a script from standard input
      """,
    discussion: """
      Exit status: 0 when every statement succeeded, 1 when one failed, 2 for a usage error.

      Shell completion: pantau --generate-completion-script bash|zsh|fish (see the README).
      """)

  @Option(
    name: [.customShort("c"), .long],
    help: ArgumentHelp(
      "A statement (or several, one per line); repeatable; runs before scripts.",
      valueName: "text"))
  var command: [String] = []

  @Option(
    name: [.customShort("f"), .long],
    help: ArgumentHelp(
      "A script; repeatable; the same as a positional argument.", valueName: "file"),
    completion: .file(extensions: ["pantau"]))
  var file: [String] = []

  @Option(
    help: ArgumentHelp(
      "box, csv, tsv, json, markdown or line (default: box on a terminal, else csv).",
      valueName: "format"),
    completion: .list(["box", "csv", "tsv", "json", "markdown", "line"]))
  var format: String?

  @Option(
    help: ArgumentHelp(
      "Load a file (CSV, TSV, JSON, xlsx, .gz/.zst), a folder or a pattern as table NAME, "
        + "with .load's options in parentheses; repeatable.",
      valueName: "path[=name] [(options)]"),
    completion: .file())
  var load: [String] = []

  @Flag(help: "Start without the built-in tables.")
  var noBuiltin = false

  @Flag(help: "Print \"time: SECONDS s\" on stderr after each statement.")
  var timer = false

  @Flag(help: "In scripts, carry on after a failed statement (the exit status is still 1).")
  var keepGoing = false

  @Flag(help: "Tables and charts in ASCII only.")
  var ascii = false

  @Option(help: ArgumentHelp("Output width (default: the terminal's, else 80).", valueName: "n"))
  var width: String?

  @Option(
    help: ArgumentHelp(
      "Give the script parameter $NAME a value; repeatable.", valueName: "name=value"))
  var set: [String] = []

  @Flag(help: "Do not run ~/.pantaurc.")
  var noRc = false

  @Flag(help: "Refuse every statement that writes a file.")
  var safe = false

  @Option(
    help: ArgumentHelp(
      "The most memory a load, join or pivot may use, e.g. 8G (default: 60% of RAM).",
      valueName: "size"))
  var memoryLimit: String?

  @Option(
    help: ArgumentHelp(
      "Print the SQL of each pipeline in this dialect (duckdb, postgres, sqlite, spark) "
        + "instead of running it.", valueName: "dialect"),
    completion: .list(SQLDialect.allCases.map(\.rawValue)))
  var sql: String?

  @Option(
    help: ArgumentHelp(
      "Connect to a PostgreSQL server (postgres://user@host:port/db or 'host=… dbname=…'); "
        + "its tables can be read by name and pipelines over them run there. "
        + "The password comes from PGPASSWORD or ~/.pgpass.", valueName: "url"))
  var connect: String?

  @Flag(name: [.customShort("V"), .long], help: "Print the version.")
  var version = false

  @Argument(
    help: ArgumentHelp("Scripts to run in order (- is standard input).", valueName: "script"),
    completion: .file(extensions: ["pantau"]))
  var scripts: [String] = []
}

/// A mistake on the command line (exit status 2).
public struct UsageError: Error, Sendable {
  /// What is wrong.
  public var message: String
  /// Makes one.
  public init(_ message: String) { self.message = message }
}
