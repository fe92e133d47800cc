import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// The cells of a text column with very many distinct values, kept as they are read and
/// coded once the column is whole.
///
/// `TextColumnBuilder` codes each cell as it comes, through one table of every distinct
/// value. Past a few hundred thousand values that table no longer fits in the cache, and
/// every row waits on memory for its probe (10 million cells of 6.3 million distinct values
/// took 4.3 s to load, against 0.14 s for a column of ints). Here each cell goes, with its
/// bytes and a hash, to one of 1,024 partitions chosen by the hash's top bits: an append to
/// one of 1,024 lists, whose ends stay in the cache, and each row's partition to a list of
/// its own. `build` then codes the partitions one at a time on every core, each with a
/// table small enough for the cache, and writes the rows' codes in row order, each taken
/// from the next cell of its row's partition (a partition's cells are in row order): the
/// codes are written one after the other, not each to a row far from the last.
///
/// A cell of at most 15 bytes is kept whole: its bytes and its length in two words, so
/// coding it never reads the input again. A longer cell is kept as its address and length,
/// so the buffer it was read from must outlive `build` (`keepsAddresses` says whether any
/// is). Codes are numbered partition after partition: the dictionary is in no particular
/// order, as a builder's is in no meaningful one (ranks order text).
struct TextPartitions {
  /// One cell: a short value's bytes (lowest first) with its length in the top byte of
  /// `w1`, or a long value's address in `w0` with `w1` = `0xFF` in the top byte and the
  /// length below; and the low half of its hash.
  struct Cell {
    var w0: UInt64
    var w1: UInt64
    var hash: UInt32
  }

  /// The rows read into one set of partitions (one reader's share of a file), which start
  /// at `offset` in the column: each partition's cells, and each row's partition (`null`
  /// for a null).
  private struct Piece {
    var parts = [[Cell]](repeating: [], count: TextPartitions.count)
    var partOf: [UInt16] = []
    var offset = 0
    var rows = 0
  }

  /// The partitions: 1,024, by the top 10 bits of a cell's hash.
  static let bits = 10
  static let count = 1 << bits
  /// The partition of a null row.
  private static let null = UInt16.max

  private var pieces = [Piece()]
  private var validity = ValidityBuilder()
  /// Rows appended so far.
  private(set) var rows = 0
  /// Whether a cell is kept by address (the input must outlive `build`).
  private(set) var keepsAddresses = false

  /// Makes room for `more` rows in the piece being read, spread evenly over its partitions
  /// (with a margin), so that their lists are not copied as they grow.
  mutating func reserve(_ more: Int) {
    let last = pieces.count - 1
    pieces[last].partOf.reserveCapacity(pieces[last].rows + more)
    let each = more / TextPartitions.count
    let room = each + each / 8 + 16
    for part in 0..<TextPartitions.count {
      pieces[last].parts[part].reserveCapacity(pieces[last].parts[part].count + room)
    }
    validity.reserve(more)
  }

  /// Appends a null.
  mutating func appendNull() {
    pieces[pieces.count - 1].rows += 1
    pieces[pieces.count - 1].partOf.append(TextPartitions.null)
    rows += 1
    validity.append(false)
  }

  /// Appends the cell `p[s..<e]`; `p` stays valid until `build`.
  mutating func append(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) {
    let last = pieces.count - 1
    var parts: [[Cell]] = []
    var partOf: [UInt16] = []
    swap(&parts, &pieces[last].parts)
    swap(&partOf, &pieces[last].partOf)
    parts.withUnsafeMutableBufferPointer { parts in
      TextPartitions.add(TextPartitions.cell(p, s, e, &keepsAddresses), parts, &partOf, &validity)
    }
    swap(&parts, &pieces[last].parts)
    swap(&partOf, &pieces[last].partOf)
    pieces[last].rows += 1
    rows += 1
  }

  /// Appends cells `first..<count` of a chunk, cell `k` spanning `starts[k * stride]` to
  /// `ends[k * stride]` of `p` (empty: null), which stays valid until `build`.
  mutating func append(
    _ p: UnsafeBufferPointer<UInt8>, starts: UnsafePointer<Int>, ends: UnsafePointer<Int>,
    stride: Int, from first: Int, count: Int
  ) {
    let last = pieces.count - 1
    var addressed = keepsAddresses
    var parts: [[Cell]] = []
    var partOf: [UInt16] = []
    swap(&parts, &pieces[last].parts)
    swap(&partOf, &pieces[last].partOf)
    parts.withUnsafeMutableBufferPointer { parts in
      for k in first..<count {
        let s = starts[k * stride]
        let e = ends[k * stride]
        if s == e {
          validity.append(false)
          partOf.append(TextPartitions.null)
        } else {
          TextPartitions.add(TextPartitions.cell(p, s, e, &addressed), parts, &partOf, &validity)
        }
      }
    }
    swap(&parts, &pieces[last].parts)
    swap(&partOf, &pieces[last].partOf)
    keepsAddresses = addressed
    rows += count - first
    pieces[last].rows += count - first
  }

  /// A cell's two words and hash.
  @inline(__always)
  private static func cell(
    _ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ addressed: inout Bool
  ) -> (UInt64, UInt64, UInt64) {
    guard let base = p.baseAddress else { return (0, 0, mix(0)) }
    let n = e - s
    if n > 15 {
      addressed = true
      let h = TextColumnBuilder.hash(UnsafeBufferPointer(start: base + s, count: n))
      return (UInt64(UInt(bitPattern: base + s)), 0xFF << 56 | UInt64(n), mix(h))
    }
    let (w0, w1) = TextColumnBuilder.words(p, s, e)
    return (w0, w1, mix(w0 &* 0x9E37_79B9_7F4A_7C15 ^ w1))
  }

  @inline(__always)
  private static func add(
    _ cell: (UInt64, UInt64, UInt64), _ parts: UnsafeMutableBufferPointer<[Cell]>,
    _ partOf: inout [UInt16], _ validity: inout ValidityBuilder
  ) {
    let (w0, w1, h) = cell
    let part = Int(h >> UInt64(64 - TextPartitions.bits))
    parts[part].append(Cell(w0: w0, w1: w1, hash: UInt32(truncatingIfNeeded: h)))
    partOf.append(UInt16(truncatingIfNeeded: part))
    validity.append(true)
  }

  /// Appends the rows of `other`, read after these.
  mutating func append(contentsOf other: TextPartitions) {
    for var piece in other.pieces {
      piece.offset += rows
      pieces.append(piece)
    }
    rows += other.rows
    validity.append(contentsOf: other.validity)
    keepsAddresses = keepsAddresses || other.keepsAddresses
    // Later appends go to a fresh piece, whose rows start here.
    pieces.append(Piece(offset: rows))
  }

  /// A finalizer that spreads every input bit over every output bit (MurmurHash3's).
  @inline(__always) private static func mix(_ x: UInt64) -> UInt64 {
    var h = x ^ x >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h &*= 0xC4CE_B9FE_1A85_EC53
    return h ^ h >> 33
  }

  /// The column. A value that is not valid UTF-8 must share the code of its repaired
  /// text, which may lie in another partition: then (rarely) the cells are coded by a
  /// `TextColumnBuilder` instead.
  func build() -> TextColumn {
    let parts = TextPartitions.count
    let lanes = rows >= Tuning.splitRows ? Tuning.cores : 1
    // Where each partition's cells start among all cells, partition after partition.
    var firstCell = [Int](repeating: 0, count: parts + 1)
    for part in 0..<parts {
      firstCell[part + 1] = firstCell[part] + pieces.reduce(0) { $0 + $1.parts[part].count }
    }
    // Each partition's distinct values (the first cell of each), and each cell's number
    // among them, found on every core.
    var distinct = [[Cell]](repeating: [], count: parts)
    var numbers = [UInt32](repeating: 0, count: firstCell[parts])
    numbers.withUnsafeMutableBufferPointer { n in
      let out = SharedBuffer(n)
      firstCell.withUnsafeBufferPointer { f in
        let first = SharedBuffer(mutating: f)
        distinct.withUnsafeMutableBufferPointer { d in
          let found = SharedBuffer(d)
          Parallel.each(lanes) { lane in
            var table: [UInt32] = []
            for part in stride(from: lane, to: parts, by: lanes) {
              let cells = first.buffer[part]..<first.buffer[part + 1]
              code(
                part, &table, &found.buffer[part],
                UnsafeMutableBufferPointer(rebasing: out.buffer[cells]))
            }
          }
        }
      }
    }
    var bases = [Int](repeating: 0, count: parts + 1)
    for part in 0..<parts { bases[part + 1] = bases[part] + distinct[part].count }
    // The dictionary, each partition's values written in place on every core.
    let invalid = Collected<Bool>(count: parts)
    let dictionary = [String](unsafeUninitializedCapacity: bases[parts]) { buffer, count in
      let out = SharedBuffer(buffer)
      bases.withUnsafeBufferPointer { b in
        let bases = SharedBuffer(mutating: b)
        distinct.withUnsafeBufferPointer { d in
          let found = SharedBuffer(mutating: d)
          Parallel.each(lanes) { lane in
            for part in stride(from: lane, to: parts, by: lanes) {
              for (e, cell) in found.buffer[part].enumerated() {
                let text = TextPartitions.text(cell.w0, cell.w1)
                if text == nil { invalid.set(part, true) }
                out.buffer.initializeElement(at: bases.buffer[part] + e, to: text ?? "")
              }
            }
          }
        }
      }
      count = bases[parts]
    }
    if invalid.results.contains(where: { $0 == true }) { return buildOneByOne() }
    distinct = []
    // Each row's code, in row order: its partition's base and the number of the next cell
    // of its partition. Each piece on a core of its own, from where its cells start.
    var codes = [UInt32](repeating: 0, count: rows)
    var next = Array(firstCell.prefix(parts))
    let cursors = pieces.map { piece in
      defer { for part in 0..<parts { next[part] += piece.parts[part].count } }
      return next
    }
    let used = min(lanes, pieces.count)
    codes.withUnsafeMutableBufferPointer { c in
      let out = SharedBuffer(c)
      numbers.withUnsafeBufferPointer { n in
        let numbers = SharedBuffer(mutating: n)
        bases.withUnsafeBufferPointer { b in
          let bases = SharedBuffer(mutating: b)
          Parallel.each(used) { lane in
            for i in stride(from: lane, to: pieces.count, by: used) {
              TextPartitions.write(
                pieces[i], from: cursors[i], numbers.buffer, bases.buffer, out.buffer)
            }
          }
        }
      }
    }
    return TextColumn(
      codes: codes, dictionary: dictionary.isEmpty && rows > 0 ? [""] : dictionary,
      validity: validity.build())
  }

  /// The codes of a piece's rows: a row's partition's base and the number at its
  /// partition's cursor, which `cursor` holds for each partition at the piece's first row.
  private static func write(
    _ piece: Piece, from cursor: [Int], _ numbers: UnsafeMutableBufferPointer<UInt32>,
    _ bases: UnsafeMutableBufferPointer<Int>, _ codes: UnsafeMutableBufferPointer<UInt32>
  ) {
    var cursor = cursor
    cursor.withUnsafeMutableBufferPointer { cursor in
      piece.partOf.withUnsafeBufferPointer { partOf in
        for r in 0..<partOf.count {
          let part = Int(partOf[r])
          guard part != Int(TextPartitions.null) else { continue }
          codes[piece.offset + r] =
            UInt32(truncatingIfNeeded: bases[part]) &+ numbers[cursor[part]]
          cursor[part] += 1
        }
      }
    }
  }

  /// Codes partition `part`: `found` gets the partition's distinct values, and `numbers`
  /// each of its cells' number among them, in the order of its cells over the pieces.
  private func code(
    _ part: Int, _ table: inout [UInt32], _ found: inout [Cell],
    _ numbers: UnsafeMutableBufferPointer<UInt32>
  ) {
    let cells = numbers.count
    guard cells > 0 else { return }
    var size = 16
    while size < 2 * cells { size <<= 1 }
    let mask = size - 1
    if table.count < size {
      table = [UInt32](repeating: 0, count: size)
    } else {
      table.withUnsafeMutableBufferPointer { t in
        for i in 0..<size { t[i] = 0 }
      }
    }
    // The partition's distinct values: the first cell of each.
    found.reserveCapacity(cells)
    var n = 0
    table.withUnsafeMutableBufferPointer { t in
      for piece in pieces {
        piece.parts[part].withUnsafeBufferPointer { list in
          for cell in list {
            var i = Int(cell.hash) & mask
            var local = UInt32(0)
            while true {
              let slot = t[i]
              if slot == 0 {
                local = UInt32(truncatingIfNeeded: found.count)
                found.append(cell)
                t[i] = local &+ 1
                break
              }
              let e = found[Int(slot &- 1)]
              if e.hash == cell.hash && e.w1 == cell.w1
                && (e.w0 == cell.w0 || TextPartitions.sameLong(e.w0, cell.w0, cell.w1))
              {
                local = slot &- 1
                break
              }
              i = (i + 1) & mask
            }
            numbers[n] = local
            n += 1
          }
        }
      }
    }
  }

  /// Whether two long cells of one length (`w1`) hold the same bytes.
  @inline(__always)
  private static func sameLong(_ a: UInt64, _ b: UInt64, _ w1: UInt64) -> Bool {
    guard w1 >> 56 == 0xFF, let p = UnsafeRawPointer(bitPattern: UInt(a)),
      let q = UnsafeRawPointer(bitPattern: UInt(b))
    else { return false }
    return memcmp(p, q, Int(w1 & 0x00FF_FFFF_FFFF_FFFF)) == 0
  }

  /// A cell's text; nil when its bytes are not valid UTF-8.
  private static func text(_ w0: UInt64, _ w1: UInt64) -> String? {
    withBytes(w0, w1) { bytes in
      // A short cell of ASCII (no byte with its top bit set) is valid as it is.
      if w1 >> 56 != 0xFF && (w0 | w1 & 0x00FF_FFFF_FFFF_FFFF) & 0x8080_8080_8080_8080 == 0 {
        return String(decoding: bytes, as: UTF8.self)
      }
      return valid(bytes)
    }
  }

  /// `body` on a cell's bytes.
  private static func withBytes<T>(
    _ w0: UInt64, _ w1: UInt64, _ body: (UnsafeBufferPointer<UInt8>) -> T
  ) -> T {
    if w1 >> 56 == 0xFF {
      return body(
        UnsafeBufferPointer(
          start: UnsafePointer<UInt8>(bitPattern: UInt(w0)),
          count: Int(w1 & 0x00FF_FFFF_FFFF_FFFF)))
    }
    return withUnsafeBytes(of: (w0.littleEndian, w1.littleEndian)) { raw in
      body(
        UnsafeRawBufferPointer(rebasing: raw.prefix(Int(w1 >> 56))).assumingMemoryBound(
          to: UInt8.self))
    }
  }

  /// The text of UTF-8 bytes; nil when they are not valid (decoding repaired them).
  private static func valid(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    let s = String(decoding: bytes, as: UTF8.self)
    return s.utf8.elementsEqual(bytes) ? s : nil
  }

  /// The column coded one cell at a time, in row order, by a builder (which repairs
  /// invalid UTF-8).
  private func buildOneByOne() -> TextColumn {
    var builder = TextColumnBuilder()
    builder.reserve(rows)
    for piece in pieces {
      var cursor = [Int](repeating: 0, count: TextPartitions.count)
      for r in 0..<piece.rows {
        let part = Int(piece.partOf[r])
        guard part != Int(TextPartitions.null) else {
          builder.append(nil)
          continue
        }
        let cell = piece.parts[part][cursor[part]]
        cursor[part] += 1
        TextPartitions.withBytes(cell.w0, cell.w1) { builder.append(bytes: $0) }
      }
    }
    return builder.build()
  }
}
