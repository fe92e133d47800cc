/// What each operator of one run did, by node number: the rows it gave, the time it took
/// (with its inputs'), and the routes the data chose for it.
public final class ExecutionProfile: @unchecked Sendable {
  /// Rows out.
  public private(set) var rows: [Int: Int] = [:]
  /// Seconds, inputs included.
  public private(set) var seconds: [Int: Double] = [:]
  /// A route the data decided (e.g. a group whose keys were too wide for slots).
  public private(set) var notes: [Int: String] = [:]

  /// An empty profile.
  public init() {}

  func record(_ id: Int, rows n: Int, since start: ContinuousClock.Instant) {
    let d = start.duration(to: .now).components
    rows[id] = n
    seconds[id] = Double(d.seconds) + Double(d.attoseconds) * 1e-18
  }

  func note(_ id: Int, _ text: String) {
    notes[id] = notes[id].map { $0 + "; " + text } ?? text
  }
}
