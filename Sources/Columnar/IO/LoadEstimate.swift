/// The memory a delimited file will take once loaded, estimated from its first rows, so
/// that a file too large for the memory limit is refused before it is read. A number
/// takes 8 bytes a row; a text value 4 (its dictionary code), and each distinct text one
/// dictionary entry. How many distinct texts the whole file holds is estimated from how
/// often the sample's values repeat (Chao's estimator, from the values seen once and
/// twice): a key of a million values over 10^8 rows is not taken for one of 10^8.
/// The measured peaks of loading db-benchmark's files (1.5-2.6 times the file's size, 3.3
/// for 10^6 rows) stay near or below the estimate.
struct LoadEstimate {
  /// Bytes of the file read to estimate from (its first).
  static let sampleBytes = 1 << 20
  /// Bytes a dictionary entry takes besides its text (the string, the hash table that
  /// finds it while loading, the code's place), measured: 76-115 on db-benchmark's files.
  static let entryBytes = 128
  /// The load's own work beside the columns it makes (chunks being parsed, partitions of
  /// text being merged), a share of the columns; and the pages of the mapped file it reads
  /// before it lets them go, at most `mappedBytes`. Measured on db-benchmark's groupby
  /// files: 155 MB for a 47 MB file, 700 MB for a 485 MB one, 8.7 GB for 4.8 GB.
  static let working = 1.75
  static let mappedBytes = 64 << 20

  let delimiter: UInt8
  let quote: UInt8 = 34
  /// Lines before the header, and whether there is a header.
  let skip: Int
  let header: Bool
  /// Every column read as text.
  let allText: Bool

  /// The estimated bytes of loading a file of `size` bytes beginning with `sample`
  /// (`complete`: the sample is the whole file); nil when the sample holds no whole row.
  func bytes(sample: UnsafeBufferPointer<UInt8>, size: Int, complete: Bool) -> Int? {
    var columns: [SampledColumn] = []
    var rows = 0
    var rowBytes = 0
    var line = 0
    var field: [UInt8] = []
    var column = 0
    var quoted = false
    var start = 0
    var i = 0
    func endField() {
      if line >= skip + (header ? 1 : 0) {
        if column == columns.count { columns.append(SampledColumn()) }
        columns[column].add(field, allText: allText)
      }
      field.removeAll(keepingCapacity: true)
      column += 1
    }
    while i < sample.count {
      let b = sample[i]
      if quoted {
        if b == quote {
          if i + 1 < sample.count && sample[i + 1] == quote {
            field.append(quote)
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.append(b)
        }
      } else if b == quote && field.isEmpty {
        quoted = true
      } else if b == delimiter {
        endField()
      } else if b == 10 {
        if field.last == 13 { field.removeLast() }
        endField()
        if line >= skip + (header ? 1 : 0) {
          rows += 1
          rowBytes += i + 1 - start
        }
        line += 1
        column = 0
        start = i + 1
      } else {
        field.append(b)
      }
      i += 1
    }
    // The last line counts only when it is the file's own end.
    if complete && start < sample.count && line >= skip + (header ? 1 : 0) && !quoted {
      endField()
      rows += 1
      rowBytes += sample.count - start
    }
    guard rows > 0, rowBytes > 0 else { return nil }
    let fileRows = Double(size) * Double(rows) / Double(rowBytes)
    var total = 0.0
    for c in columns {
      guard c.texts > 0 else {
        total += fileRows * 8
        continue
      }
      let entries = c.distinctEstimate(sampled: rows, fileRows: fileRows)
      total += fileRows * 4 + entries * (Double(Self.entryBytes) + c.averageLength)
    }
    let estimate = total * Self.working + Double(min(size, Self.mappedBytes))
    return estimate >= Double(Int.max) ? .max : Int(estimate)
  }
}

/// One column's fields in the sample: how many were text, and how often each text came.
struct SampledColumn {
  var texts = 0
  var length = 0
  var counts: [[UInt8]: Int] = [:]

  var averageLength: Double { texts == 0 ? 0 : Double(length) / Double(texts) }

  /// Takes a field: a number or an empty field is not text.
  mutating func add(_ field: [UInt8], allText: Bool) {
    guard !field.isEmpty, allText || !Self.isNumber(field) else { return }
    texts += 1
    length += field.count
    counts[field, default: 0] += 1
  }

  /// The distinct texts of a column of `fileRows` rows whose first `sampled` rows are the
  /// sample (Chao1: the distinct values seen, and for the values seen once f1 and twice
  /// f2, f1² / 2 f2 more unseen; one per row when none came twice), at most one per row.
  /// A sample of every row is exact.
  func distinctEstimate(sampled: Int, fileRows: Double) -> Double {
    let seen = Double(counts.count)
    guard fileRows > Double(sampled) else { return seen }
    var once = 0.0
    var twice = 0.0
    for k in counts.values {
      if k == 1 { once += 1 } else if k == 2 { twice += 1 }
    }
    // None twice: nothing says the values repeat at all; taken as one per row.
    guard twice > 0 else { return once > 0 ? fileRows : seen }
    return min(fileRows, seen + once * once / (2 * twice))
  }

  /// Whether a field reads as a number (an optional sign, digits with at most one decimal
  /// point or comma, an optional exponent).
  static func isNumber(_ f: [UInt8]) -> Bool {
    var i = 0
    if f[i] == 43 || f[i] == 45 { i += 1 }
    var digits = 0
    var point = false
    while i < f.count {
      let b = f[i]
      if b >= 48 && b <= 57 {
        digits += 1
      } else if (b == 46 || b == 44) && !point {
        point = true
      } else {
        break
      }
      i += 1
    }
    guard digits > 0 else { return false }
    if i < f.count && (f[i] == 101 || f[i] == 69) {
      i += 1
      if i < f.count && (f[i] == 43 || f[i] == 45) { i += 1 }
      let from = i
      while i < f.count && f[i] >= 48 && f[i] <= 57 { i += 1 }
      if i == from { return false }
    }
    return i == f.count
  }
}
