/// How to read a delimited text file. Every field left nil is sniffed from the file (see
/// `Sniffer`); a value given here overrides the guess.
public struct ReadOptions: Sendable, Equatable {
  /// The field separator (`,` `;` tab `|`, or any single ASCII character).
  public var delimiter: UInt8?
  /// The quote character (default `"`).
  public var quote: UInt8?
  /// Whether the first record (after `skip`) names the columns.
  public var header: Bool?
  /// Records to skip before the header (title rows).
  public var skip: Int?
  /// The decimal separator of numbers: `.` or `,`.
  public var decimal: UInt8?
  /// The thousands separator of numbers (`.`, `,`, a space), or 0 for none.
  public var thousands: UInt8?
  /// The text encoding.
  public var encoding: TextEncoding?
  /// Cell texts that mean null (besides the empty cell), compared after trimming spaces.
  public var nulls: [String] = []
  /// Columns whose type is given, by name: `text` keeps the cells as they are written.
  public var types: [String: DataType] = [:]
  /// Every column as text.
  public var allText = false
  /// Rows that cannot be read (a wrong number of fields, a cell that does not fit a given
  /// type) are left out and reported, instead of failing the load.
  public var ignoreErrors = false
  /// The worksheet of a workbook, by name.
  public var sheetName: String?
  /// The worksheet of a workbook, by number from 1.
  public var sheetNumber: Int?
  /// Adds a `filename` column (with globs).
  public var filenameColumn = false

  /// Takes the general path (`CellNormalizer`) even where the fast reader applies: for
  /// tests that check the two agree.
  var forceGeneral = false

  /// Options that sniff everything.
  public init() {}

  /// Whether nothing is given that only the general path does (typed columns, rejects, an
  /// encoding other than UTF-8), so the fast reader may apply when the sniffed dialect
  /// allows.
  var isDirect: Bool {
    !forceGeneral && !ignoreErrors && types.values.allSatisfy { $0 == .text }
      && (encoding == nil || encoding == .utf8)
  }
}

/// The text encodings pantau reads; everything is turned into UTF-8 first.
public enum TextEncoding: String, Sendable, CaseIterable {
  case utf8 = "utf-8"
  case utf16LE = "utf-16le"
  case utf16BE = "utf-16be"
  case windows1252 = "windows-1252"
  case latin1 = "latin-1"

  /// An encoding by any of its usual names (`utf8`, `cp1252`, `iso-8859-1`, …).
  public static func named(_ name: String) -> TextEncoding? {
    let n = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
    switch n {
    case "utf8": return .utf8
    case "utf16", "utf16le": return .utf16LE
    case "utf16be": return .utf16BE
    case "windows1252", "cp1252", "win1252", "ansi": return .windows1252
    case "latin1", "iso88591", "l1": return .latin1
    default: return nil
    }
  }
}

/// How `save` writes a CSV file: `save "x.csv" (delim ';', decimal ',', bom)`, or
/// `(excel)` for all three, which is what Excel in an Indonesian (or most European) locale
/// opens without an import dialog.
public struct WriteOptions: Sendable, Equatable {
  /// The field separator.
  public var delimiter: Character = ","
  /// Floats written with a decimal comma.
  public var decimalComma = false
  /// A UTF-8 byte-order mark first (so Excel knows the encoding).
  public var bom = false

  /// Plain CSV.
  public init() {}
}

/// What a load found and chose, for the one-line report and `.schema`.
public struct LoadReport: Sendable {
  /// The format and the dialect, e.g. `csv ';', decimal ',', windows-1252`.
  public var dialect: String
  /// Rows that were left out by `ignore_errors`: (line, reason).
  public var rejects: [(line: Int, reason: String)] = []
  /// Lines for stderr (an encoding guessed, say).
  public var notices: [String] = []

  /// A report of a load in `dialect`.
  public init(dialect: String) { self.dialect = dialect }
}
