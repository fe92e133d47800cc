import Columnar
import Dispatch

/// The filter's common conjuncts — a column compared with a constant, a column in a list of
/// constants, a column in a range of constants — and-ed straight into the row mask, with no
/// bool column in between and no branch per row. A row whose value is null fails, as a null
/// condition does. Being plain data, they run on any range of rows, so a large table's mask
/// is made on both cores.
enum SimpleCondition: @unchecked Sendable {
  case never
  case ints([Int], Validity, BinaryOperator, Int)
  case floats([Double], Validity, BinaryOperator, Double)
  /// A verdict per dictionary entry, looked up by each row's code.
  case codes([UInt32], Validity, [UInt8])
  /// Values in `lo...hi` (one unsigned test).
  case intRange([Int], Validity, lo: Int, hi: Int)
  case intSet([Int], Validity, [Int])

  /// Ands the condition into `mask`, which holds the rows `rows`.
  func apply(to mask: UnsafeMutableBufferPointer<UInt8>, rows: Range<Int>) {
    switch self {
    case .never:
      for i in 0..<mask.count { mask[i] = 0 }
    case .ints(let v, let validity, let op, let x):
      SimpleCondition.compare(v, op, x, mask, rows)
      SimpleCondition.andValidity(validity, mask, rows)
    case .floats(let v, let validity, let op, let x):
      SimpleCondition.compare(v, op, x, mask, rows)
      SimpleCondition.andValidity(validity, mask, rows)
    case .codes(let codes, let validity, let table):
      codes.withUnsafeBufferPointer { codes in
        table.withUnsafeBufferPointer { t in
          let c = codes.baseAddress.map { $0 + rows.lowerBound }
          guard let c else { return }
          for i in 0..<mask.count { mask[i] &= t[Int(c[i])] }
        }
      }
      SimpleCondition.andValidity(validity, mask, rows)
    case .intRange(let v, let validity, let lo, let hi):
      let width = UInt(bitPattern: hi &- lo)
      v.withUnsafeBufferPointer { v in
        let s = rows.lowerBound
        for i in 0..<mask.count { mask[i] &= UInt(bitPattern: v[s + i] &- lo) <= width ? 1 : 0 }
      }
      SimpleCondition.andValidity(validity, mask, rows)
    case .intSet(let v, let validity, let xs):
      v.withUnsafeBufferPointer { v in
        xs.withUnsafeBufferPointer { xs in
          let s = rows.lowerBound
          for i in 0..<mask.count {
            var hit: UInt8 = 0
            for x in xs { hit |= v[s + i] == x ? 1 : 0 }
            mask[i] &= hit
          }
        }
      }
      SimpleCondition.andValidity(validity, mask, rows)
    }
  }

  private static func compare<T: Comparable>(
    _ values: [T], _ op: BinaryOperator, _ x: T, _ m: UnsafeMutableBufferPointer<UInt8>,
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
      default: for i in 0..<n { m[i] &= v[i] >= x ? 1 : 0 }
      }
    }
  }

  /// Clears the rows that are null.
  static func andValidity(
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

extension Executor {
  /// The condition `e` as a simple one, or nil when it has another form.
  func simpleCondition(_ e: BoundExpr, _ t: Table) throws(EngineError) -> SimpleCondition? {
    switch e.kind {
    case .binary(let op, let a, let b) where op.isComparison:
      if case .column(let i) = a.kind, let v = try constant(b, t) {
        return compare(t.columns[i], op, v)
      }
      if case .column(let i) = b.kind, let v = try constant(a, t) {
        return compare(t.columns[i], op.mirrored, v)
      }
      return nil
    case .inList(let x, let items, negated: false):
      guard case .column(let i) = x.kind else { return nil }
      var values: [Value] = []
      for item in items {
        guard let v = try constant(item, t) else { return nil }
        if !v.isNull { values.append(v) }
      }
      return member(t.columns[i], values)
    default:
      return nil
    }
  }

  /// The conditions of a filter's `and` chain: `x in lo..hi` counts as two comparisons.
  func simpleConditions(_ e: BoundExpr, _ t: Table) throws(EngineError) -> [SimpleCondition]? {
    if case .inRange(let x, let lo, let hi, negated: false) = e.kind {
      let ge = BoundExpr(.binary(.greaterEqual, x, lo), .bool, e.span)
      let le = BoundExpr(.binary(.lessEqual, x, hi), .bool, e.span)
      guard let a = try simpleCondition(ge, t), let b = try simpleCondition(le, t) else {
        return nil
      }
      return [a, b]
    }
    return try simpleCondition(e, t).map { [$0] }
  }

  /// The value of an expression that reads no column.
  private func constant(_ e: BoundExpr, _ t: Table) throws(EngineError) -> Value? {
    guard e.columns.isEmpty, case .scalar(let v) = try operand(e, t.columns, 1) else { return nil }
    return v
  }

  private func compare(_ c: Column, _ op: BinaryOperator, _ v: Value) -> SimpleCondition? {
    switch (c, v) {
    case (_, .null): .never
    case (.int(let col), .int(let x)), (.date(let col), .date(let x)):
      .ints(col.values, col.validity, op, x)
    case (.float(let col), .float(let x)): .floats(col.values, col.validity, op, x)
    case (.text(let col), .text(let s)):
      byCode(col) { Executor.holds(op, Executor.textOrder($0, s)) }
    default: nil
    }
  }

  private func member(_ c: Column, _ values: [Value]) -> SimpleCondition? {
    switch c {
    case .int(let col), .date(let col):
      var xs: [Int] = []
      for v in values {
        switch v {
        case .int(let x), .date(let x): xs.append(x)
        default: return nil
        }
      }
      let distinct = Set(xs)
      guard let lo = xs.min(), let hi = xs.max() else { return .never }
      if hi.subtractingReportingOverflow(lo) == (distinct.count - 1, false) {
        return .intRange(col.values, col.validity, lo: lo, hi: hi)
      }
      return .intSet(col.values, col.validity, xs)
    case .text(let col):
      var set = Set<String>()
      for v in values {
        guard case .text(let s) = v else { return nil }
        set.insert(s)
      }
      return byCode(col) { set.contains($0) }
    default:
      return nil
    }
  }

  /// A per-dictionary-entry verdict.
  private func byCode(_ c: TextColumn, _ p: (String) -> Bool) -> SimpleCondition {
    let table: [UInt8] = c.dictionary.map { p($0) ? 1 : 0 }
    return table.isEmpty ? .never : .codes(c.codes, c.validity, table)
  }

  /// Ands the simple conditions into the mask, a block of rows at a time (the block's mask
  /// stays in cache across conditions), the blocks shared by both cores when there are many.
  static func apply(_ conditions: [SimpleCondition], to mask: inout [UInt8]) {
    guard !conditions.isEmpty else { return }
    let n = mask.count
    let block = 1 << 16
    let blocks = (n + block - 1) / block
    mask.withUnsafeMutableBufferPointer { m in
      let shared = SharedMask(m)
      let run: @Sendable (Int) -> Void = { b in
        let rows = b * block..<min(n, (b + 1) * block)
        let part = UnsafeMutableBufferPointer(rebasing: shared.m[rows])
        for c in conditions { c.apply(to: part, rows: rows) }
      }
      if blocks >= 16 {
        DispatchQueue.concurrentPerform(iterations: blocks) { run($0) }
      } else {
        for b in 0..<blocks { run(b) }
      }
    }
  }
}

/// A mask shared by the threads that fill disjoint parts of it.
struct SharedMask: @unchecked Sendable {
  let m: UnsafeMutableBufferPointer<UInt8>
  init(_ m: UnsafeMutableBufferPointer<UInt8>) { self.m = m }
}

extension Executor {
  /// The rows whose mask byte is 1, in order: counted, then written without a branch per
  /// row into an array of the exact size; by blocks on both cores when there are many.
  static func rows(of mask: [UInt8]) -> [Int] {
    let n = mask.count
    let block = 1 << 16
    let blocks = (n + block - 1) / block
    return mask.withUnsafeBufferPointer { m in
      let source = SharedRows(m)
      var counts = [Int](repeating: 0, count: blocks)
      counts.withUnsafeMutableBufferPointer { c in
        let counted = SharedCounts(c)
        let count: @Sendable (Int) -> Void = { b in
          counted.c[b] = Executor.ones(source.m, b * block..<min(n, (b + 1) * block))
        }
        if blocks >= 16 {
          DispatchQueue.concurrentPerform(iterations: blocks) { count($0) }
        } else {
          for b in 0..<blocks { count(b) }
        }
      }
      var running = [Int](repeating: 0, count: blocks + 1)
      for b in 0..<blocks { running[b + 1] = running[b] + counts[b] }
      let offsets = running
      let total = offsets[blocks]
      return [Int](unsafeUninitializedCapacity: total) { out, initialized in
        let target = SharedOutput(out)
        let write: @Sendable (Int) -> Void = { b in
          Executor.positions(
            source.m, b * block..<min(n, (b + 1) * block), into: target.out, at: offsets[b],
            end: offsets[b + 1])
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
}

/// Buffers shared by the threads that read or fill disjoint parts of them.
struct SharedRows: @unchecked Sendable {
  let m: UnsafeBufferPointer<UInt8>
  init(_ m: UnsafeBufferPointer<UInt8>) { self.m = m }
}

struct SharedCounts: @unchecked Sendable {
  let c: UnsafeMutableBufferPointer<Int>
  init(_ c: UnsafeMutableBufferPointer<Int>) { self.c = c }
}

struct SharedOutput: @unchecked Sendable {
  let out: UnsafeMutableBufferPointer<Int>
  init(_ out: UnsafeMutableBufferPointer<Int>) { self.out = out }
}

extension Executor {
  /// The number of ones in a 0/1 mask's rows `range`, eight bytes at a time.
  static func ones(_ m: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
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
    _ m: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: UnsafeMutableBufferPointer<Int>,
    at start: Int, end: Int
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
