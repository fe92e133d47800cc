import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Work spread over the machine's cores.
public enum Parallel {
  /// `body(i)` for every `i` in `0..<count`, in order of `i`; on every core when
  /// `spread` (each call must be independent of the others), else one after another.
  public static func map<T: Sendable>(
    _ count: Int, spread: Bool, _ body: @Sendable (Int) -> T
  ) -> [T] {
    guard spread, count > 1 else { return (0..<count).map(body) }
    let results = Collected<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in results.set(i, body(i)) }
    return (0..<count).compactMap { results.take($0) }
  }
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
