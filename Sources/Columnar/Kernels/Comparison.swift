/// A comparison of two values of one type, as the kernels run it.
public enum Comparison: Sendable {
  case equal, notEqual, less, lessEqual, greater, greaterEqual

  /// The comparison with its operands swapped (`a < b` is `b > a`).
  public var mirrored: Comparison {
    switch self {
    case .less: .greater
    case .lessEqual: .greaterEqual
    case .greater: .less
    case .greaterEqual: .lessEqual
    default: self
    }
  }

  /// The comparison that holds exactly where this one fails (over values that are ordered
  /// totally: ints, dates, dictionary ranks).
  public var negated: Comparison {
    switch self {
    case .equal: .notEqual
    case .notEqual: .equal
    case .less: .greaterEqual
    case .lessEqual: .greater
    case .greater: .lessEqual
    case .greaterEqual: .less
    }
  }

  /// Whether it holds for an order of -1, 0 or 1 (left before, equal to, after right).
  @inline(__always) public func holds(_ order: Int) -> Bool {
    switch self {
    case .equal: order == 0
    case .notEqual: order != 0
    case .less: order < 0
    case .lessEqual: order <= 0
    case .greater: order > 0
    case .greaterEqual: order >= 0
    }
  }
}

/// Element-wise kernels over whole columns: one tight loop each, nulls left to the caller.
public enum Elementwise {
  /// `values[i] op x` for every row.
  public static func compare(_ values: [Int], _ op: Comparison, _ x: Int) -> [Bool] {
    compared(values, op, x)
  }

  /// `values[i] op x` for every row (IEEE comparisons).
  public static func compare(_ values: [Double], _ op: Comparison, _ x: Double) -> [Bool] {
    compared(values, op, x)
  }

  /// `table[codes[i]]` for every row: a verdict per dictionary entry, looked up by code.
  /// Every code must be below `table.count`, as a text column's are.
  public static func lookup(_ codes: [UInt32], in table: [Bool]) -> [Bool] {
    var out = [Bool](repeating: false, count: codes.count)
    guard !table.isEmpty else { return out }
    codes.withUnsafeBufferPointer { codes in
      table.withUnsafeBufferPointer { t in
        out.withUnsafeMutableBufferPointer { out in
          for i in 0..<codes.count { out[i] = t[Int(codes[i])] }
        }
      }
    }
    return out
  }

  /// `out[i] = values[i]` (or `constant`, when `values` is nil) on every row where
  /// `flags[i]` is true and known: the second pass of `if(cond, a, b)` over a copy of `b`.
  public static func select(
    _ flags: [Bool], _ known: Validity, into out: inout [Int], _ values: [Int]?, _ constant: Int
  ) { selected(flags, known, &out, values, as: Int.self, constant) }

  /// `select` for floats (by their bits: the value written is the one read).
  public static func select(
    _ flags: [Bool], _ known: Validity, into out: inout [Double], _ values: [Double]?,
    _ constant: Double
  ) { selected(flags, known, &out, values, as: UInt64.self, constant.bitPattern) }

  /// `select` for bools (a Bool is the byte 0 or 1).
  public static func select(
    _ flags: [Bool], _ known: Validity, into out: inout [Bool], _ values: [Bool]?,
    _ constant: Bool
  ) { selected(flags, known, &out, values, as: UInt8.self, constant ? 1 : 0) }

  /// `select` for text codes.
  public static func select(
    _ flags: [Bool], _ known: Validity, into out: inout [UInt32], _ values: [UInt32]?,
    _ constant: UInt32
  ) { selected(flags, known, &out, values, as: UInt32.self, constant) }

  /// `select` over the values' memory taken as integers `W` of their size (`constant` is
  /// the constant's bits).
  @inline(__always)
  private static func selected<T, W: FixedWidthInteger>(
    _ flags: [Bool], _ known: Validity, _ out: inout [T], _ values: [T]?, as: W.Type,
    _ constant: W
  ) {
    let n = min(flags.count, out.count)
    func run(_ v: UnsafeBufferPointer<W>?) {
      flags.withUnsafeBufferPointer { flags in
        flags.withMemoryRebound(to: UInt8.self) { f in
          out.withUnsafeMutableBufferPointer { all in
            all.withMemoryRebound(to: W.self) { out in
              // Without unknown flags, each row's pick is a mask (all ones where the flag is
              // set) rather than a branch: the flags are as often unpredictable as not.
              switch (v, known.hasNulls) {
              case (let v?, false):
                for i in 0..<n {
                  let m = W.zero &- W(truncatingIfNeeded: f[i])
                  out[i] = (v[i] & m) | (out[i] & ~m)
                }
              case (nil, false):
                for i in 0..<n {
                  let m = W.zero &- W(truncatingIfNeeded: f[i])
                  out[i] = (constant & m) | (out[i] & ~m)
                }
              case (let v?, true):
                for i in 0..<n where f[i] != 0 && known.isValid(i) { out[i] = v[i] }
              case (nil, true):
                for i in 0..<n where f[i] != 0 && known.isValid(i) { out[i] = constant }
              }
            }
          }
        }
      }
    }
    guard let values else { return run(nil) }
    values.withUnsafeBufferPointer { v in v.withMemoryRebound(to: W.self) { run($0) } }
  }

  /// `p[i] && q[i]` (or `||`) for every row of two columns of one length.
  public static func logic(_ p: [Bool], _ q: [Bool], and: Bool) -> [Bool] {
    let n = min(p.count, q.count)
    var out = [Bool](repeating: false, count: n)
    p.withUnsafeBufferPointer { p in
      q.withUnsafeBufferPointer { q in
        out.withUnsafeMutableBufferPointer { o in
          // On the bytes (a Bool is 0 or 1), with no branch per row: `&&` and `||` branch
          // on their left side, which is as often unpredictable as not.
          p.withMemoryRebound(to: UInt8.self) { p in
            q.withMemoryRebound(to: UInt8.self) { q in
              o.withMemoryRebound(to: UInt8.self) { o in
                if and {
                  for i in 0..<n { o[i] = p[i] & q[i] }
                } else {
                  for i in 0..<n { o[i] = p[i] | q[i] }
                }
              }
            }
          }
        }
      }
    }
    return out
  }

  /// The number of values that are infinite or NaN.
  public static func nonFiniteCount(_ values: [Double]) -> Int {
    values.withUnsafeBufferPointer { v in
      var bad = 0
      for x in v where !x.isFinite { bad += 1 }
      return bad
    }
  }

  private static func compared<T: Comparable>(_ values: [T], _ op: Comparison, _ x: T) -> [Bool] {
    let n = values.count
    var out = [Bool](repeating: false, count: n)
    values.withUnsafeBufferPointer { v in
      out.withUnsafeMutableBufferPointer { o in
        switch op {
        case .equal: for i in 0..<n { o[i] = v[i] == x }
        case .notEqual: for i in 0..<n { o[i] = v[i] != x }
        case .less: for i in 0..<n { o[i] = v[i] < x }
        case .lessEqual: for i in 0..<n { o[i] = v[i] <= x }
        case .greater: for i in 0..<n { o[i] = v[i] > x }
        case .greaterEqual: for i in 0..<n { o[i] = v[i] >= x }
        }
      }
    }
    return out
  }
}
