import Synchronization

extension Column {
  /// A column of `count` rows of `like`'s type (and, for text, its dictionary), written a
  /// piece at a time by `fill` through `write(piece, at)`, from any thread: each piece's
  /// values go straight to their place in the column, so the pieces need not all be kept
  /// and then copied. Each piece must begin at a multiple of 64 rows (pieces written at
  /// once then share no validity word) and `fill` must write every row once. Nil when a
  /// piece does not fit: of another type or dictionary, past the end, or out of step.
  static func assembled(
    like: Column, count: Int,
    _ fill: (_ write: @Sendable (_ piece: Column, _ at: Int) -> Void) -> Void
  ) -> Column? {
    switch like {
    case .int:
      assemble(count, fill) { if case .int(let c) = $0 { c.values } else { nil } }
        .map { .int(TypedColumn($0, validity: $1)) }
    case .date:
      assemble(count, fill) { if case .date(let c) = $0 { c.values } else { nil } }
        .map { .date(TypedColumn($0, validity: $1)) }
    case .float:
      assemble(count, fill) { if case .float(let c) = $0 { c.values } else { nil } }
        .map { .float(TypedColumn($0, validity: $1)) }
    case .bool:
      assemble(count, fill) { if case .bool(let c) = $0 { c.values } else { nil } }
        .map { .bool(TypedColumn($0, validity: $1)) }
    case .text(let t):
      assemble(count, fill) {
        if case .text(let c) = $0, c.dictionary == t.dictionary { c.codes } else { nil }
      }.map { .text(t.recoded($0, validity: $1)) }
    }
  }

  /// The values and validity of `assembled`, each piece's values read by `values` (nil:
  /// the piece does not fit).
  private static func assemble<T>(
    _ count: Int, _ fill: (_ write: @Sendable (Column, Int) -> Void) -> Void,
    _ values: @escaping @Sendable (Column) -> [T]?
  ) -> ([T], Validity)? {
    var words = [UInt64](repeating: 0, count: (count + 63) / 64)
    let state = Assembly()
    let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      words.withUnsafeMutableBufferPointer { w in
        let (buffer, w) = (SharedBuffer(buffer), SharedBuffer(w))
        fill { piece, at in
          guard let v = values(piece), at & 63 == 0, at >= 0, at + v.count <= count else {
            state.failed.store(true, ordering: .relaxed)
            return
          }
          v.withUnsafeBufferPointer { v in
            guard let from = v.baseAddress, let to = buffer.buffer.baseAddress else { return }
            (to + at).initialize(from: from, count: v.count)
          }
          let validity = piece.validity
          if validity.hasNulls { state.nulls.store(true, ordering: .relaxed) }
          for k in 0..<(v.count + 63) / 64 {
            let inWord = min(64, v.count - k * 64)
            let mask: UInt64 = inWord == 64 ? ~0 : (1 << UInt64(inWord)) - 1
            w.buffer[(at >> 6) + k] = (validity.words?[k] ?? ~0) & mask
          }
          state.written.add(v.count, ordering: .relaxed)
        }
        // Unwritten rows stay uninitialized only when the result is thrown away (plain values).
        initialized = count
      }
    }
    guard !state.failed.load(ordering: .relaxed), state.written.load(ordering: .relaxed) == count
    else {
      return nil
    }
    return (out, state.nulls.load(ordering: .relaxed) ? Validity(words: words) : .allValid)
  }
}

/// What the writers of `Column.assembled` report: whether a piece did not fit, whether a
/// piece had a null, and how many rows were written.
private final class Assembly: Sendable {
  let failed = Atomic<Bool>(false)
  let nulls = Atomic<Bool>(false)
  let written = Atomic<Int>(0)
}
