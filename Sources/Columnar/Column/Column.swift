/// A typed column. One `switch` dispatches each operation into a generic kernel.
public enum Column: Sendable, Hashable {
  case int(TypedColumn<Int>)
  case float(TypedColumn<Double>)
  case text(TextColumn)
  case bool(TypedColumn<Bool>)
  /// Days since 1970-01-01.
  case date(TypedColumn<Int>)

  /// The column's type.
  public var type: DataType {
    switch self {
    case .int: .int
    case .float: .float
    case .text: .text
    case .bool: .bool
    case .date: .date
    }
  }

  /// Number of rows.
  public var count: Int {
    switch self {
    case .int(let c): c.values.count
    case .float(let c): c.values.count
    case .text(let c): c.codes.count
    case .bool(let c): c.values.count
    case .date(let c): c.values.count
    }
  }

  /// The validity bitmap.
  public var validity: Validity {
    switch self {
    case .int(let c): c.validity
    case .float(let c): c.validity
    case .text(let c): c.validity
    case .bool(let c): c.validity
    case .date(let c): c.validity
    }
  }

  /// Whether row `i` is null.
  @inline(__always) public func isNull(_ i: Int) -> Bool { !validity.isValid(i) }

  /// The cell at row `i` as a `Value` (for the edges: formatting and tests).
  public func value(at i: Int) -> Value {
    guard validity.isValid(i) else { return .null }
    switch self {
    case .int(let c): return .int(c.values[i])
    case .float(let c): return .float(c.values[i])
    case .text(let c): return .text(c.dictionary[Int(c.codes[i])])
    case .bool(let c): return .bool(c.values[i])
    case .date(let c): return .date(c.values[i])
    }
  }

  /// Every cell as a `Value`.
  public var values: [Value] { (0..<count).map { value(at: $0) } }

  /// A column of `count` nulls.
  public static func nulls(_ type: DataType, count: Int) -> Column {
    let v = Validity.allNull(count)
    switch type {
    case .int: return .int(TypedColumn([Int](repeating: 0, count: count), validity: v))
    case .float: return .float(TypedColumn([Double](repeating: 0, count: count), validity: v))
    case .text:
      return .text(
        TextColumn(codes: [UInt32](repeating: 0, count: count), dictionary: [""], validity: v))
    case .bool: return .bool(TypedColumn([Bool](repeating: false, count: count), validity: v))
    case .date: return .date(TypedColumn([Int](repeating: 0, count: count), validity: v))
    }
  }

  /// A column holding `value` on every one of `count` rows.
  public static func constant(_ value: Value, type: DataType, count: Int) -> Column {
    switch (value, type) {
    case (.int(let v), .int): .int(TypedColumn([Int](repeating: v, count: count)))
    case (.int(let v), .float): .float(TypedColumn([Double](repeating: Double(v), count: count)))
    case (.float(let v), .float): .float(TypedColumn([Double](repeating: v, count: count)))
    case (.bool(let v), .bool): .bool(TypedColumn([Bool](repeating: v, count: count)))
    case (.date(let v), .date): .date(TypedColumn([Int](repeating: v, count: count)))
    case (.text(let v), .text):
      .text(TextColumn(codes: [UInt32](repeating: 0, count: count), dictionary: [v]))
    default: .nulls(type, count: count)
    }
  }

  /// Builds a column of `type` from values; a value of another type becomes null, except
  /// that ints widen to floats.
  public static func from(_ values: [Value], type: DataType) -> Column {
    var b = ColumnBuilder(type)
    for v in values { b.append(v) }
    return b.build()
  }
}

/// Builds a column of one type from `Value`s.
public struct ColumnBuilder: Sendable {
  /// The type being built.
  public let type: DataType
  private var ints: [Int] = []
  private var floats: [Double] = []
  private var bools: [Bool] = []
  private var text = TextColumnBuilder()
  private var validity = ValidityBuilder()

  /// An empty builder.
  public init(_ type: DataType) { self.type = type }

  /// Appends one value (converted to the builder's type, else null).
  public mutating func append(_ value: Value) {
    switch (type, value) {
    case (.int, .int(let v)), (.date, .date(let v)): push(int: v)
    case (.float, .float(let v)): push(float: v)
    case (.float, .int(let v)): push(float: Double(v))
    case (.bool, .bool(let v)):
      bools.append(v)
      validity.append(true)
    case (.text, .text(let s)): text.append(s)
    default: appendNull()
    }
  }

  private mutating func push(int v: Int) {
    ints.append(v)
    validity.append(true)
  }

  private mutating func push(float v: Double) {
    floats.append(v)
    validity.append(true)
  }

  /// Appends a null.
  public mutating func appendNull() {
    switch type {
    case .int, .date: ints.append(0)
    case .float: floats.append(0)
    case .bool: bools.append(false)
    case .text:
      text.append(nil)
      return
    }
    validity.append(false)
  }

  /// The finished column.
  public func build() -> Column {
    switch type {
    case .int: .int(TypedColumn(ints, validity: validity.build()))
    case .date: .date(TypedColumn(ints, validity: validity.build()))
    case .float: .float(TypedColumn(floats, validity: validity.build()))
    case .bool: .bool(TypedColumn(bools, validity: validity.build()))
    case .text: .text(text.build())
    }
  }
}

extension Column {
  /// `a`'s rows followed by `b`'s, when their types join: the same type, int with float
  /// (as float), or a column with no values taking the other's type. `nil` otherwise.
  public static func concatenate(_ a: Column, _ b: Column) -> Column? {
    let aEmpty = a.validity.nullCount(a.count) == a.count
    let bEmpty = b.validity.nullCount(b.count) == b.count
    var x = a
    var y = b
    if a.type != b.type {
      if aEmpty {
        x = .nulls(b.type, count: a.count)
      } else if bEmpty {
        y = .nulls(a.type, count: b.count)
      } else if a.type.isNumeric && b.type.isNumeric {
        x = a.widened(to: .float)
        y = b.widened(to: .float)
      } else {
        return nil
      }
    }
    switch (x, y) {
    case (.int(let p), .int(let q)): return .int(join(p, q))
    case (.float(let p), .float(let q)): return .float(join(p, q))
    case (.bool(let p), .bool(let q)): return .bool(join(p, q))
    case (.date(let p), .date(let q)): return .date(join(p, q))
    case (.text(let p), .text(let q)) where p.dictionary == q.dictionary:
      // One dictionary (a table appended to itself, or to a part of itself): codes as
      // they are.
      return .text(
        TextColumn(
          codes: p.codes + q.codes, dictionary: p.dictionary.isEmpty ? [""] : p.dictionary,
          validity: joinValidity(p.validity, p.codes.count, q.validity, q.codes.count)))
    case (.text(let p), .text(let q)):
      var dictionary = p.dictionary
      var index: [String: UInt32] = [:]
      for (i, s) in dictionary.enumerated() where index[s] == nil { index[s] = UInt32(i) }
      let remap = q.dictionary.map { s -> UInt32 in
        if let c = index[s] { return c }
        let c = UInt32(dictionary.count)
        dictionary.append(s)
        index[s] = c
        return c
      }
      let codes = p.codes + q.codes.map { remap.isEmpty ? 0 : remap[Int($0)] }
      return .text(
        TextColumn(
          codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary,
          validity: joinValidity(p.validity, p.codes.count, q.validity, q.codes.count)))
    default: return nil
    }
  }

  private static func join<T>(_ p: TypedColumn<T>, _ q: TypedColumn<T>) -> TypedColumn<T> {
    TypedColumn(
      p.values + q.values,
      validity: joinValidity(p.validity, p.values.count, q.validity, q.values.count))
  }

  private static func joinValidity(_ a: Validity, _ n: Int, _ b: Validity, _ m: Int) -> Validity {
    if !a.hasNulls && !b.hasNulls { return .allValid }
    // Word by word: b's bits land shifted by n.
    var words = [UInt64](repeating: 0, count: (n + m + 63) / 64)
    let full = n >> 6
    for w in 0..<full { words[w] = a.words?[w] ?? ~0 }
    let rest = n & 63
    if rest > 0 { words[full] = (a.words?[full] ?? ~0) & ((1 << UInt64(rest)) - 1) }
    for w in 0..<(m + 63) / 64 {
      var bits = b.words?[w] ?? ~0
      let inWord = min(64, m - w * 64)
      if inWord < 64 { bits &= (1 << UInt64(inWord)) - 1 }
      let at = n + w * 64
      words[at >> 6] |= bits << UInt64(at & 63)
      if at & 63 != 0 && (at >> 6) + 1 < words.count {
        words[(at >> 6) + 1] |= bits >> UInt64(64 - (at & 63))
      }
    }
    return Validity(words: words)
  }
}

/// Where each row's value is among a function's results (see `Column.indexing`).
public enum EntryIndex {
  /// Row `i` takes entry `codes[i]` (a text column's dictionary codes), or `nullEntry`
  /// where `validity` says the row is null.
  case codes([UInt32], Validity, nullEntry: Int)
  /// Row `i` takes entry `ids[i]`.
  case ids([Int])

  var count: Int {
    switch self {
    case .codes(let c, _, _): c.count
    case .ids(let i): i.count
    }
  }
}

extension Column {
  /// A column of `type` whose row `i` holds `values[entry(i)]` (a value of another type
  /// is null, ints widen to floats): a function computed once per distinct input, handed
  /// out to rows by index. Text gets one dictionary entry per distinct text, no string per
  /// row. Each row's value is read from a table of the entries' values, with no optional
  /// per row; the validity is made only when an entry is null.
  public static func indexing(_ values: [Value], by index: EntryIndex, type: DataType) -> Column {
    let n = index.count
    func gather<T>(_ table: [T]) -> [T] {
      [T](unsafeUninitializedCapacity: n) { out, count in
        table.withUnsafeBufferPointer { t in
          switch index {
          case .codes(let codes, let validity, let nullEntry):
            codes.withUnsafeBufferPointer { c in
              if validity.hasNulls {
                for i in 0..<n {
                  out.initializeElement(at: i, to: t[validity.isValid(i) ? Int(c[i]) : nullEntry])
                }
              } else {
                for i in 0..<n { out.initializeElement(at: i, to: t[Int(c[i])]) }
              }
            }
          case .ids(let ids):
            ids.withUnsafeBufferPointer { d in
              for i in 0..<n { out.initializeElement(at: i, to: t[d[i]]) }
            }
          }
        }
        count = n
      }
    }
    func typed<T>(_ zero: T, _ get: (Value) -> T?) -> TypedColumn<T> {
      let cells = values.map(get)
      let out = gather(cells.map { $0 ?? zero })
      guard cells.contains(where: { $0 == nil }) else { return TypedColumn(out) }
      let known = gather(cells.map { $0 != nil })
      return TypedColumn(
        out, validity: known.withUnsafeBufferPointer { k in Validity(count: n) { k[$0] } })
    }
    switch type {
    case .int:
      return .int(typed(0) { if case .int(let v) = $0 { v } else { nil } })
    case .date:
      return .date(typed(0) { if case .date(let v) = $0 { v } else { nil } })
    case .bool:
      return .bool(typed(false) { if case .bool(let v) = $0 { v } else { nil } })
    case .float:
      return .float(
        typed(0) {
          switch $0 {
          case .float(let v): v
          case .int(let v): Double(v)
          default: nil
          }
        })
    case .text:
      var dictionary: [String] = []
      var seen: [String: UInt32] = [:]
      let codes = typed(UInt32(0)) { v -> UInt32? in
        guard case .text(let s) = v else { return nil }
        if let c = seen[s] { return c }
        let c = UInt32(dictionary.count)
        seen[s] = c
        dictionary.append(s)
        return c
      }
      return .text(
        TextColumn(
          codes: codes.values, dictionary: dictionary.isEmpty && n > 0 ? [""] : dictionary,
          validity: codes.validity))
    }
  }
}
