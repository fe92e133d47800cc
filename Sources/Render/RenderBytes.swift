import Columnar
import Dispatch

/// What the file writers share: an int's digits, and a text column's dictionary entries
/// written once each (escaped or quoted), appended to a row by its code.
enum RenderBytes {
  /// Appends to `out` the bytes of rows `0..<rows`, written by `write` a share of the rows
  /// per core (from 65,536 rows on), each share into a buffer of its own, in row order.
  static func byShares(
    rows: Int, into out: inout [UInt8], _ write: @Sendable (Range<Int>) -> [UInt8]
  ) {
    let shares = rows >= 1 << 16 ? Tuning.cores : 1
    let parts = Parts(shares)
    DispatchQueue.concurrentPerform(iterations: shares) { p in
      parts.set(p, write(rows * p / shares..<rows * (p + 1) / shares))
    }
    out.reserveCapacity(out.count + (0..<shares).reduce(0) { $0 + parts.count($1) })
    for p in 0..<shares { out += parts.take(p) }
  }

  /// An int's decimal digits (as `String(i)` writes them).
  static func digits(_ v: Int, into out: inout [UInt8]) {
    if v < 0 { out.append(45) }
    var m = v.magnitude
    var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &buffer) { b in
      var i = b.count
      repeat {
        i -= 1
        b[i] = UInt8(truncatingIfNeeded: m % 10) + 48
        m /= 10
      } while m > 0
      out.append(contentsOf: b[i...])
    }
  }
}

/// A dictionary's entries as bytes, each written once, in one buffer.
struct EntryBytes {
  private let bytes: [UInt8]
  /// Entry e's bytes are `bytes[starts[e]..<starts[e + 1]]`.
  private let starts: [Int]

  /// Each entry of `dictionary` as `form` writes it.
  init(_ dictionary: [String], _ form: (String) -> [UInt8]) {
    var (bytes, starts) = ([UInt8](), [0])
    starts.reserveCapacity(dictionary.count + 1)
    for s in dictionary {
      bytes += form(s)
      starts.append(bytes.count)
    }
    (self.bytes, self.starts) = (bytes, starts)
  }

  /// No entries.
  init() { (bytes, starts) = ([], [0]) }

  /// Appends entry `e`'s bytes.
  @inline(__always) func append(_ e: Int, to out: inout [UInt8]) {
    bytes.withUnsafeBufferPointer { b in
      out.append(contentsOf: UnsafeBufferPointer(rebasing: b[starts[e]..<starts[e + 1]]))
    }
  }
}

/// Each core's share of the output, set by that core alone, read after they all finish
/// (in memory of its own, so that no two cores write one array).
private final class Parts: @unchecked Sendable {
  private let parts: UnsafeMutableBufferPointer<[UInt8]>
  init(_ count: Int) {
    parts = .allocate(capacity: count)
    parts.initialize(repeating: [])
  }
  deinit {
    _ = parts.deinitialize()
    parts.deallocate()
  }
  func set(_ p: Int, _ bytes: [UInt8]) { parts[p] = bytes }
  func count(_ p: Int) -> Int { parts[p].count }
  func take(_ p: Int) -> [UInt8] {
    defer { parts[p] = [] }
    return parts[p]
  }
}

/// What the cores writing shares of the rows read, and never change.
struct Shared<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
