#if canImport(Glibc)
  import Glibc
#endif

/// A column of fixed-width values with a validity bitmap. A slot under a null holds a
/// placeholder (zero, false).
public struct TypedColumn<Element: Sendable & Hashable>: Sendable, Hashable {
  /// The values, one per row.
  public var values: [Element] { didSet { extremes = nil } }
  /// Which rows hold a value.
  public var validity: Validity
  /// Where an int column's least and greatest values (null rows' placeholders too) are
  /// kept once found, so that the next grouping by it does not scan it again
  /// (`Extremes.of(_:)`); only a loaded table's columns have one, and any change of the
  /// values drops it.
  var extremes: Memo<(lo: Int, hi: Int)>? = nil

  public static func == (a: Self, b: Self) -> Bool {
    a.values == b.values && a.validity == b.validity
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(values)
    hasher.combine(validity)
  }

  /// Makes a column.
  public init(_ values: [Element], validity: Validity = .allValid) {
    self.values = values
    self.validity = validity
  }

  /// The value at `i`, or `nil` when it is null.
  @inline(__always) public subscript(i: Int) -> Element? {
    validity.isValid(i) ? values[i] : nil
  }

  /// Makes a column that keeps its least and greatest values once they are found (a
  /// loaded table's int column: grouped by again and again).
  init(remembering values: [Element], validity: Validity) where Element == Int {
    self.init(values, validity: validity)
    extremes = Memo()
  }

  /// Makes a column from optionals, with `placeholder` under nulls.
  public init(optionals: [Element?], placeholder: Element) {
    var b = ValidityBuilder(capacity: optionals.count)
    var v: [Element] = []
    v.reserveCapacity(optionals.count)
    for o in optionals {
      b.append(o != nil)
      v.append(o ?? placeholder)
    }
    self.init(v, validity: b.build())
  }
}

/// A dictionary-encoded text column: a code per row into a list of distinct strings.
public struct TextColumn: Sendable, Hashable {
  /// The code of each row (an index into `dictionary`).
  public var codes: [UInt32]
  /// The distinct strings. May hold entries that no row uses.
  public var dictionary: [String] { didSet { ranks = nil } }
  /// Which rows hold a value.
  public var validity: Validity
  /// Where a loaded column keeps its dictionary's order once found (`sortRanks()`), for
  /// the next sort, top or grouping by it; any change of the dictionary drops it.
  var ranks: Memo<[UInt32]>? = nil

  /// Makes a text column from parts.
  public init(codes: [UInt32], dictionary: [String], validity: Validity = .allValid) {
    self.codes = codes
    self.dictionary = dictionary
    self.validity = validity
  }

  public static func == (a: Self, b: Self) -> Bool {
    a.codes == b.codes && a.dictionary == b.dictionary && a.validity == b.validity
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(codes)
    hasher.combine(dictionary)
    hasher.combine(validity)
  }

  /// Other codes into the same dictionary, its order kept with this column's (a gather's,
  /// a filter's result: sorted by later, it need not order the dictionary again).
  func recoded(_ codes: [UInt32], validity: Validity) -> TextColumn {
    var column = TextColumn(codes: codes, dictionary: dictionary, validity: validity)
    column.ranks = ranks
    return column
  }

  /// The column, keeping its dictionary's order once found (a loaded table's).
  func remembering() -> TextColumn {
    var column = self
    column.ranks = Memo()
    return column
  }

  /// Encodes optional strings.
  public init(_ strings: [String?]) {
    var builder = TextColumnBuilder()
    for s in strings { builder.append(s) }
    self = builder.build()
  }

  /// The string at `i`, or `nil` when it is null.
  @inline(__always) public subscript(i: Int) -> String? {
    validity.isValid(i) ? dictionary[Int(codes[i])] : nil
  }

  /// For each dictionary entry, its position in code-point order (UTF-8 byte order).
  /// - Complexity: O(d · p) for d dictionary entries and the p byte positions past their
  ///   shared prefix that the radix sort reads, plus a comparison sort of the entries that
  ///   tie on those (see `TextRanks`).
  public func sortRanks() -> [UInt32] {
    guard let ranks else { return TextRanks(dictionary).ranks() }
    return ranks.value { TextRanks(dictionary).ranks() }
  }
}
