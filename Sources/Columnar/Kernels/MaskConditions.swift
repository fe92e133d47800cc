import Dispatch

/// A filter's common conditions — a column compared with a constant or with another column
/// of its type, a column in a list of constants, a column in a range of constants, a bool
/// column, and `and`, `or` and `not` of those — and-ed straight into a row mask of 0/1
/// bytes, with no bool column in between and no branch per row. A row whose value is null
/// fails, as a null condition does. Being plain data, they run on any range of rows, so a
/// large table's mask is made on both cores.
///
/// `not` is pushed down to the simple conditions (`negated`), by De Morgan's laws, which
/// hold for three-valued logic: a negated simple condition holds where the condition is
/// false, not where it is null.
public enum MaskCondition: @unchecked Sendable {
  case never
  case ints([Int], Validity, Comparison, Int)
  case floats([Double], Validity, Comparison, Double)
  /// A verdict (0 or 1) per dictionary entry, looked up by each row's code.
  case codes([UInt32], Validity, [UInt8])
  /// Values in `lo...hi` (one unsigned test), or outside it.
  case intRange([Int], Validity, lo: Int, hi: Int, outside: Bool)
  case intSet([Int], Validity, [Int])
  /// A bool column's true rows.
  case bools([Bool], Validity)
  /// Two int (or date) columns compared row by row.
  case intPairs([Int], [Int], Validity, Comparison)
  /// Two float columns compared row by row.
  case floatPairs([Double], [Double], Validity, Comparison)
  /// Every condition holds.
  indirect case all([MaskCondition])
  /// Some condition holds.
  indirect case any([MaskCondition])
  /// A simple condition is false (not null): its test fails on a valid row.
  indirect case not(MaskCondition)

  /// The condition that holds where this one is false (and is null where it is null).
  public var negated: MaskCondition {
    switch self {
    case .never: .never
    case .all(let cs): .any(cs.map(\.negated))
    case .any(let cs): .all(cs.map(\.negated))
    case .not(let c): c
    case .codes(let codes, let v, let table): .codes(codes, v, table.map { $0 ^ 1 })
    case .ints(let x, let v, let op, let c): .ints(x, v, op.negated, c)
    case .intRange(let x, let v, let lo, let hi, let outside):
      .intRange(x, v, lo: lo, hi: hi, outside: !outside)
    case .intPairs(let a, let b, let v, let op): .intPairs(a, b, v, op.negated)
    // A float may be NaN, for which no comparison holds: its negation is tested as such.
    case .floats, .intSet, .bools, .floatPairs: .not(self)
    }
  }

  /// Ands the conditions into `mask` (one byte per row of the table the conditions read),
  /// a block of rows at a time (the block's mask stays in cache across conditions), the
  /// blocks shared by both cores when there are many.
  public static func apply(_ conditions: [MaskCondition], to mask: inout [UInt8]) {
    guard !conditions.isEmpty else { return }
    let n = mask.count
    let block = 1 << 16
    let blocks = (n + block - 1) / block
    mask.withUnsafeMutableBufferPointer { m in
      let shared = SharedBuffer(m)
      let run: @Sendable (Int) -> Void = { b in
        let rows = b * block..<min(n, (b + 1) * block)
        let part = UnsafeMutableBufferPointer(rebasing: shared.buffer[rows])
        for c in conditions { c.apply(to: part, rows: rows) }
      }
      if blocks >= 16 {
        DispatchQueue.concurrentPerform(iterations: blocks) { run($0) }
      } else {
        for b in 0..<blocks { run(b) }
      }
    }
  }

  /// Ands the condition into `mask`, which holds the rows `rows`: its test, then its
  /// column's validity (a null row fails).
  func apply(to mask: UnsafeMutableBufferPointer<UInt8>, rows: Range<Int>) {
    test(mask, rows)
    if let validity { MaskCondition.andValidity(validity, mask, rows) }
  }

  /// Ands the condition's test into `mask`, null rows aside (but for `all`, `any` and
  /// `not`, which see to their conditions' nulls themselves).
  private func test(_ mask: UnsafeMutableBufferPointer<UInt8>, _ rows: Range<Int>) {
    let s = rows.lowerBound
    let n = mask.count
    switch self {
    case .all(let cs):
      for c in cs { c.apply(to: mask, rows: rows) }
    case .any(let cs):
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * n) { scratch in
        let some = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
        let one = UnsafeMutableBufferPointer(rebasing: scratch[n..<2 * n])
        some.update(repeating: 0)
        for c in cs {
          one.update(repeating: 1)
          c.apply(to: one, rows: rows)
          for i in 0..<n { some[i] |= one[i] }
        }
        for i in 0..<n { mask[i] &= some[i] }
      }
    case .not(let c):
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { held in
        held.update(repeating: 1)
        c.test(held, rows)
        for i in 0..<n { mask[i] &= held[i] ^ 1 }
      }
      if let validity = c.validity { MaskCondition.andValidity(validity, mask, rows) }
    case .never:
      for i in 0..<mask.count { mask[i] = 0 }
    case .ints(let v, _, let op, let x):
      MaskCondition.compare(v, op, x, mask, rows)
    case .floats(let v, _, let op, let x):
      MaskCondition.compare(v, op, x, mask, rows)
    case .codes(let codes, _, let table):
      codes.withUnsafeBufferPointer { codes in
        table.withUnsafeBufferPointer { t in
          guard let c = codes.baseAddress.map({ $0 + s }) else { return }
          for i in 0..<mask.count { mask[i] &= t[Int(c[i])] }
        }
      }
    case .intRange(let v, _, let lo, let hi, let outside):
      let width = UInt(bitPattern: hi &- lo)
      let flip: UInt8 = outside ? 1 : 0
      v.withUnsafeBufferPointer { v in
        for i in 0..<mask.count {
          mask[i] &= (UInt(bitPattern: v[s + i] &- lo) <= width ? 1 : 0) ^ flip
        }
      }
    case .intSet(let v, _, let xs):
      v.withUnsafeBufferPointer { v in
        xs.withUnsafeBufferPointer { xs in
          for i in 0..<mask.count {
            var hit: UInt8 = 0
            for x in xs { hit |= v[s + i] == x ? 1 : 0 }
            mask[i] &= hit
          }
        }
      }
    case .intPairs(let a, let b, _, let op):
      MaskCondition.compare(a, b, op, mask, rows)
    case .floatPairs(let a, let b, _, let op):
      MaskCondition.compare(a, b, op, mask, rows)
    case .bools(let b, _):
      b.withUnsafeBytes { v in
        // A Bool is one byte holding 0 or 1.
        for i in 0..<mask.count { mask[i] &= v[s + i] }
      }
    }
  }

  /// The validity of the column the condition reads (nil for `never`, and for `all`, `any`
  /// and `not`, whose test sees to it).
  private var validity: Validity? {
    switch self {
    case .never, .all, .any, .not: nil
    case .ints(_, let v, _, _), .floats(_, let v, _, _), .codes(_, let v, _),
      .intRange(_, let v, _, _, _), .intSet(_, let v, _), .intPairs(_, _, let v, _),
      .floatPairs(_, _, let v, _), .bools(_, let v):
      v
    }
  }

  private static func compare<T: Comparable>(
    _ values: [T], _ op: Comparison, _ x: T, _ m: UnsafeMutableBufferPointer<UInt8>,
    _ rows: Range<Int>
  ) {
    values.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress else { return }
      let v = base + rows.lowerBound
      let n = m.count
      switch op {
      case .equal: for i in 0..<n { m[i] &= v[i] == x ? 1 : 0 }
      case .notEqual: for i in 0..<n { m[i] &= v[i] != x ? 1 : 0 }
      case .less: for i in 0..<n { m[i] &= v[i] < x ? 1 : 0 }
      case .lessEqual: for i in 0..<n { m[i] &= v[i] <= x ? 1 : 0 }
      case .greater: for i in 0..<n { m[i] &= v[i] > x ? 1 : 0 }
      case .greaterEqual: for i in 0..<n { m[i] &= v[i] >= x ? 1 : 0 }
      }
    }
  }

  private static func compare<T: Comparable>(
    _ a: [T], _ b: [T], _ op: Comparison, _ m: UnsafeMutableBufferPointer<UInt8>,
    _ rows: Range<Int>
  ) {
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        guard let x = a.baseAddress.map({ $0 + rows.lowerBound }),
          let y = b.baseAddress.map({ $0 + rows.lowerBound })
        else { return }
        let n = m.count
        switch op {
        case .equal: for i in 0..<n { m[i] &= x[i] == y[i] ? 1 : 0 }
        case .notEqual: for i in 0..<n { m[i] &= x[i] != y[i] ? 1 : 0 }
        case .less: for i in 0..<n { m[i] &= x[i] < y[i] ? 1 : 0 }
        case .lessEqual: for i in 0..<n { m[i] &= x[i] <= y[i] ? 1 : 0 }
        case .greater: for i in 0..<n { m[i] &= x[i] > y[i] ? 1 : 0 }
        case .greaterEqual: for i in 0..<n { m[i] &= x[i] >= y[i] ? 1 : 0 }
        }
      }
    }
  }

  /// Clears the rows that are null.
  private static func andValidity(
    _ validity: Validity, _ m: UnsafeMutableBufferPointer<UInt8>, _ rows: Range<Int>
  ) {
    guard let words = validity.words else { return }
    words.withUnsafeBufferPointer { w in
      let s = rows.lowerBound
      for i in 0..<m.count {
        let r = s + i
        m[i] &= UInt8(truncatingIfNeeded: w[r >> 6] >> UInt64(r & 63)) & 1
      }
    }
  }
}

/// A buffer shared by the threads that read or fill disjoint parts of it.
struct SharedBuffer<T>: @unchecked Sendable {
  let buffer: UnsafeMutableBufferPointer<T>
  init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
  /// A buffer that is only read.
  init(mutating buffer: UnsafeBufferPointer<T>) {
    self.buffer = UnsafeMutableBufferPointer(mutating: buffer)
  }
}

/// The rows a 0/1 byte mask keeps.
enum MaskRows {
  /// The rows whose mask byte is 1, in order: counted, then written without a branch per
  /// row into an array of the exact size; by blocks on both cores when there are many.
  static func rows(of mask: [UInt8]) -> [Int] {
    let n = mask.count
    let block = 1 << 16
    let blocks = (n + block - 1) / block
    var counts = [Int](repeating: 0, count: blocks)
    counts.withUnsafeMutableBufferPointer { c in
      let counted = SharedBuffer(c)
      mask.withUnsafeBufferPointer { m in
        let source = SharedBuffer(UnsafeMutableBufferPointer(mutating: m))
        let count: @Sendable (Int) -> Void = { b in
          counted.buffer[b] = ones(source.buffer, b * block..<min(n, (b + 1) * block))
        }
        if blocks >= 16 {
          DispatchQueue.concurrentPerform(iterations: blocks) { count($0) }
        } else {
          for b in 0..<blocks { count(b) }
        }
      }
    }
    var running = [Int](repeating: 0, count: blocks + 1)
    for b in 0..<blocks { running[b + 1] = running[b] + counts[b] }
    let offsets = running
    let total = offsets[blocks]
    return mask.withUnsafeBufferPointer { m in
      let source = SharedBuffer(UnsafeMutableBufferPointer(mutating: m))
      return [Int](unsafeUninitializedCapacity: total) { out, initialized in
        let target = SharedBuffer(out)
        let write: @Sendable (Int) -> Void = { b in
          positions(
            source.buffer, b * block..<min(n, (b + 1) * block), into: target.buffer,
            at: offsets[b], end: offsets[b + 1])
        }
        if blocks >= 16 {
          DispatchQueue.concurrentPerform(iterations: blocks) { write($0) }
        } else {
          for b in 0..<blocks { write(b) }
        }
        initialized = total
      }
    }
  }

  /// The number of ones in a 0/1 mask's rows `range`, eight bytes at a time.
  static func ones(_ m: UnsafeMutableBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
    guard let base = m.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(base)
    var i = range.lowerBound
    var k = 0
    while i + 8 <= range.upperBound {
      // Each byte is 0 or 1: the multiply sums the eight bytes into the top byte.
      k &+= Int(
        (raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) &* 0x0101_0101_0101_0101) >> 56)
      i += 8
    }
    while i < range.upperBound {
      k &+= Int(m[i])
      i += 1
    }
    return k
  }

  /// Writes the positions of the ones in `range` to `out[at..<end]`; eight zero bytes are
  /// skipped at once, so a sparse mask costs little.
  static func positions(
    _ m: UnsafeMutableBufferPointer<UInt8>, _ range: Range<Int>,
    into out: UnsafeMutableBufferPointer<Int>, at start: Int, end: Int
  ) {
    guard let base = m.baseAddress else { return }
    let raw = UnsafeRawPointer(base)
    var k = start
    var i = range.lowerBound
    while i < range.upperBound {
      if i + 8 <= range.upperBound, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) == 0 {
        i += 8
        continue
      }
      let stop = min(i + 8, range.upperBound)
      while i < stop {
        if k < end { out[k] = i }
        k &+= Int(m[i])
        i += 1
      }
    }
  }
}
