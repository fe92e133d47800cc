/// A column being read from text, whose type is inferred from its cells: int, float, date,
/// bool, else text. An int column that meets a decimal becomes float; a column that meets a
/// cell of no compatible type is marked for text (and re-read as text by the caller).
struct InferredColumn {
  enum Kind { case unknown, int, float, date, bool, text }

  private(set) var kind: Kind = .unknown
  private var ints: [Int] = []
  private var floats: [Double] = []
  private var bools: [Bool] = []
  private var text = TextColumnBuilder()
  private var validity = ValidityBuilder()
  private var leadingNulls = 0
  /// Set when a cell forced the column to text after other cells were typed.
  private(set) var needsText = false

  /// Rows expected, to size the storage once when the kind is known.
  private var capacity = 0

  /// The decimal separator of floats: `.` (46) or `,` (44).
  private var decimal: UInt8 = 46

  init(forceText: Bool = false, capacity: Int = 0, decimal: UInt8 = 46) {
    if forceText { kind = .text }
    self.capacity = capacity
    self.decimal = decimal
  }

  mutating func appendNull() {
    switch kind {
    case .unknown: leadingNulls += 1
    case .int, .date: ints.append(0)
    case .float: floats.append(0)
    case .bool: bools.append(false)
    case .text: text.append(nil)
    }
    if kind != .text { validity.append(false) }
  }

  /// Appends one non-empty cell (`quoted` cells that are empty count as empty text).
  mutating func append(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, quotedEmpty: Bool) {
    if needsText { return }
    if kind == .unknown { start(p, s, e, quotedEmpty: quotedEmpty) }
    switch kind {
    case .text:
      text.append(bytes: UnsafeBufferPointer(rebasing: p[s..<e]))
    case .int:
      if let v = FieldParsing.int(p, s, e) {
        pushInt(v)
      } else if let v = FieldParsing.float(p, s, e, decimal: decimal) {
        floats = ints.map(Double.init)
        ints = []
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
        k = InferredColumn.bulk(&ints, &validity, k, count, starts, ends, stride) {
          FieldParsing.int(p, $0, $1)
        }
      case .float:
        let decimal = self.decimal
        k = InferredColumn.bulk(&floats, &validity, k, count, starts, ends, stride) {
          FieldParsing.float(p, $0, $1, decimal: decimal)
        }
      case .text:
        while k < count {
          let s = starts[k * stride]
          let e = ends[k * stride]
          if s == e {
            text.append(nil)
          } else {
            let n = e - s
            if n <= 7, s + 8 <= p.count, let base = p.baseAddress {
              // Eight bytes from the cell's start are inside the buffer: one load packs it.
              let w = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: s, as: UInt64.self)
              let key = UInt64(littleEndian: w) & ((1 << UInt64(8 * n)) - 1) | UInt64(n) << 56
              text.append(packed: key, bytes: UnsafeBufferPointer(rebasing: p[s..<e]))
            } else {
              text.append(bytes: UnsafeBufferPointer(rebasing: p[s..<e]))
            }
          }
          k += 1
        }
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

  /// Appends the cells of `other` (read after these) when both are of one kind; false, with
  /// nothing changed, when they are not.
  mutating func merge(_ other: InferredColumn) -> Bool {
    guard !needsText, !other.needsText, kind == other.kind else { return false }
    switch kind {
    case .int, .date: ints.append(contentsOf: other.ints)
    case .float: floats.append(contentsOf: other.floats)
    case .bool: bools.append(contentsOf: other.bools)
    case .text: text.append(contentsOf: other.text)
    case .unknown: return false
    }
    if kind != .text { validity.append(contentsOf: other.validity) }
    return true
  }

  /// Parses cells `k..<count` into `values` (an empty cell: null) while `parse` succeeds;
  /// the index of the first cell it did not take. The values are written in place, not
  /// appended one by one.
  @inline(__always)
  private static func bulk<T: Numeric>(
    _ values: inout [T], _ validity: inout ValidityBuilder, _ first: Int, _ count: Int,
    _ starts: UnsafePointer<Int>, _ ends: UnsafePointer<Int>, _ stride: Int,
    _ parse: (Int, Int) -> T?
  ) -> Int {
    let base = values.count - first
    values.append(contentsOf: repeatElement(0, count: count - first))
    var k = first
    values.withUnsafeMutableBufferPointer { out in
      while k < count {
        let s = starts[k * stride]
        let e = ends[k * stride]
        if s == e {
          validity.append(false)
        } else if let v = parse(s, e) {
          out[base + k] = v
          validity.append(true)
        } else {
          break
        }
        k += 1
      }
    }
    values.removeLast(count - k)
    return k
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
      kind = .text
    } else if FieldParsing.int(p, s, e) != nil {
      kind = .int
    } else if FieldParsing.float(p, s, e, decimal: decimal) != nil {
      kind = .float
    } else if FieldParsing.date(p, s, e) != nil {
      kind = .date
    } else if FieldParsing.bool(p, s, e) != nil {
      kind = .bool
    } else {
      kind = .text
    }
    for _ in 0..<leadingNulls {
      switch kind {
      case .int, .date: ints.append(0)
      case .float: floats.append(0)
      case .bool: bools.append(false)
      case .text: text.append(nil)
      case .unknown: break
      }
    }
    if kind == .text { validity = ValidityBuilder() }
    leadingNulls = 0
  }

  private mutating func reserve() {
    guard capacity > 0 else { return }
    switch kind {
    case .int, .date: ints.reserveCapacity(capacity)
    case .float: floats.reserveCapacity(capacity)
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
    case .int: .int(TypedColumn(ints, validity: validity.build()))
    case .date: .date(TypedColumn(ints, validity: validity.build()))
    case .float: .float(TypedColumn(floats, validity: validity.build()))
    case .bool: .bool(TypedColumn(bools, validity: validity.build()))
    case .text: .text(text.build())
    }
  }
}
