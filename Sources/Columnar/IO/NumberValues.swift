#if canImport(Glibc)
  import Glibc
#endif

/// The values of a number column (ints, dates or floats) as a reader parses them: in an
/// array of its own, or in a window of the column's array that another reader of the same
/// file writes too (`SharedNumbers`).
///
/// A file read in halves on two cores used to give each half its own arrays, and the second
/// half's values were then copied after the first's: memory touched twice over for half
/// the column. With a window, each half writes where its rows end up; the second half's
/// window starts after as many rows as the first half has lines, so at most a few rows
/// (blank lines) are moved down at the end.
///
/// (Sendable by hand: a window is written by the one reader that holds it, and read after
/// both readers are done.)
struct NumberValues<T: Numeric & Sendable>: @unchecked Sendable {
  private(set) var array: [T] = []
  private var window: UnsafeMutablePointer<T>? = nil
  private var room = 0
  private var filled = 0
  /// Set when a value did not fit the window (the caller then reads the file otherwise).
  private(set) var overflowed = false

  init() {}

  /// Values written from `window`, at most `room` of them.
  init(window: UnsafeMutablePointer<T>, room: Int) {
    self.window = window
    self.room = room
  }

  /// Whether the values go to a shared window.
  var isShared: Bool { window != nil }

  var count: Int { window == nil ? array.count : filled }

  mutating func reserve(_ n: Int) {
    if window == nil { array.reserveCapacity(n) }
  }

  @inline(__always) mutating func append(_ v: T) {
    guard let window else {
      array.append(v)
      return
    }
    guard filled < room else {
      overflowed = true
      return
    }
    window[filled] = v
    filled += 1
  }

  /// The values as an array of their own (a window's are copied).
  func values() -> [T] {
    guard let window else { return array }
    return Array(UnsafeBufferPointer(start: window, count: filled))
  }

  /// Appends `other`'s values when both are arrays of their own; false, with nothing
  /// changed, when either writes to a shared window (those are joined by `SharedNumbers`).
  mutating func append(contentsOf other: NumberValues<T>) -> Bool {
    guard window == nil, other.window == nil else { return false }
    array.append(contentsOf: other.array)
    return true
  }

  /// Appends `ints` converted (an int column that met a decimal).
  mutating func append(converting ints: NumberValues<Int>) where T == Double {
    for v in ints.values() { append(Double(v)) }
  }

  /// Parses cells `first..<count` (an empty cell: null) while `parse` succeeds; the index of
  /// the first cell it did not take. The values are written in place, not appended one by
  /// one. A window without room for every cell takes none and is marked `overflowed`.
  @inline(__always)
  mutating func bulk(
    _ validity: inout ValidityBuilder, _ first: Int, _ count: Int,
    _ starts: UnsafePointer<Int>, _ ends: UnsafePointer<Int>, _ stride: Int,
    _ parse: (Int, Int) -> T?
  ) -> Int {
    if let window {
      guard count - first <= room - filled else {
        overflowed = true
        return count
      }
      let k = NumberValues.parse(
        into: window + filled - first, &validity, first, count, starts, ends, stride, parse)
      filled += k - first
      return k
    }
    let base = array.count - first
    array.append(contentsOf: repeatElement(0, count: count - first))
    var k = first
    array.withUnsafeMutableBufferPointer { out in
      guard let out = out.baseAddress else { return }
      k = NumberValues.parse(into: out + base, &validity, first, count, starts, ends, stride, parse)
    }
    array.removeLast(count - k)
    return k
  }

  /// Cells `first..<count` into `out[k]` while `parse` succeeds; the first cell not taken.
  @inline(__always)
  private static func parse(
    into out: UnsafeMutablePointer<T>, _ validity: inout ValidityBuilder, _ first: Int,
    _ count: Int, _ starts: UnsafePointer<Int>, _ ends: UnsafePointer<Int>, _ stride: Int,
    _ parse: (Int, Int) -> T?
  ) -> Int {
    var k = first
    while k < count {
      let s = starts[k * stride]
      let e = ends[k * stride]
      if s == e {
        out[k] = 0
        validity.append(false)
      } else if let v = parse(s, e) {
        out[k] = v
        validity.append(true)
      } else {
        break
      }
      k += 1
    }
    return k
  }
}

/// A number column's arrays shared by the two readers of a file read in halves: room for
/// every line of both halves as ints and as floats, of which only the kind the column turns
/// out to be is written (the other is never touched, so it costs no memory). The first
/// half writes from row 0, the second from row `split`.
final class SharedNumbers: @unchecked Sendable {
  private var ints: [Int]
  private var floats: [Double]
  private let intBase: UnsafeMutablePointer<Int>
  private let floatBase: UnsafeMutablePointer<Double>
  let capacity: Int
  let split: Int

  /// Arrays of `first + second` rows, not initialised: each slot is written before it is
  /// read.
  init?(first: Int, second: Int) {
    let n = first + second
    var ints = [Int](unsafeUninitializedCapacity: max(1, n)) { _, count in count = n }
    var floats = [Double](unsafeUninitializedCapacity: max(1, n)) { _, count in count = n }
    // The arrays are held here alone and not resized until taken, so their storage stays
    // where it is while the readers write through these addresses.
    guard let intBase = ints.withUnsafeMutableBufferPointer({ $0.baseAddress }),
      let floatBase = floats.withUnsafeMutableBufferPointer({ $0.baseAddress })
    else { return nil }
    self.ints = ints
    self.floats = floats
    self.intBase = intBase
    self.floatBase = floatBase
    capacity = n
    split = first
  }

  /// The windows of the first half (`second` false) or the second.
  func windows(second: Bool) -> (NumberValues<Int>, NumberValues<Double>) {
    let offset = second ? split : 0
    let room = second ? capacity - split : split
    return (
      NumberValues(window: intBase + offset, room: room),
      NumberValues(window: floatBase + offset, room: room)
    )
  }

  /// The column's ints: the first half's `firstRows`, then the second's `secondRows` moved
  /// down next to them.
  func takeInts(firstRows: Int, secondRows: Int) -> [Int] {
    SharedNumbers.joined(&ints, split, firstRows, secondRows)
  }

  /// The column's floats, as `takeInts`.
  func takeFloats(firstRows: Int, secondRows: Int) -> [Double] {
    SharedNumbers.joined(&floats, split, firstRows, secondRows)
  }

  private static func joined<T>(
    _ array: inout [T], _ split: Int, _ firstRows: Int, _ secondRows: Int
  ) -> [T] {
    var taken: [T] = []
    swap(&taken, &array)
    if firstRows < split {
      taken.withUnsafeMutableBufferPointer { p in
        guard let base = p.baseAddress else { return }
        memmove(base + firstRows, base + split, secondRows * MemoryLayout<T>.stride)
      }
    }
    taken.removeLast(taken.count - firstRows - secondRows)
    return taken
  }
}
