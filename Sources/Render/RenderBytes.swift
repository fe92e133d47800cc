/// What the file writers share: an int's digits, and a text column's dictionary entries
/// written once each (escaped or quoted), appended to a row by its code.
enum RenderBytes {
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
