extension TypedColumn {
  /// The rows at `indices`, in that order; a negative index gives a null.
  /// - Complexity: O(k) for k indices.
  public func gather(_ indices: [Int], placeholder: Element) -> TypedColumn {
    var out = [Element](repeating: placeholder, count: indices.count)
    var anyNull = false
    let hasNulls = validity.hasNulls
    values.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for (k, i) in indices.enumerated() {
          if i < 0 {
            anyNull = true
          } else {
            dst[k] = src[i]
            if hasNulls && !validity.isValid(i) { anyNull = true }
          }
        }
      }
    }
    guard anyNull else { return TypedColumn(out) }
    var b = ValidityBuilder(capacity: indices.count)
    for i in indices { b.append(i >= 0 && validity.isValid(i)) }
    return TypedColumn(out, validity: b.build())
  }
}

extension TextColumn {
  /// The rows at `indices`, in that order; a negative index gives a null. The dictionary
  /// is shared, not copied.
  /// - Complexity: O(k) for k indices.
  public func gather(_ indices: [Int]) -> TextColumn {
    let g = TypedColumn(codes, validity: validity).gather(indices, placeholder: 0)
    return TextColumn(codes: g.values, dictionary: dictionary, validity: g.validity)
  }
}

extension Column {
  /// The rows at `indices`, in that order; a negative index gives a null (the left join's
  /// unmatched rows).
  /// - Complexity: O(k) for k indices.
  public func gather(_ indices: [Int]) -> Column {
    switch self {
    case .int(let c): .int(c.gather(indices, placeholder: 0))
    case .float(let c): .float(c.gather(indices, placeholder: 0))
    case .text(let c): .text(c.gather(indices))
    case .bool(let c): .bool(c.gather(indices, placeholder: false))
    case .date(let c): .date(c.gather(indices, placeholder: 0))
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
