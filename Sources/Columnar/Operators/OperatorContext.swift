/// What an operator is given besides its input columns: the flag that cancels it, the
/// memory it may ask for, how it draws, and where it says which route the data sent it
/// down (`.explain analyze`'s note column).
public struct OperatorContext {
  /// Checked between chunks of rows and between stages of the work.
  public var cancellation: Cancellation?
  /// The most memory, in bytes, that a join or pivot may ask for.
  public var memoryLimit: Int
  /// Whether sparklines draw with ASCII characters.
  public var asciiCharts: Bool
  /// Records a note on the running operator: the route the data chose, when it is not the
  /// one the plan names.
  public var note: (String) -> Void
  /// Told, before the error is thrown, that an error arose in the work of a stage fused
  /// into the operator (a join's under a group), so that it is placed at that stage.
  public var failedInFusedStage: () -> Void

  /// A context; `note` and `failedInFusedStage` do nothing unless given.
  public init(
    cancellation: Cancellation?, memoryLimit: Int = .max, asciiCharts: Bool = false,
    note: @escaping (String) -> Void = { _ in },
    failedInFusedStage: @escaping () -> Void = {}
  ) {
    self.cancellation = cancellation
    self.memoryLimit = memoryLimit
    self.asciiCharts = asciiCharts
    self.note = note
    self.failedInFusedStage = failedInFusedStage
  }

  /// Runs `body`, the work of a fused stage, telling `failedInFusedStage` when it fails.
  func inFusedStage<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    do throws(EngineError) {
      return try body()
    } catch {
      failedInFusedStage()
      throw error
    }
  }

  /// Throws `cancelled` when a stop was asked for.
  func checkCancelled() throws(EngineError) {
    if cancellation?.isCancelled == true { throw .cancelled }
  }
}

/// One aggregate of a group or pivot as an operator sees it: what to compute, and its
/// argument columns, evaluated only when the operator comes to it (so that two derived
/// arguments are not held at once).
public struct AggregateInput {
  /// Which aggregate.
  public var kind: AggregateKind
  /// The result type.
  public var type: DataType
  /// The argument's type (nil for `count()`), known before it is evaluated.
  public var argumentType: DataType?
  /// The `p` of `quantile(x, p)`.
  public var fraction: Double
  /// The separator of `string_agg`.
  public var separator: String
  /// The input column the argument is, when it is one: aggregates that read the same
  /// column place its values group by group once.
  public var column: Int?
  /// The argument (nil for `count()`) and the second argument of `spark(y, x)` and the
  /// paired aggregates.
  public var columns: () throws(EngineError) -> (argument: Column?, position: Column?)

  /// An aggregate of these parts.
  public init(
    kind: AggregateKind, type: DataType, argumentType: DataType?, fraction: Double = 0,
    separator: String = ",", column: Int? = nil,
    columns: @escaping () throws(EngineError) -> (argument: Column?, position: Column?)
  ) {
    self.kind = kind
    self.type = type
    self.argumentType = argumentType
    self.fraction = fraction
    self.separator = separator
    self.column = column
    self.columns = columns
  }
}
