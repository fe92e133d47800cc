extension Column {
  /// The rows at `indices`, in that order; a negative index gives a null (the left join's
  /// unmatched rows). Stops with `.cancelled` when `cancellation` is set.
  /// - Complexity: O(k) for k indices.
  public func gather(_ indices: [Int], cancellation: Cancellation?) throws(EngineError) -> Column {
    try Column.gather([self], at: indices, cancellation: cancellation)[0]
  }

  /// The rows at `indices` (negative: null).
  public func gather(_ indices: [Int]) -> Column {
    do throws(EngineError) {
      return try gather(indices, cancellation: nil)
    } catch {
      preconditionFailure("internal error: gather failed without a cancellation")
    }
  }

  /// The first `n` rows (at most `count`): each array copied as it is, not gathered row by
  /// row through a list of indices; a text column keeps its dictionary (and the order of
  /// it, once found).
  public func prefix(_ n: Int) -> Column {
    switch self {
    case .int(let c): .int(TypedColumn(Array(c.values.prefix(n)), validity: c.validity.prefix(n)))
    case .date(let c):
      .date(TypedColumn(Array(c.values.prefix(n)), validity: c.validity.prefix(n)))
    case .float(let c):
      .float(TypedColumn(Array(c.values.prefix(n)), validity: c.validity.prefix(n)))
    case .bool(let c):
      .bool(TypedColumn(Array(c.values.prefix(n)), validity: c.validity.prefix(n)))
    case .text(let c): .text(c.recoded(Array(c.codes.prefix(n)), validity: c.validity.prefix(n)))
    }
  }

  /// This column's rows followed by `other`'s. `other` must have the same type, or be an int
  /// column when this one is float.
  public func appending(_ other: Column) -> Column {
    // Arrays joined (a text column's dictionaries merged), not a value per row.
    if let joined = Column.concatenate(self, other), joined.type == type { return joined }
    var b = ColumnBuilder(type)
    for i in 0..<count { b.append(value(at: i)) }
    for i in 0..<other.count { b.append(other.value(at: i)) }
    return b.build()
  }

  /// The column converted to `type` (int to float widening; anything else unchanged).
  public func widened(to target: DataType) -> Column {
    if case .int(let c) = self, target == .float {
      return .float(TypedColumn(c.values.map(Double.init), validity: c.validity))
    }
    return self
  }
}

extension Validity {
  /// The validity of the first `n` rows: the words that hold them, the bits past `n`
  /// cleared (all valid when they are).
  func prefix(_ n: Int) -> Validity {
    guard let words else { return .allValid }
    var kept = Array(words.prefix((n + 63) / 64))
    let tail: UInt64 = n % 64 == 0 ? ~0 : (1 << UInt64(n % 64)) - 1
    if !kept.isEmpty { kept[kept.count - 1] &= tail }
    let full = kept.indices.allSatisfy { kept[$0] == ($0 == kept.count - 1 ? tail : ~0) }
    return full ? .allValid : Validity(words: kept)
  }

  /// The validity of the rows at `indices` (a negative index is a null; `negative` says
  /// whether there is one), 64 rows at a time, without a branch per row.
  func gathered(_ indices: [Int], negative: Bool) -> Validity {
    guard negative || hasNulls else { return .allValid }
    let n = indices.count
    var words = [UInt64](repeating: 0, count: (n + 63) / 64)
    var valid = 0
    indices.withUnsafeBufferPointer { idx in
      words.withUnsafeMutableBufferPointer { w in
        if let source = self.words {
          source.withUnsafeBufferPointer { v in
            for k in 0..<n {
              let i = idx[k]
              let bit = i >= 0 ? (v[i >> 6] >> UInt64(i & 63)) & 1 : 0
              w[k >> 6] |= bit << UInt64(k & 63)
            }
          }
        } else {
          for k in 0..<n {
            let bit: UInt64 = idx[k] >= 0 ? 1 : 0
            w[k >> 6] |= bit << UInt64(k & 63)
          }
        }
        for word in w { valid += word.nonzeroBitCount }
      }
    }
    return valid == n ? .allValid : Validity(words: words)
  }
}

/// One column of a gather of several: where its values are and go, and their width.
private struct GatherLane: @unchecked Sendable {
  let source: UnsafeRawPointer?
  let target: UnsafeMutableRawPointer?
  let width: Int
}

extension Column {
  /// The rows at `indices` of every column (a negative index gives a null), a block of
  /// indices at a time for all the columns, so the indices are read once, not once per
  /// column; from 65,536 indices on, the blocks on every core. Stops with `.cancelled`
  /// when `cancellation` is set (looked at every block after the first).
  public static func gather(
    _ columns: [Column], at indices: [Int], cancellation: Cancellation? = nil
  ) throws(EngineError) -> [Column] {
    let n = indices.count
    let block = 1 << 14
    let blocks = (n + block - 1) / block
    // Per block: the OR of its indices (negative when one is), and whether it was skipped
    // because the statement was cancelled (looked at from the second block on).
    var negative = [Int](repeating: 0, count: blocks)
    var skipped = [UInt8](repeating: 0, count: blocks)
    // The lanes are opened column by column (each column's source and new array stay open
    // while the ones after it are), and filled together once all are open.
    func open(_ k: Int, _ lanes: [GatherLane]) -> [Column] {
      if k == columns.count {
        indices.withUnsafeBufferPointer { idx in
          negative.withUnsafeMutableBufferPointer { neg in
            skipped.withUnsafeMutableBufferPointer { skip in
              let (index, seen, skip) = (
                SharedBuffer(mutating: idx), SharedBuffer(neg), SharedBuffer(skip)
              )
              let fill: @Sendable (Int) -> Void = { b in
                if b > 0, cancellation?.isCancelled == true {
                  skip.buffer[b] = 1
                  return
                }
                let range = b * block..<min(n, (b + 1) * block)
                var any = 0
                for i in range { any |= index.buffer[i] }
                seen.buffer[b] = any
                for lane in lanes { GatherLane.fill(lane, index.buffer, range) }
              }
              if n >= Tuning.splitRows / 16 {
                Parallel.each(blocks) { fill($0) }
              } else {
                for b in 0..<blocks { fill(b) }
              }
            }
          }
        }
        return []
      }
      var rest: [Column] = []
      func lane<T>(_ values: [T]) -> [T] {
        values.withUnsafeBufferPointer { src in
          [T](unsafeUninitializedCapacity: n) { dst, initialized in
            let l = GatherLane(
              source: values.isEmpty ? nil : UnsafeRawPointer(src.baseAddress),
              target: UnsafeMutableRawPointer(dst.baseAddress), width: MemoryLayout<T>.stride)
            rest = open(k + 1, lanes + [l])
            initialized = n
          }
        }
      }
      let made: Column
      switch columns[k] {
      case .int(let c): made = .int(TypedColumn(lane(c.values), validity: c.validity))
      case .float(let c): made = .float(TypedColumn(lane(c.values), validity: c.validity))
      case .date(let c): made = .date(TypedColumn(lane(c.values), validity: c.validity))
      case .bool(let c): made = .bool(TypedColumn(lane(c.values), validity: c.validity))
      case .text(let c):
        made = .text(c.recoded(lane(c.codes), validity: c.validity))
      }
      return [made] + rest
    }
    let filled = open(0, [])
    if skipped.contains(1) { throw .cancelled }
    let anyNegative = negative.contains { $0 < 0 }
    // Each column's validity from its own (the values above carry the source's).
    return filled.map { c in
      let v = c.validity.gathered(indices, negative: anyNegative)
      switch c {
      case .int(let t): return .int(TypedColumn(t.values, validity: v))
      case .float(let t): return .float(TypedColumn(t.values, validity: v))
      case .date(let t): return .date(TypedColumn(t.values, validity: v))
      case .bool(let t): return .bool(TypedColumn(t.values, validity: v))
      case .text(let t):
        return .text(t.recoded(t.codes, validity: v))
      }
    }
  }
}

extension GatherLane {
  /// Rows `range` of the lane: each from the source at its index, zero (every type's
  /// placeholder: 0, 0.0, false, code 0) for a negative index or an empty source.
  static func fill(
    _ lane: GatherLane, _ index: UnsafeMutableBufferPointer<Int>, _ range: Range<Int>
  ) {
    guard let target = lane.target else { return }
    guard let source = lane.source else {
      (target + range.lowerBound * lane.width).initializeMemory(
        as: UInt8.self, repeating: 0, count: range.count * lane.width)
      return
    }
    switch lane.width {
    case 8: copy(source, target, UInt64.self, index, range)
    case 4: copy(source, target, UInt32.self, index, range)
    case 2: copy(source, target, UInt16.self, index, range)
    default: copy(source, target, UInt8.self, index, range)
    }
  }

  @inline(__always)
  static func copy<T: FixedWidthInteger>(
    _ source: UnsafeRawPointer, _ target: UnsafeMutableRawPointer, _: T.Type,
    _ index: UnsafeMutableBufferPointer<Int>, _ range: Range<Int>
  ) {
    let src = source.assumingMemoryBound(to: T.self)
    let dst = target.assumingMemoryBound(to: T.self)
    for k in range {
      let i = index[k]
      dst[k] = i >= 0 ? src[i] : 0
    }
  }
}
