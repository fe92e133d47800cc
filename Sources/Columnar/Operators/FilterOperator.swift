/// `filter`: the rows whose condition is true (null counts as false), through one byte
/// mask. The conjuncts of an `and` chain are applied one by one to the mask, without the
/// three-valued bookkeeping a value would need and without branches; the rows are then
/// collected without branches into an array of the exact size.
public struct FilterOperator {
  private var mask: [UInt8]

  /// A mask over `count` rows, holding where every one of `conditions` (the conjuncts the
  /// kernels test directly) holds.
  public init(count n: Int, conditions: [MaskCondition]) {
    mask = [UInt8](repeating: 1, count: n)
    MaskCondition.apply(conditions, to: &mask)
  }

  /// Keeps only the rows where `b` (a computed conjunct) is true.
  public mutating func and(_ b: TypedColumn<Bool>) {
    MaskCondition.apply([.bools(b.values, b.validity)], to: &mask)
  }

  /// The rows kept, ascending.
  public func rows() -> [Int] { MaskRows.rows(of: mask) }
}
