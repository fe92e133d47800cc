import Render
import SQL

#if canImport(Glibc)
  import Glibc
#endif

/// A session's settings, changed by flags and dot commands.
public struct Settings: Sendable {
  /// Result format.
  public var format: OutputFormat = .csv
  /// Output width in columns.
  public var width = 80
  /// Whether the shell sets `width` from the terminal before each statement (`.width auto`).
  public var widthFollowsTerminal = false
  /// The width `.width auto` returns to where no terminal gives one.
  public var autoWidth = 80
  /// Rows shown in box output.
  public var maxRows = 40
  /// Significant digits of floats in box, line and markdown output (0: exact).
  public var digits = 6
  /// Thousands separators in box, line and markdown output.
  public var thousands = false
  /// Box tables with every column and cell whole (`.mode box wide`), through the pager.
  public var boxWide = false
  /// ASCII-only tables and charts.
  public var ascii = false
  /// Charts in ASCII (`.chart ascii`), independent of tables.
  public var asciiCharts = false
  /// ANSI colour.
  public var color = false
  /// Print `time: S s` after each statement.
  public var timer = false
  /// Refuse statements that write files.
  public var safe = false
  /// Carry on after a failed statement in a script.
  public var keepGoing = false
  /// The most memory, in bytes, a load, join or pivot may ask for.
  public var memoryLimit = Settings.defaultMemoryLimit
  /// The dialect `.sql` writes.
  public var sqlDialect: SQLDialect = .duckdb
  /// `--sql DIALECT`: pipelines print their SQL in this dialect instead of running.
  public var sqlOnly: SQLDialect?

  /// 60 % of physical memory (8 GiB when it cannot be read).
  public static var defaultMemoryLimit: Int {
    let pages = sysconf(Int32(_SC_PHYS_PAGES))
    let size = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, size > 0 else { return 8 << 30 }
    return Int(Double(pages) * Double(size) * 0.6)
  }

  /// Parses a size such as `8G`, `512M`, `2.5GiB` or a number of bytes.
  public static func parseSize(_ text: String) -> Int? {
    let t = text.uppercased().replacing("IB", with: "").replacing("B", with: "")
    let units: [(String, Double)] = [
      ("K", 1024), ("M", 1_048_576), ("G", 1_073_741_824), ("T", 1_099_511_627_776),
    ]
    for (suffix, factor) in units where t.hasSuffix(suffix) {
      guard let v = Double(t.dropLast()), v > 0, v * factor < 9e18 else { return nil }
      return Int(v * factor)
    }
    guard let v = Int(t), v > 0 else { return nil }
    return v
  }

  /// Default settings.
  public init() {}

  var renderOptions: RenderOptions {
    RenderOptions(
      width: width, maxRows: maxRows, ascii: ascii, color: color, digits: digits,
      thousands: thousands, wide: boxWide)
  }
}
