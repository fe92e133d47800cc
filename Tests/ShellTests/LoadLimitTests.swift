import Columnar
import Foundation
import Testing

/// A mapped CSV file is refused when the columns estimated from its first rows would not
/// fit the memory limit (`LoadEstimate`), not when three times its size would not.
struct LoadLimitTests {
  /// A file of a repeated text key and a number (33 bytes a row) needs about 12 bytes a
  /// row and the load's work: it loads under a limit of 2.5 times its size, which three
  /// times its size would have refused, and is refused under 1.2 times, saying how much it
  /// would need.
  @Test func aFileIsRefusedByItsEstimatedColumns() throws {
    let path = temporaryFolder() + "/estimate.csv"
    var csv = "kabupaten,score\n"
    let names = ["kabupaten_lombok_timur", "kabupaten_sumba_barat", "kota_bandung_raya"]
    for i in 0..<60_000 { csv += "\(names[i % 3]),\(1000 + i % 9000).5\n" }
    try csv.write(toFile: path, atomically: true, encoding: .utf8)
    let size = csv.utf8.count
    let table = try TableReader.read(path: path, byteLimit: size * 5 / 2)
    #expect(table.rowCount == 60_000)
    #expect {
      try TableReader.read(path: path, byteLimit: size * 6 / 5)
    } throws: { error in
      guard case EngineError.limit(let reason) = error else { return false }
      return reason.contains("would need about")
    }
  }
}
