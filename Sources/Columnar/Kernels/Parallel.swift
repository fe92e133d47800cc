import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Work spread over the machine's cores.
enum Parallel {
  /// `body(p)` for every share `p` in `0..<parts`, on every core when there are several.
  static func each(_ parts: Int, _ body: @Sendable (Int) -> Void) {
    if parts > 1 {
      DispatchQueue.concurrentPerform(iterations: parts, execute: body)
    } else if parts == 1 {
      body(0)
    }
  }

  /// `body(next)` on `lanes` threads, where `next()` hands out the pieces `0..<count`, each
  /// once, to whichever lane asks first (then nil): pieces of uneven work (a sort's
  /// buckets) spread evenly, where a fixed share each could leave one core idle. The
  /// pieces must not depend on one another.
  static func claim(_ count: Int, lanes: Int, _ body: @Sendable (_ next: () -> Int?) -> Void) {
    let counter = PieceCounter()
    each(lanes) { _ in
      body {
        let piece = counter.taken.wrappingAdd(1, ordering: .relaxed).oldValue
        return piece < count ? piece : nil
      }
    }
  }

  /// `body(i)` for every `i` in `0..<count`, in order of `i`; on every core when
  /// `spread` (each call must be independent of the others), else one after another.
  static func map<T: Sendable>(
    _ count: Int, spread: Bool, _ body: @Sendable (Int) -> T
  ) -> [T] {
    guard spread, count > 1 else { return (0..<count).map(body) }
    let results = Collected<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in results.set(i, body(i)) }
    return (0..<count).compactMap { results.take($0) }
  }
}

/// The next piece of `Parallel.claim` to hand out.
private final class PieceCounter: Sendable {
  let taken = Atomic<Int>(0)
}

/// A value handed to other threads that the compiler cannot prove safe to share: read
/// only, for the duration of one parallel loop.
struct Unchecked<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

/// Results filled by several threads, each its own slot.
final class Collected<T>: @unchecked Sendable {
  private let lock = NSLockLike()
  private(set) var results: [T?]

  init(count: Int) { results = [T?](repeating: nil, count: count) }

  func set(_ i: Int, _ r: T) {
    lock.locked { results[i] = r }
  }

  /// Result `i`, left behind no more (so the caller owns it alone).
  func take(_ i: Int) -> T? {
    var r: T? = nil
    lock.locked { swap(&r, &results[i]) }
    return r
  }
}

/// A pthread mutex (Foundation-free).
final class NSLockLike: @unchecked Sendable {
  private var mutex = pthread_mutex_t()
  init() { pthread_mutex_init(&mutex, nil) }
  deinit { pthread_mutex_destroy(&mutex) }
  func locked(_ body: () -> Void) {
    pthread_mutex_lock(&mutex)
    body()
    pthread_mutex_unlock(&mutex)
  }
}

/// What a loaded column keeps once found, for the next statement that needs it: an int
/// column's least and greatest values (`TypedColumn.extremes`), a text column's order of
/// its dictionary (`TextColumn.ranks`).
final class Memo<Value: Sendable>: Sendable {
  private let found = Mutex<Value?>(nil)

  /// The value kept, or the one `find` gives (then kept).
  func value(_ find: () -> Value) -> Value {
    if let known = found.withLock({ $0 }) { return known }
    let value = find()
    found.withLock { $0 = value }
    return value
  }
}

/// The least and greatest of many values.
enum Extremes {
  /// The least and greatest of a column's values (null rows' placeholders too): those its
  /// memo keeps, if it has one.
  static func of(_ column: TypedColumn<Int>) -> (lo: Int, hi: Int) {
    guard let memo = column.extremes else { return of(column.values) }
    return memo.value { of(column.values) }
  }

  /// Whether the column keeps its extremes (a loaded column's memo), and they are at most
  /// `span` apart: then `lo` and `hi` are set to them (null rows' placeholders taken in), a
  /// range that holds any rows' values, found once for the column instead of over the rows.
  static func narrow(_ column: TypedColumn<Int>, within span: Int, _ lo: inout Int, _ hi: inout Int)
    -> Bool
  {
    guard column.extremes != nil else { return false }
    let (a, b) = of(column)
    let (width, overflow) = b.subtractingReportingOverflow(a)
    guard !overflow, width < span else { return false }
    (lo, hi) = (a, b)
    return true
  }

  /// The least and greatest of a column's valid values (`(Int.max, Int.min)` when there
  /// are none): with no nulls, those its memo keeps.
  static func ofValid(_ column: TypedColumn<Int>) -> (lo: Int, hi: Int) {
    column.validity.hasNulls ? of(column.values, column.validity) : of(column)
  }

  /// The least and greatest of `values` (`(Int.max, Int.min)` when there are none), on every
  /// core from `Tuning.splitRows` values on: each core takes a share, and the shares'
  /// extremes are combined.
  static func of(_ values: [Int]) -> (lo: Int, hi: Int) {
    let n = values.count
    let parts = n >= Tuning.splitRows ? Tuning.cores : 1
    let found = values.withUnsafeBufferPointer { v in
      let shared = SharedBuffer(mutating: v)
      return Parallel.map(parts, spread: parts > 1) { p in
        var (lo, hi) = (Int.max, Int.min)
        // No per-value test: the loop vectorises.
        for x in shared.buffer[p * n / parts..<(p + 1) * n / parts] {
          lo = min(lo, x)
          hi = max(hi, x)
        }
        return (lo, hi)
      }
    }
    return found.reduce((Int.max, Int.min)) { (min($0.0, $1.0), max($0.1, $1.1)) }
  }

  /// The same over the rows `validity` marks valid: a word of 64 valid rows at a time
  /// with no per-value test, the other words with a select per row.
  static func of(_ values: [Int], _ validity: Validity) -> (lo: Int, hi: Int) {
    guard let words = validity.words else { return of(values) }
    let n = values.count
    let blocks = (n + 63) / 64
    let parts = n >= Tuning.splitRows ? Tuning.cores : 1
    let found = values.withUnsafeBufferPointer { v in
      words.withUnsafeBufferPointer { w in
        let (shared, bits) = (SharedBuffer(mutating: v), SharedBuffer(mutating: w))
        return Parallel.map(parts, spread: parts > 1) { p in
          var (lo, hi) = (Int.max, Int.min)
          for b in p * blocks / parts..<(p + 1) * blocks / parts {
            let start = b * 64
            let end = min(n, start + 64)
            let word = bits.buffer[b]
            if word == ~0 && end - start == 64 {
              for x in shared.buffer[start..<end] {
                lo = min(lo, x)
                hi = max(hi, x)
              }
            } else if word != 0 {
              // A select per row, not a branch: with a few nulls, most words hold one.
              for r in start..<end {
                let x = shared.buffer[r]
                let keep = (word >> UInt64(r - start)) & 1 != 0
                lo = min(lo, keep ? x : .max)
                hi = max(hi, keep ? x : .min)
              }
            }
          }
          return (lo, hi)
        }
      }
    }
    return found.reduce((Int.max, Int.min)) { (min($0.0, $1.0), max($0.1, $1.1)) }
  }
}
