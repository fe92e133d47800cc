extension TypedColumn {
  /// The rows at `indices`, in that order; a negative index gives a null. Stops with
  /// `.cancelled` when `cancellation` is set (checked every 64K rows).
  /// - Complexity: O(k) for k indices.
  public func gather(_ indices: [Int], placeholder: Element, cancellation: Cancellation? = nil)
    throws(EngineError) -> TypedColumn
  {
    let n = indices.count
    var out = [Element](repeating: placeholder, count: n)
    var anyNull = false
    let hasNulls = validity.hasNulls
    var cancelled = false
    values.withUnsafeBufferPointer { src in
      indices.withUnsafeBufferPointer { idx in
        out.withUnsafeMutableBufferPointer { dst in
          for k in 0..<n {
            if k & 0xFFFF == 0xFFFF, cancellation?.isCancelled == true {
              cancelled = true
              return
            }
            let i = idx[k]
            if i < 0 {
              anyNull = true
            } else {
              dst[k] = src[i]
              if hasNulls && !validity.isValid(i) { anyNull = true }
            }
          }
        }
      }
    }
    if cancelled { throw .cancelled }
    guard anyNull else { return TypedColumn(out) }
    var b = ValidityBuilder(capacity: n)
    indices.withUnsafeBufferPointer { idx in
      for k in 0..<n { b.append(idx[k] >= 0 && validity.isValid(idx[k])) }
    }
    return TypedColumn(out, validity: b.build())
  }

  /// The rows at `indices` (negative: null).
  public func gather(_ indices: [Int], placeholder: Element) -> TypedColumn {
    do throws(EngineError) {
      return try gather(indices, placeholder: placeholder, cancellation: nil)
    } catch {
      preconditionFailure("internal error: gather failed without a cancellation")
    }
  }
}

extension TextColumn {
  /// The rows at `indices`, in that order; a negative index gives a null. The dictionary
  /// is shared, not copied.
  /// - Complexity: O(k) for k indices.
  public func gather(_ indices: [Int], cancellation: Cancellation? = nil) throws(EngineError)
    -> TextColumn
  {
    let g = try TypedColumn(codes, validity: validity).gather(
      indices, placeholder: 0, cancellation: cancellation)
    return TextColumn(codes: g.values, dictionary: dictionary, validity: g.validity)
  }
}

extension Column {
  /// The rows at `indices`, in that order; a negative index gives a null (the left join's
  /// unmatched rows). Stops with `.cancelled` when `cancellation` is set.
  /// - Complexity: O(k) for k indices.
  public func gather(_ indices: [Int], cancellation: Cancellation?) throws(EngineError) -> Column {
    switch self {
    case .int(let c): .int(try c.gather(indices, placeholder: 0, cancellation: cancellation))
    case .float(let c): .float(try c.gather(indices, placeholder: 0, cancellation: cancellation))
    case .text(let c): .text(try c.gather(indices, cancellation: cancellation))
    case .bool(let c): .bool(try c.gather(indices, placeholder: false, cancellation: cancellation))
    case .date(let c): .date(try c.gather(indices, placeholder: 0, cancellation: cancellation))
    }
  }

  /// The rows at `indices` (negative: null).
  public func gather(_ indices: [Int]) -> Column {
    do throws(EngineError) {
      return try gather(indices, cancellation: nil)
    } catch {
      preconditionFailure("internal error: gather failed without a cancellation")
    }
  }

  /// This column's rows followed by `other`'s. `other` must have the same type, or be an int
  /// column when this one is float.
  public func appending(_ other: Column) -> Column {
    var b = ColumnBuilder(type)
    for i in 0..<count { b.append(value(at: i)) }
    for i in 0..<other.count { b.append(other.value(at: i)) }
    return b.build()
  }

  /// The column converted to `type` (int to float widening; anything else unchanged).
  public func widened(to target: DataType) -> Column {
    if case .int(let c) = self, target == .float {
      return .float(TypedColumn(c.values.map(Double.init), validity: c.validity))
    }
    return self
  }
}
