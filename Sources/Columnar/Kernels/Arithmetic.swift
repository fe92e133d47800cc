/// Arithmetic over whole arrays: one loop each, written straight into the result (no
/// placeholder fill first, no per-row branch), so that the compiler can vectorize what the
/// machine can. Nulls are the caller's: these compute every row.
extension Elementwise {
  /// `f(a[i], b[i])` for every row (the shorter length).
  @inlinable
  public static func map<A, B, R>(_ a: [A], _ b: [B], _ f: (A, B) -> R) -> [R] {
    let n = Swift.min(a.count, b.count)
    return [R](unsafeUninitializedCapacity: n) { out, count in
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          for i in 0..<n { out.initializeElement(at: i, to: f(a[i], b[i])) }
        }
      }
      count = n
    }
  }

  /// `f(a[i])` for every row.
  @inlinable
  public static func map<A, R>(_ a: [A], _ f: (A) -> R) -> [R] {
    [R](unsafeUninitializedCapacity: a.count) { out, count in
      a.withUnsafeBufferPointer { a in
        for i in 0..<a.count { out.initializeElement(at: i, to: f(a[i])) }
      }
      count = a.count
    }
  }

  /// `f(a[i], b[i])` for every row, each giving its value and whether it overflowed; nil
  /// when any did.
  @inlinable
  public static func mapReportingOverflow(
    _ a: [Int], _ b: [Int], _ f: (Int, Int) -> (partialValue: Int, overflow: Bool)
  ) -> [Int]? {
    let n = Swift.min(a.count, b.count)
    var overflow = false
    let out = [Int](unsafeUninitializedCapacity: n) { out, count in
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          for i in 0..<n {
            let (v, o) = f(a[i], b[i])
            out.initializeElement(at: i, to: v)
            overflow = overflow || o
          }
        }
      }
      count = n
    }
    return overflow ? nil : out
  }

  /// `f(a[i])` for every row, each giving its value and whether it overflowed; nil when
  /// any did.
  @inlinable
  public static func mapReportingOverflow(
    _ a: [Int], _ f: (Int) -> (partialValue: Int, overflow: Bool)
  ) -> [Int]? {
    mapReportingOverflow(a, a) { x, _ in f(x) }
  }
}
