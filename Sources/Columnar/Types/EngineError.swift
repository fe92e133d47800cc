/// A problem the engine finds in data, without a source position; the language layer adds
/// the position of the statement that raised it.
public enum EngineError: Error, Sendable, Equatable {
  /// A file could not be read or written.
  case io(path: String, reason: String)
  /// A file's content is malformed at a line (1-based).
  case malformed(path: String, line: Int, reason: String)
  /// An integer result does not fit in 64 bits.
  case overflow(operation: String)
  /// The statement was cancelled (Ctrl-C).
  case cancelled
  /// A size limit would be exceeded.
  case limit(reason: String)
  /// A value that an operation cannot take (a pattern that is not a regular expression).
  case invalidValue(reason: String, hint: String)

  /// A byte count for messages: `1.5 GiB`, `820 MiB`.
  public static func size(_ bytes: Int) -> String {
    let gib = Double(bytes) / 1_073_741_824
    if gib >= 1000 { return "more than 1000 GiB" }
    if gib >= 1 { return String((gib * 10).rounded() / 10) + " GiB" }
    return String(Int((Double(bytes) / 1_048_576).rounded())) + " MiB"
  }

  /// A one-line description.
  public var message: String {
    switch self {
    case .io(let path, let reason): "cannot read \"\(path)\": \(reason)"
    case .malformed(let path, let line, let reason):
      line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
    case .overflow(let op): "integer overflow in \(op)"
    case .cancelled: "cancelled"
    case .limit(let reason): reason
    case .invalidValue(let reason, _): reason
    }
  }
}
