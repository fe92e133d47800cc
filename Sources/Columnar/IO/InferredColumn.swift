/// A column being read from text, whose type is inferred from its cells: int, float, date,
/// bool, else text. An int column that meets a decimal becomes float; a column that meets a
/// cell of no compatible type is marked for text (and re-read as text by the caller).
struct InferredColumn {
  enum Kind { case unknown, int, float, date, bool, text }

  private(set) var kind: Kind = .unknown
  private var ints = NumberValues<Int>()
  private var floats = NumberValues<Double>()
  private var bools: [Bool] = []
  private var text = TextColumnBuilder()
  private var validity = ValidityBuilder()
  private var leadingNulls = 0
  /// A text column's cells, kept for coding at the end (see `TextPartitions`) while it may
  /// turn out to have too many distinct values for `text`: from its first cell while
  /// `keepsCells`, until `text` holds `deferAt` distinct values (from then on only the
  /// partitions are filled) or `decideBy` rows have passed without (then only `text` is).
  private var partitions: TextPartitions? = nil
  /// Whether `text` was let go and `partitions` hold every cell.
  private var deferred = false
  /// Whether cells may be kept by address: every cell comes from one buffer that outlives
  /// `build`.
  private var keepsCells = false
  static let deferAt = 1 << 17
  static let decideBy = 1 << 18
  /// Set when a cell forced the column to text after other cells were typed.
  private(set) var needsText = false

  /// Rows expected, to size the storage once when the kind is known.
  private var capacity = 0
  /// Rows this reader expects to read itself (`capacity` may leave room for another's).
  private var share = 0

  /// The decimal separator of floats: `.` (46) or `,` (44).
  private var decimal: UInt8 = 46

  /// `keepsCells`: every cell is appended from one buffer that outlives `build` (a text
  /// column of very many distinct values is then coded at the end, in partitions).
  /// `numbers`: the windows an int, date or float column writes its values to (see
  /// `SharedNumbers`), else arrays of its own.
  init(
    forceText: Bool = false, capacity: Int = 0, share: Int? = nil, decimal: UInt8 = 46,
    keepsCells: Bool = false, numbers: (NumberValues<Int>, NumberValues<Double>)? = nil
  ) {
    self.capacity = capacity
    self.share = share ?? capacity
    self.decimal = decimal
    self.keepsCells = keepsCells
    if let numbers { (ints, floats) = numbers }
    if forceText { becomeText() }
  }

  /// Turns the column to text, its cells kept in partitions too when it may.
  private mutating func becomeText() {
    kind = .text
    if keepsCells { partitions = TextPartitions() }
  }

  mutating func appendNull() {
    switch kind {
    case .unknown: leadingNulls += 1
    case .int, .date: ints.append(0)
    case .float: floats.append(0)
    case .bool: bools.append(false)
    case .text:
      if !deferred { text.append(nil) }
      partitions?.appendNull()
    }
    if kind != .text { validity.append(false) }
  }

  /// Appends one non-empty cell (`quoted` cells that are empty count as empty text).
  mutating func append(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, quotedEmpty: Bool) {
    if needsText { return }
    if kind == .unknown { start(p, s, e, quotedEmpty: quotedEmpty) }
    switch kind {
    case .text:
      if !deferred { text.append(bytes: UnsafeBufferPointer(rebasing: p[s..<e])) }
      partitions?.append(p, s, e)
    case .int:
      if let v = FieldParsing.int(p, s, e) {
        pushInt(v)
      } else if let v = FieldParsing.float(p, s, e, decimal: decimal) {
        floats.append(converting: ints)
        ints = NumberValues()
        kind = .float
        floats.append(v)
        validity.append(true)
      } else if quotedEmpty {
        appendNull()
      } else {
        needsText = true
      }
    case .float:
      if let v = FieldParsing.float(p, s, e, decimal: decimal) {
        floats.append(v)
        validity.append(true)
      } else if quotedEmpty {
        appendNull()
      } else {
        needsText = true
      }
    case .date:
      if let v = FieldParsing.date(p, s, e) { pushInt(v) } else { other(quotedEmpty) }
    case .bool:
      if let v = FieldParsing.bool(p, s, e) {
        bools.append(v)
        validity.append(true)
      } else {
        other(quotedEmpty)
      }
    case .unknown:
      break
    }
  }

  /// Appends `count` unquoted cells at once, cell `k` spanning `starts[k * stride]` to
  /// `ends[k * stride]` (empty: null). While the kind holds, the cells go through that kind's
  /// parser in one loop; a cell that changes the kind goes through `append`.
  mutating func append(
    _ p: UnsafeBufferPointer<UInt8>, starts: UnsafePointer<Int>, ends: UnsafePointer<Int>,
    stride: Int, count: Int
  ) {
    var k = 0
    while k < count {
      if needsText { return }
      let before = k
      switch kind {
      case .int:
        k = ints.bulk(&validity, k, count, starts, ends, stride) {
          FieldParsing.int(p, $0, $1)
        }
      case .float:
        let decimal = self.decimal
        k = floats.bulk(&validity, k, count, starts, ends, stride) {
          FieldParsing.float(p, $0, $1, decimal: decimal)
        }
      case .text where partitions != nil:
        k = appendKept(p, starts: starts, ends: ends, stride: stride, from: k, count: count)
      case .text:
        text.append(cells: p, starts: starts, ends: ends, stride: stride, from: k, count: count)
        k = count
      default:
        break
      }
      if k == before, k < count {
        let s = starts[k * stride]
        let e = ends[k * stride]
        if s == e { appendNull() } else { append(p, s, e, quotedEmpty: false) }
        k += 1
      }
    }
  }

  /// Text cells `k..<count` while their partitions are kept (see `partitions`): into the
  /// partitions, and into `text` too until deferred; then whether to defer. Returns `count`.
  private mutating func appendKept(
    _ p: UnsafeBufferPointer<UInt8>, starts: UnsafePointer<Int>, ends: UnsafePointer<Int>,
    stride: Int, from first: Int, count: Int
  ) -> Int {
    guard var cells = partitions else { return first }
    partitions = nil
    cells.append(p, starts: starts, ends: ends, stride: stride, from: first, count: count)
    if !deferred {
      for k in first..<count {
        let s = starts[k * stride]
        let e = ends[k * stride]
        if s == e {
          text.append(nil)
        } else {
          text.append(bytes: UnsafeBufferPointer(rebasing: p[s..<e]))
        }
      }
      if text.distinctCount >= InferredColumn.deferAt {
        deferred = true
        text = TextColumnBuilder()
        if share > cells.rows { cells.reserve(share - cells.rows) }
      } else if cells.rows >= InferredColumn.decideBy {
        return count
      }
    }
    partitions = cells
    return count
  }

  /// Appends the cells of `other` (read after these) when both are of one kind; false, with
  /// nothing changed, when they are not.
  mutating func merge(_ other: InferredColumn) -> Bool {
    guard !needsText, !other.needsText, kind == other.kind else { return false }
    switch kind {
    case .int, .date: guard ints.append(contentsOf: other.ints) else { return false }
    case .float: guard floats.append(contentsOf: other.floats) else { return false }
    case .bool: bools.append(contentsOf: other.bools)
    case .text:
      // Both coded as they came, or both deferred; else each is built and then joined.
      if deferred != other.deferred { return false }
      if deferred, var cells = partitions, let more = other.partitions {
        partitions = nil
        cells.append(contentsOf: more)
        partitions = cells
      } else {
        text.append(contentsOf: other.text)
        partitions = nil
      }
    case .unknown: return false
    }
    if kind != .text { validity.append(contentsOf: other.validity) }
    return true
  }

  private mutating func other(_ quotedEmpty: Bool) {
    if quotedEmpty { appendNull() } else { needsText = true }
  }

  @inline(__always) private mutating func pushInt(_ v: Int) {
    ints.append(v)
    validity.append(true)
  }

  private mutating func start(
    _ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, quotedEmpty: Bool
  ) {
    defer { reserve() }
    if quotedEmpty {
      becomeText()
    } else if FieldParsing.int(p, s, e) != nil {
      kind = .int
    } else if FieldParsing.float(p, s, e, decimal: decimal) != nil {
      kind = .float
    } else if FieldParsing.date(p, s, e) != nil {
      kind = .date
    } else if FieldParsing.bool(p, s, e) != nil {
      kind = .bool
    } else {
      becomeText()
    }
    for _ in 0..<leadingNulls {
      switch kind {
      case .int, .date: ints.append(0)
      case .float: floats.append(0)
      case .bool: bools.append(false)
      case .text:
        text.append(nil)
        partitions?.appendNull()
      case .unknown: break
      }
    }
    if kind == .text { validity = ValidityBuilder() }
    leadingNulls = 0
  }

  private mutating func reserve() {
    guard capacity > 0 else { return }
    switch kind {
    case .int, .date: ints.reserve(capacity)
    case .float: floats.reserve(capacity)
    case .bool: bools.reserveCapacity(capacity)
    case .text: text.reserve(capacity)
    case .unknown: break
    }
    validity.reserve(capacity)
  }

  /// The finished column (an all-null column is text).
  func build() -> Column {
    switch kind {
    case .unknown: Column.nulls(.text, count: leadingNulls)
    case .int: .int(TypedColumn(remembering: ints.values(), validity: validity.build()))
    case .date: .date(TypedColumn(remembering: ints.values(), validity: validity.build()))
    case .float: .float(TypedColumn(floats.values(), validity: validity.build()))
    case .bool: .bool(TypedColumn(bools, validity: validity.build()))
    case .text:
      if deferred, let partitions {
        .text(partitions.build().remembering())
      } else {
        .text(text.build().remembering())
      }
    }
  }

  /// Whether a value did not fit its shared window (see `SharedNumbers`).
  var overflowed: Bool { ints.overflowed || floats.overflowed }

  /// The column of these rows and then `other`'s, when both wrote their values to the
  /// windows of `shared` as one kind (int, date or float); nil otherwise (nothing taken).
  func joined(_ other: InferredColumn, in shared: SharedNumbers) -> Column? {
    guard !needsText, !other.needsText, kind == other.kind else { return nil }
    var both = validity
    switch kind {
    case .int, .date:
      guard ints.isShared, other.ints.isShared else { return nil }
      both.append(contentsOf: other.validity)
      let values = shared.takeInts(firstRows: ints.count, secondRows: other.ints.count)
      let column = TypedColumn(remembering: values, validity: both.build())
      return kind == .int ? .int(column) : .date(column)
    case .float:
      guard floats.isShared, other.floats.isShared else { return nil }
      both.append(contentsOf: other.validity)
      let values = shared.takeFloats(firstRows: floats.count, secondRows: other.floats.count)
      return .float(TypedColumn(values, validity: both.build()))
    default:
      return nil
    }
  }

  /// Whether the column's text is coded at the end (its build runs on every core, so it
  /// is best started from no other parallel loop).
  var isDeferred: Bool { kind == .text && deferred }

  /// Whether the column keeps cells by their address in the input (which must then
  /// outlive `build`).
  var keepsAddresses: Bool { deferred && partitions?.keepsAddresses == true }
}
