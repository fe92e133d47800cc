import Render

/// A session's settings, changed by flags and dot commands.
public struct Settings: Sendable {
  /// Result format.
  public var format: OutputFormat = .csv
  /// Output width in columns.
  public var width = 80
  /// Rows shown in box output.
  public var maxRows = 40
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

  /// Default settings.
  public init() {}

  var renderOptions: RenderOptions {
    RenderOptions(width: width, maxRows: maxRows, ascii: ascii, color: color)
  }
}
