import Foundation

/// The result of asynchronous work that a synchronous caller waits for.
final class Outcome<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var result: Result<T, any Error>?
  private let done = DispatchSemaphore(value: 0)

  func finish(_ r: Result<T, any Error>) {
    lock.withLock { result = r }
    done.signal()
  }

  /// Waits, calling `poll` every 50 ms until the work is done.
  func wait(poll: () -> Void) -> Result<T, any Error> {
    while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut { poll() }
    return lock.withLock { result }
      ?? .failure(RemoteError("the server request ended with no answer"))
  }
}

/// Runs the server work on a thread of its own, never on Swift's cooperative pool: the
/// caller blocks while it waits, and a caller that is itself on that pool (a test, a
/// future async shell) must not starve the work it waits for.
final class ServerThread: TaskExecutor, @unchecked Sendable {
  static let shared = ServerThread()
  private let queue = DispatchQueue(label: "pantau.postgres")

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}

/// Runs `work` on the server thread and waits for it on this one; `poll` runs while
/// waiting (the caller's chance to notice Ctrl-C and ask the server to cancel).
func blocking<T: Sendable>(
  poll: () -> Void = {}, _ work: @escaping @Sendable () async throws -> T
) -> Result<T, any Error> {
  let outcome = Outcome<T>()
  Task(executorPreference: ServerThread.shared) {
    do {
      outcome.finish(.success(try await work()))
    } catch {
      outcome.finish(.failure(error))
    }
  }
  return outcome.wait(poll: poll)
}
