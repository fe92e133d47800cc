/// A table: named columns of equal length.
public struct Table: Sendable, Hashable {
  /// Column names, in order.
  public var names: [String]
  /// The columns, in order.
  public var columns: [Column]
  /// Number of rows (kept explicitly so a table with no columns still has a size).
  public var rowCount: Int

  /// Makes a table; every column must have `rowCount` rows.
  public init(names: [String], columns: [Column], rowCount: Int? = nil) {
    precondition(names.count == columns.count, "internal error: names and columns differ")
    self.names = names
    self.columns = columns
    self.rowCount = rowCount ?? columns.first?.count ?? 0
    assert(columns.allSatisfy { $0.count == self.rowCount }, "internal error: ragged table")
  }

  /// Makes a table from (name, column) pairs.
  public init(_ pairs: [(String, Column)]) {
    self.init(names: pairs.map(\.0), columns: pairs.map(\.1))
  }

  /// The table's schema.
  public var schema: Schema {
    Schema(zip(names, columns).map { Field($0, $1.type) })
  }

  /// The column called `name`.
  public func column(_ name: String) -> Column? {
    names.firstIndex(of: name).map { columns[$0] }
  }

  /// The rows at `indices` (negative gives a null row), every column a block of indices
  /// at a time, the blocks on every core when there are many rows.
  public func gather(_ indices: [Int]) -> Table {
    do throws(EngineError) {
      let gathered = try Column.gather(columns, at: indices)
      return Table(names: names, columns: gathered, rowCount: indices.count)
    } catch {
      preconditionFailure("internal error: gather failed without a cancellation")
    }
  }

  /// The first `n` rows (at most `rowCount`), each column's arrays copied as they are
  /// (`Column.prefix`); the columns shared by the cores when there are many rows.
  public func prefix(_ n: Int) -> Table {
    guard n < rowCount else { return self }
    let source = Unchecked(columns)
    let out = Parallel.map(columns.count, spread: n >= Table.parallelRows) {
      source.value[$0].prefix(n)
    }
    return Table(names: names, columns: out, rowCount: n)
  }

  /// Rows from which a table's columns are gathered on every core.
  public static let parallelRows = 1 << 16

  /// Only the columns at `indices`, in that order (same rows).
  public func selecting(_ indices: [Int]) -> Table {
    Table(
      names: indices.map { names[$0] }, columns: indices.map { columns[$0] }, rowCount: rowCount)
  }

  /// Row `i` as values.
  public func row(_ i: Int) -> [Value] { columns.map { $0.value(at: i) } }
}
