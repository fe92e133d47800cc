/// A column computed a chunk of rows at a time, on every core: each chunk's inputs are
/// copied out of the table, the computation runs on them while they sit in the cache (its
/// intermediate columns never reach memory), and its result is copied straight into the
/// whole. DuckDB's vectors work so; `Executor.evaluate` uses it for an expression of
/// numbers over many rows.
public enum ChunkedColumns {
  /// The column of `count` rows of `type` (not text) whose rows `r` are the column of
  /// `part(inputs sliced to r, r.count)` for consecutive chunks `r` of `chunk` rows (a
  /// multiple of 64), with what each part said beside its column, in order of the chunks.
  /// Only the inputs at `reading` are sliced; the others are handed on as they are, unread.
  /// Throws the error of the first failing chunk in row order (a later chunk on another
  /// core may have run already).
  public static func build<Said: Sendable>(
    _ type: DataType, count: Int, chunk: Int, inputs: [Column], reading: [Int],
    _ part: @Sendable ([Column], Int) throws(EngineError) -> (Column, Said)
  ) throws(EngineError) -> (Column, [Said]) {
    let chunk = max(64, chunk / 64 * 64)
    let chunks = (count + chunk - 1) / chunk
    let shares = min(Tuning.cores, chunks)
    let words = (count + 63) / 64
    var validity = [UInt64](repeating: ~0, count: words)
    let failures = Collected<EngineError>(count: shares)
    let nulls = Collected<Bool>(count: shares)
    let said = Collected<Said>(count: chunks)
    let inputs = Unchecked(inputs)
    func run(_ out: SharedBuffer<UInt8>, width: Int, _ v: SharedBuffer<UInt64>) {
      Parallel.each(shares) { p in
        var anyNull = false
        defer { nulls.set(p, anyNull) }
        for c in chunks * p / shares..<chunks * (p + 1) / shares {
          let start = c * chunk
          let m = min(chunk, count - start)
          var sliced = inputs.value
          for k in reading { sliced[k] = slice(sliced[k], start: start, count: m) }
          let result: Column
          do throws(EngineError) {
            let (column, saying) = try part(sliced, m)
            result = column
            said.set(c, saying)
          } catch {
            failures.set(p, error)
            return
          }
          guard result.count == m, result.type == type else {
            failures.set(
              p, .invalidValue(reason: "a chunk gave rows of another shape", hint: ""))
            return
          }
          copy(result, into: out, width: width, at: start)
          anyNull = copyValidity(result.validity, into: v, at: start, count: m) || anyNull
        }
      }
    }
    // The values of every chunk, written where they belong in one array of the whole.
    func values<T>(_: T.Type) -> [T] {
      [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        validity.withUnsafeMutableBufferPointer { v in
          run(bytes(buffer), width: MemoryLayout<T>.stride, SharedBuffer(v))
        }
        initialized = failed(failures) ? 0 : count
      }
    }
    let column: Column
    switch type {
    case .float: column = .float(TypedColumn(values(Double.self)))
    case .int: column = .int(TypedColumn(values(Int.self)))
    case .date: column = .date(TypedColumn(values(Int.self)))
    case .bool: column = .bool(TypedColumn(values(Bool.self)))
    case .text: throw .invalidValue(reason: "text is not built by chunks", hint: "")
    }
    for p in 0..<shares {
      if let error = failures.take(p) { throw error }
    }
    let sayings = (0..<chunks).compactMap { said.take($0) }
    let anyNull = (0..<shares).contains { nulls.take($0) == true }
    guard anyNull else { return (column, sayings) }
    if count % 64 != 0 { validity[words - 1] &= (1 << UInt64(count % 64)) - 1 }
    let valid = Validity(words: validity)
    switch column {
    case .int(let c): return (.int(TypedColumn(c.values, validity: valid)), sayings)
    case .date(let c): return (.date(TypedColumn(c.values, validity: valid)), sayings)
    case .float(let c): return (.float(TypedColumn(c.values, validity: valid)), sayings)
    case .bool(let c): return (.bool(TypedColumn(c.values, validity: valid)), sayings)
    case .text: return (column, sayings)
    }
  }

  private static func failed(_ failures: Collected<EngineError>) -> Bool {
    failures.results.contains { $0 != nil }
  }

  private static func bytes<T>(_ buffer: UnsafeMutableBufferPointer<T>) -> SharedBuffer<UInt8> {
    SharedBuffer(
      UnsafeMutableRawBufferPointer(buffer).bindMemory(to: UInt8.self))
  }

  /// Rows `start..<start + count` of a column (`start` a multiple of 64).
  static func slice(_ column: Column, start: Int, count: Int) -> Column {
    let end = start + count
    func validity(_ v: Validity) -> Validity {
      guard let words = v.words else { return .allValid }
      return Validity(words: Array(words[start / 64..<(end + 63) / 64]))
    }
    switch column {
    case .int(let c):
      return .int(TypedColumn(Array(c.values[start..<end]), validity: validity(c.validity)))
    case .date(let c):
      return .date(TypedColumn(Array(c.values[start..<end]), validity: validity(c.validity)))
    case .float(let c):
      return .float(TypedColumn(Array(c.values[start..<end]), validity: validity(c.validity)))
    case .bool(let c):
      return .bool(TypedColumn(Array(c.values[start..<end]), validity: validity(c.validity)))
    case .text(let c):
      return .text(
        TextColumn(
          codes: Array(c.codes[start..<end]), dictionary: c.dictionary,
          validity: validity(c.validity)))
    }
  }

  /// A part's values written at row `start` of the whole (`width` bytes a value).
  private static func copy(_ part: Column, into out: SharedBuffer<UInt8>, width: Int, at start: Int)
  {
    func write<T>(_ values: [T]) {
      values.withUnsafeBytes { from in
        guard let base = from.baseAddress, let to = out.buffer.baseAddress else { return }
        (to + start * width).update(
          from: base.assumingMemoryBound(to: UInt8.self), count: from.count)
      }
    }
    switch part {
    case .int(let c), .date(let c): write(c.values)
    case .float(let c): write(c.values)
    case .bool(let c): write(c.values)
    case .text: break
    }
  }

  /// A part's validity written at row `start` (a multiple of 64); whether it has a null.
  private static func copyValidity(
    _ part: Validity, into out: SharedBuffer<UInt64>, at start: Int, count: Int
  ) -> Bool {
    guard let words = part.words else { return false }
    var anyNull = false
    for (k, w) in words.enumerated() {
      let bits = min(64, count - k * 64)
      guard bits > 0 else { break }
      let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
      out.buffer[start / 64 + k] = w | ~mask
      anyNull = anyNull || w & mask != mask
    }
    return anyNull
  }
}
