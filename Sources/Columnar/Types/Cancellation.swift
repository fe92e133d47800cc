import Synchronization

/// A flag that a signal handler sets to stop the running statement; kernels check it
/// between chunks of rows.
public final class Cancellation: Sendable {
  private let flag = Atomic<Bool>(false)

  /// A cleared flag.
  public init() {}

  /// Asks the running statement to stop.
  public func cancel() { flag.store(true, ordering: .relaxed) }

  /// Clears the flag before the next statement.
  public func reset() { flag.store(false, ordering: .relaxed) }

  /// Whether a stop was asked for.
  public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
