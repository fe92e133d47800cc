import Columnar

/// The named tables and parameters a statement is checked against.
public struct Catalog: Sendable {
  /// Tables by name.
  public private(set) var tables: [String: Table] = [:]
  /// Table names in the order they were added (dictionary order is never shown).
  public private(set) var tableNames: [String] = []
  /// Where each table came from, for `.sources` and `.tables`.
  public private(set) var origins: [String: String] = [:]
  /// Script parameters (`$name`).
  public var parameters: [String: Value] = [:]

  /// An empty catalog.
  public init() {}

  /// Adds or replaces a table.
  public mutating func set(_ name: String, _ table: Table, origin: String = "") {
    if tables[name] == nil { tableNames.append(name) }
    tables[name] = table
    origins[name] = origin
  }

  /// Removes a table; `false` when there was none.
  @discardableResult public mutating func remove(_ name: String) -> Bool {
    guard tables.removeValue(forKey: name) != nil else { return false }
    tableNames.removeAll { $0 == name }
    origins[name] = nil
    return true
  }
}

/// How to check a statement: the catalog, the folder relative file paths start from, and
/// whether file-writing statements are refused.
public struct CheckContext: Sendable {
  /// Named tables and parameters.
  public var catalog: Catalog
  /// The folder of the script being run.
  public var directory: String
  /// Reads a `from "file"` source (its resolved path and options) into a table. The
  /// session sets it for a statement it runs, with its memory limit (and remembers the
  /// schema for completion); without it the checker reads nothing, and a file source is
  /// refused. The checker itself never touches a file.
  public var readFile: (@Sendable (String, ReadOptions) throws(EngineError) -> Table)?
  /// Runs a pivot while checking, so that the stages after it are checked against its
  /// columns, which come from its data (the session sets it, with its cancellation, memory
  /// limit and server). Without it the checker runs nothing: a pivot's plan has its row
  /// keys only, and a stage after it is refused (`.explain`, completion).
  public var runPivot: (@Sendable (Plan) throws(Diagnostic) -> Table)?

  /// Makes a context.
  public init(catalog: Catalog, directory: String) {
    self.catalog = catalog
    self.directory = directory
  }

  /// A path resolved against `directory` unless it is absolute.
  public func resolve(_ path: String) -> String {
    if path.hasPrefix("/") || directory.isEmpty || directory == "." { return path }
    if path.hasPrefix("~/") { return path }
    return directory + "/" + path
  }
}
