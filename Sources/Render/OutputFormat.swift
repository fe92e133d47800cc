import Columnar

/// The result formats.
public enum OutputFormat: String, Sendable, CaseIterable {
  case box, csv, tsv, json, jsonl, markdown, line

  /// Parses a format name (`md` is markdown).
  public init?(name: String) {
    if name == "md" {
      self = .markdown
      return
    }
    self.init(rawValue: name)
  }

  /// The format a file is written in, by its extension (csv, tsv, json, jsonl, md).
  public static func forFile(_ path: String) -> OutputFormat? {
    switch FileFormat.byExtension(path) {
    case .csv: .csv
    case .tsv: .tsv
    case .json: .json
    case .jsonl: .jsonl
    case .markdown: .markdown
    case nil: nil
    }
  }
}

/// How tables are drawn.
public struct RenderOptions: Sendable {
  /// The output width in columns.
  public var width: Int
  /// At most this many rows in box output.
  public var maxRows: Int
  /// ASCII instead of Unicode box drawing.
  public var ascii: Bool
  /// ANSI colour (only on a terminal with NO_COLOR unset).
  public var color: Bool
  /// Significant digits of floats in human formats (box, line, markdown); 0 shows the exact
  /// shortest round-trip form, as csv, tsv and json always do.
  public var digits: Int
  /// Thousands separators in numbers in human formats.
  public var thousands: Bool
  /// Box tables keep every column and every cell whole, however wide (for a pager).
  public var wide: Bool
  /// When set, rendering a long table stops early once it is cancelled (Ctrl-C while a
  /// result is shown); the text is then incomplete, so it is for showing, never for saving.
  public var cancellation: Cancellation?
  /// How CSV is written (delimiter, decimal comma, byte-order mark).
  public var write = WriteOptions()

  /// Makes options.
  public init(
    width: Int = 80, maxRows: Int = 40, ascii: Bool = false, color: Bool = false,
    digits: Int = 6, thousands: Bool = false, wide: Bool = false
  ) {
    self.width = width
    self.maxRows = maxRows
    self.ascii = ascii
    self.color = color
    self.digits = digits
    self.thousands = thousands
    self.wide = wide
  }
}

/// Renders a table in a format.
public struct TableRenderer: Sendable {
  /// The format.
  public var format: OutputFormat
  /// The options.
  public var options: RenderOptions

  /// Makes a renderer.
  public init(format: OutputFormat, options: RenderOptions = RenderOptions()) {
    self.format = format
    self.options = options
  }

  /// The table as UTF-8 bytes, ending in a newline (what `save` writes).
  public func renderBytes(_ table: Table) -> [UInt8] {
    switch format {
    case .csv:
      DelimitedRenderer(
        separator: options.write.delimiter, cancellation: options.cancellation,
        decimalComma: options.write.decimalComma, bom: options.write.bom
      ).bytes(table)
    case .tsv: DelimitedRenderer(separator: "\t", cancellation: options.cancellation).bytes(table)
    case .json: JSONRenderer(lines: false, cancellation: options.cancellation).bytes(table)
    case .jsonl: JSONRenderer(lines: true, cancellation: options.cancellation).bytes(table)
    case .box, .markdown, .line: Array(render(table).utf8)
    }
  }

  /// The table as text, ending in a newline.
  public func render(_ table: Table) -> String {
    switch format {
    case .box: BoxRenderer(options: options).render(table)
    case .markdown: MarkdownRenderer(options: options).render(table)
    case .line: LineRenderer(options: options).render(table)
    case .csv, .tsv, .json, .jsonl: String(decoding: renderBytes(table), as: UTF8.self)
    }
  }
}
