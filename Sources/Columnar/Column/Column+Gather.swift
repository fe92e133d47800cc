extension TypedColumn {
  /// The rows at `indices`, in that order; a negative index gives a null. Stops with
  /// `.cancelled` when `cancellation` is set (checked every 64K rows).
  /// - Complexity: O(k) for k indices.
  public func gather(_ indices: [Int], placeholder: Element, cancellation: Cancellation? = nil)
    throws(EngineError) -> TypedColumn
  {
    let n = indices.count
    var negative = 0
    var cancelled = false
    let out = values.withUnsafeBufferPointer { src in
      indices.withUnsafeBufferPointer { idx in
        [Element](unsafeUninitializedCapacity: n) { dst, initialized in
          if src.isEmpty {
            for k in 0..<n { dst.initializeElement(at: k, to: placeholder) }
            negative = n > 0 ? -1 : 0
            initialized = n
            return
          }
          var k = 0
          while k < n {
            if k > 0, cancellation?.isCancelled == true {
              cancelled = true
              break
            }
            let end = min(n, k + 0x10000)
            for j in k..<end {
              let i = idx[j]
              negative |= i
              dst.initializeElement(at: j, to: i >= 0 ? src[i] : placeholder)
            }
            k = end
          }
          initialized = k
        }
      }
    }
    if cancelled { throw .cancelled }
    guard negative < 0 || validity.hasNulls else { return TypedColumn(out) }
    // The validity words of the result, 64 rows at a time, without a branch per row.
    var words = [UInt64](repeating: 0, count: (n + 63) / 64)
    var valid = 0
    indices.withUnsafeBufferPointer { idx in
      words.withUnsafeMutableBufferPointer { w in
        if let source = validity.words {
          source.withUnsafeBufferPointer { v in
            for k in 0..<n {
              let i = idx[k]
              let bit = i >= 0 ? (v[i >> 6] >> UInt64(i & 63)) & 1 : 0
              w[k >> 6] |= bit << UInt64(k & 63)
            }
          }
        } else {
          for k in 0..<n {
            let bit: UInt64 = idx[k] >= 0 ? 1 : 0
            w[k >> 6] |= bit << UInt64(k & 63)
          }
        }
        for word in w { valid += word.nonzeroBitCount }
      }
    }
    return valid == n ? TypedColumn(out) : TypedColumn(out, validity: Validity(words: words))
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
