import Columnar
import Render

/// The parsed command line of `pantau`.
public struct CommandLineOptions: Sendable {
  /// `-c` statements, in order.
  public var commands: [String] = []
  /// Scripts (`-f` and positional), in order.
  public var scripts: [String] = []
  /// `--format`.
  public var format: OutputFormat?
  /// `--load PATH[=NAME]`.
  public var loads: [(path: String, name: String?)] = []
  /// `--set NAME=VALUE`, in order.
  public var parameters: [(name: String, value: Value)] = []
  public var noBuiltin = false
  public var timer = false
  public var keepGoing = false
  public var ascii = false
  public var width: Int?
  /// `--memory-limit`, in bytes.
  public var memoryLimit: Int?
  public var noRC = false
  public var safe = false
  public var version = false
  public var help = false

  /// An empty set of options.
  public init() {}

  /// Parses arguments (without the program name).
  /// - Throws: `UsageError` for an unknown option or a missing or bad value.
  public static func parse(_ arguments: [String]) throws(UsageError) -> CommandLineOptions {
    var o = CommandLineOptions()
    var i = 0
    var onlyFiles = false
    func value(_ flag: String, _ inline: String?) throws(UsageError) -> String {
      if let inline { return inline }
      i += 1
      guard i < arguments.count else { throw UsageError("\(flag) needs a value") }
      return arguments[i]
    }
    while i < arguments.count {
      let arg = arguments[i]
      if onlyFiles || !arg.hasPrefix("-") || arg == "-" {
        o.scripts.append(arg)
        i += 1
        continue
      }
      var flag = arg
      var inline: String?
      if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
        flag = String(arg[..<eq])
        inline = String(arg[arg.index(after: eq)...])
      }
      switch flag {
      case "--": onlyFiles = true
      case "-c", "--command": o.commands.append(try value(flag, inline))
      case "-f", "--file": o.scripts.append(try value(flag, inline))
      case "--format":
        let v = try value(flag, inline)
        guard let f = OutputFormat(name: v), f != .jsonl else {
          throw UsageError("unknown format \"\(v)\"; use box, csv, tsv, json, markdown or line")
        }
        o.format = f
      case "--load":
        o.loads.append(CommandLineOptions.loadSpec(try value(flag, inline)))
      case "--set":
        let v = try value(flag, inline)
        guard let eq = v.firstIndex(of: "="), eq != v.startIndex else {
          throw UsageError("--set needs NAME=VALUE, got \"\(v)\"")
        }
        o.parameters.append(
          (String(v[..<eq]), ParameterValue.parse(String(v[v.index(after: eq)...]))))
      case "--width":
        let v = try value(flag, inline)
        guard let n = Int(v), (10...10_000).contains(n) else {
          throw UsageError("--width needs a number from 10 to 10000, got \"\(v)\"")
        }
        o.width = n
      case "--memory-limit":
        let v = try value(flag, inline)
        guard let n = Settings.parseSize(v) else {
          throw UsageError("--memory-limit needs a size such as 8G or 512M, got \"\(v)\"")
        }
        o.memoryLimit = n
      case "--no-builtin": o.noBuiltin = true
      case "--timer": o.timer = true
      case "--keep-going": o.keepGoing = true
      case "--ascii": o.ascii = true
      case "--no-rc": o.noRC = true
      case "--safe": o.safe = true
      case "--version", "-V": o.version = true
      case "--help", "-h": o.help = true
      default: throw UsageError("unknown option \(arg)")
      }
      i += 1
    }
    return o
  }

  static func loadSpec(_ v: String) -> (String, String?) {
    if let eq = v.lastIndex(of: "=") {
      let name = String(v[v.index(after: eq)...])
      if Session.isValidName(name) { return (String(v[..<eq]), name) }
    }
    return (v, nil)
  }

  /// The `--help` text.
  public static let usage = """
    usage: pantau [options] [SCRIPT.pantau …]

      pantau                      interactive shell over the built-in tables
      pantau SCRIPT.pantau …      run scripts in order, then exit
      pantau -c 'STATEMENT' …     run statements, then exit
      echo 'STATEMENT' | pantau   read a script from standard input

    options:
      -c, --command TEXT     a statement (or several, one per line); repeatable; runs before scripts
      -f, --file FILE        a script; repeatable
      --format FORMAT        box, csv, tsv, json, markdown or line (default: box on a terminal, else csv)
      --load PATH[=NAME]     load a CSV, TSV or JSON-lines file, or a folder of them; repeatable
      --no-builtin           start without the built-in tables
      --timer                print "time: SECONDS s" on stderr after each statement
      --keep-going           in scripts, carry on after a failed statement (exit status is still 1)
      --ascii                tables and charts in ASCII only
      --width N              output width (default: the terminal's, else 80)
      --set NAME=VALUE       give the script parameter $NAME a value; repeatable
      --no-rc                do not run ~/.pantaurc
      --safe                 refuse every statement that writes a file
      --memory-limit SIZE    the most memory a load, join or pivot may use (default: 60% of RAM)
      --version, --help

    exit status: 0 all statements succeeded, 1 one failed, 2 usage error.

    """
}

/// A mistake on the command line (exit status 2).
public struct UsageError: Error, Sendable {
  /// What is wrong.
  public var message: String
  /// Makes one.
  public init(_ message: String) { self.message = message }
}
