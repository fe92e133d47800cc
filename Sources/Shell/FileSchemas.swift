import Columnar
import Foundation
import Language
import Spreadsheet

/// The columns of the files `from "file"` sources have read, so that Tab completion knows
/// them without reading the file again: completion asks only this, which looks at the
/// file's size and modification time and never at its contents.
final class FileSchemas: @unchecked Sendable {
  private struct Entry {
    var options: ReadOptions
    var stamp: Stamp
    var schema: Schema
  }

  private struct Stamp: Equatable {
    var size: Int
    var modified: Double
  }

  private var entries: [String: Entry] = [:]
  private let lock = NSLock()

  /// A reader for a statement that runs: it loads the file (within `byteLimit`) and
  /// remembers its columns.
  func reader(byteLimit: Int) -> @Sendable (String, ReadOptions) throws(EngineError) -> Table {
    { path, options throws(EngineError) in
      let (table, _) = try FileLoader.load(path: path, options: options, byteLimit: byteLimit)
      if let stamp = Self.stamp(path) {
        self.lock.withLock {
          self.entries[path] = Entry(options: options, stamp: stamp, schema: table.schema)
        }
      }
      return table
    }
  }

  /// A reader for completion: an empty table with the remembered columns of an unchanged
  /// file read with the same options; anything else is not read, and fails.
  func remembered() -> @Sendable (String, ReadOptions) throws(EngineError) -> Table {
    { path, options throws(EngineError) in
      let entry = self.lock.withLock { self.entries[path] }
      guard let entry, entry.options == options, Self.stamp(path) == entry.stamp else {
        throw .io(path: path, reason: "not read yet")
      }
      return Table(
        names: entry.schema.names,
        columns: entry.schema.fields.map { Column.nulls($0.type, count: 0) }, rowCount: 0)
    }
  }

  private static func stamp(_ path: String) -> Stamp? {
    guard let a = try? FileManager.default.attributesOfItem(atPath: path),
      let size = (a[.size] as? NSNumber)?.intValue,
      let modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970
    else { return nil }
    return Stamp(size: size, modified: modified)
  }
}
