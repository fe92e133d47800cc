#if canImport(Glibc)
  import Glibc
#endif

extension CSVReader {
  /// The records of input that has no quote character at all, straight into the columns:
  /// each field is scanned to its delimiter and appended where it ends, with no list of
  /// fields per record. Same rules as the general reader: a blank line is skipped, a CR
  /// before the line feed is dropped, an empty field is null, and a record with another
  /// number of fields than the header is an error naming its line. With `releasing` (`p`
  /// maps a file), the pages read are given back as the reading goes on, every
  /// `releaseEvery` bytes, while no column keeps a cell by its address: so the
  /// file and the columns read from it are not resident together at the end. (A page
  /// read again later, by a second pass, comes back from the file.)
  func readUnquoted(
    _ p: UnsafeBufferPointer<UInt8>, from start: Int, line startLine: Int,
    into columns: inout [InferredColumn], releasing: Bool = false
  ) throws(EngineError) -> Int {
    let n = p.count
    let width = columns.count
    let delimiter = self.delimiter
    var pos = start
    var line = startLine
    var rows = 0
    var wrongWidth: (line: Int, fields: Int)? = nil
    var released = start
    // Field bounds for a chunk of records, then each column takes its cells in one call.
    let chunk = 1024
    var starts = [Int](repeating: 0, count: chunk * width)
    var ends = [Int](repeating: 0, count: chunk * width)
    columns.withUnsafeMutableBufferPointer { cols in
      starts.withUnsafeMutableBufferPointer { starts in
        ends.withUnsafeMutableBufferPointer { ends in
          guard let startBase = starts.baseAddress, let endBase = ends.baseAddress else { return }
          while pos < n {
            var r = 0
            while r < chunk && pos < n {
              // A blank line ("\n" or "\r\n", or a last "\r").
              if p[pos] == 10 {
                pos += 1
                line += 1
                continue
              }
              if p[pos] == 13 && (pos + 1 == n || p[pos + 1] == 10) {
                pos += 2
                line += 1
                continue
              }
              var c = 0
              while true {
                let s = pos
                pos = CSVReader.fieldEnd(p, from: pos, delimiter: delimiter)
                let lineEnds = pos == n || p[pos] == 10
                var e = pos
                if lineEnds && e > s && p[e - 1] == 13 { e -= 1 }
                if c < width {
                  starts[r * width + c] = s
                  ends[r * width + c] = e
                }
                c += 1
                pos += 1
                if lineEnds { break }
              }
              if c != width {
                wrongWidth = (line, c)
                return
              }
              line += 1
              r += 1
            }
            for c in 0..<width {
              cols[c].append(
                p, starts: startBase + c, ends: endBase + c, stride: width, count: r)
            }
            rows += r
            if releasing && pos - released >= releaseEvery {
              if !cols.contains(where: \.keepsAddresses) {
                CSVReader.release(p, from: released, to: pos)
              }
              released = pos
            }
          }
        }
      }
    }
    if let wrongWidth {
      throw .malformed(
        path: path, line: wrongWidth.line,
        reason: "this row has \(wrongWidth.fields) fields but the header has \(width)")
    }
    return rows
  }

  /// The lines of `p`: its line feeds, and one more when it does not end with one. A record
  /// takes a line at least (blank lines are skipped), so no more records than this are read
  /// from `p`. Eight bytes at a time; with `releasing` (`p` maps a file), the pages counted
  /// are given back every `releaseEvery` bytes, as the reading does.
  func lineCount(_ p: UnsafeBufferPointer<UInt8>, releasing: Bool) -> Int {
    guard let base = p.baseAddress, !p.isEmpty else { return 0 }
    let raw = UnsafeRawPointer(base)
    let n = p.count
    let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let lf: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    var lines = 0
    var pos = 0
    var released = 0
    while pos + 8 <= n {
      // (At least a word a round, whatever `releaseEvery` is.)
      let end = max(pos + 8, min(n, pos + releaseEvery) & ~7)
      while pos + 8 <= end {
        // A zero byte of x (a line feed) is the one whose high bit stays clear here.
        let x = raw.loadUnaligned(fromByteOffset: pos, as: UInt64.self) ^ lf
        lines &+= (~(((x & low) &+ low) | x | low)).nonzeroBitCount
        pos += 8
      }
      if releasing {
        CSVReader.release(p, from: released, to: pos)
        released = pos
      }
    }
    for i in pos..<n where p[i] == 10 { lines += 1 }
    return p[n - 1] == 10 ? lines : lines + 1
  }

  /// Gives back the whole pages of `p[from..<to]` (they read back from the file if needed).
  static func release(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
    guard let base = p.baseAddress else { return }
    let page = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
    let first = (Int(bitPattern: base + from) + page - 1) / page * page
    let last = Int(bitPattern: base + to) / page * page
    guard last > first, let start = UnsafeMutableRawPointer(bitPattern: first) else { return }
    madvise(start, last - first, MADV_DONTNEED)
  }

  /// The first delimiter or line feed at or after `pos` (or the end), eight bytes at a time:
  /// a byte equal to the one sought becomes zero under xor, and the zero-byte test finds it.
  @inline(__always)
  static func fieldEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
    let n = p.count
    var pos = start
    if let base = p.baseAddress {
      let raw = UnsafeRawPointer(base)
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      let d = UInt64(delimiter) &* ones
      let lf = 10 &* ones
      while pos + 8 <= n {
        let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: pos, as: UInt64.self))
        let x = w ^ d
        let y = w ^ lf
        let found = ((x &- ones) & ~x | (y &- ones) & ~y) & highs
        if found != 0 { return pos + found.trailingZeroBitCount >> 3 }
        pos += 8
      }
    }
    while pos < n {
      let b = p[pos]
      if b == delimiter || b == 10 { return pos }
      pos += 1
    }
    return n
  }
}
