import Columnar

/// The built-in tables, compiled into the binary.
public enum Builtins {
  /// Adds the built-in tables to a session. A table shipped under a licence carries its
  /// notice in its origin, so `.sources T` shows it.
  public static func load(into session: Session) {
    for (name, csv, origin, notice) in BuiltinData.tables {
      do {
        let table = try TableReader.parse(Array(csv.utf8), path: name + ".csv")
        session.catalog.set(
          name, table, origin: notice.isEmpty ? origin : origin + "\n\n" + notice)
      } catch {
        preconditionFailure("internal error: built-in table \(name) does not parse: \(error)")
      }
    }
  }
}
