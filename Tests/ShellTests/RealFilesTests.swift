import Columnar
import Foundation
import Testing

@testable import Shell

/// Files as offices send them: semicolons and decimal commas, Windows-1252, UTF-16, title
/// rows, gzip, JSON arrays, codes with leading zeros, ragged rows.
struct RealFilesTests {
  func file(_ dir: String, _ name: String, _ bytes: [UInt8]) {
    _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes))
  }

  @Test func dialectsEncodingsAndCompressionAreSniffed() throws {
    let dir = temporaryFolder()
    file(dir, "semi.csv", Array("Nama;Kode;Nilai\nKota A;35.10;88,26\nKota B;35.07;1.234,5\n".utf8))
    file(
      dir, "latin.csv",
      Array("Laporan 2024\nkode,nama\n".utf8) + [48, 53, 48, 49, 44, 0x43, 0x61, 0x66, 0xE9, 10])
    file(dir, "u16.tsv", Array("a\tb\n1\tx\n".data(using: .utf16LittleEndian)!))
    let s = makeSession()
    let (ok, out, err) = execute(
      s,
      ".load \"semi.csv\"\nsemi | select Kode, Nilai\n.load \"latin.csv\"\nlatin\n.load \"u16.tsv\" (encoding 'utf-16le')\nu16",
      directory: dir)
    #expect(ok, "\(err)")
    #expect(out.contains("Kode,Nilai\n35.10,88.26\n35.07,1234.5\n"))
    #expect(out.contains("kode,nama\n0501,Café\n"))
    #expect(out.contains("a,b\n1,x\n"))
    #expect(err.contains("loaded semi: 2 rows, 2 columns") == false)
    #expect(err.contains("loaded semi: 2 rows, 3 columns (csv ';', decimal ',', thousands '.')"))
    #expect(err.contains("latin.csv is not UTF-8: read as Windows-1252"))
  }

  @Test func aColumnOfDotGroupedWholeNumbersMakesDotsThousands() throws {
    let dir = temporaryFolder()
    file(dir, "a.csv", Array("Nama;Nilai;Anggaran\nA;88,26;1.234.567\nB;71,5;980\n".utf8))
    file(dir, "b.csv", Array("Nama;Anggaran\nA;1.234.567\nB;2.500\n".utf8))
    let s = makeSession()
    let (ok, out, err) = execute(s, ".load \"a.csv\"\na\n.load \"b.csv\"\nb", directory: dir)
    #expect(ok, "\(err)")
    #expect(
      out
        == "Nama,Nilai,Anggaran\nA,88.26,1234567\nB,71.5,980\n\nNama,Anggaran\nA,1234567\nB,2500\n")
    #expect(err.contains("loaded b: 2 rows, 2 columns (csv ';', decimal ',', thousands '.')"))
  }

  @Test func raggedRowsFailOrAreReportedAndJSONRoundTrips() throws {
    let dir = temporaryFolder()
    file(dir, "pipe.csv", Array("a|b\n1|2\n1|2|3\n4|5\n".utf8))
    let s = makeSession()
    let (ok1, _, err1) = execute(s, ".load \"pipe.csv\"", directory: dir)
    #expect(!ok1 && err1.contains("pipe.csv:3: this row has 3 fields but the header has 2"))
    #expect(s.catalog.tables["pipe"] == nil)
    let (ok2, out2, _) = execute(
      s,
      ".load \"pipe.csv\" (ignore_errors)\npipe_rejects\nt | save \"t.json\"\n.load \"t.json\" as back\nback",
      directory: dir)
    #expect(ok2)
    #expect(out2.contains("line,reason\n3,this row has 3 fields but the header has 2\n"))
    #expect(
      out2.hasSuffix(
        "region,year,score\nKota A,2021,58.4\nKota A,2022,63.67\nKab B,2022,\nKab B,2023,80.0\n"))
  }

  @Test func gzipAndExcelFriendlyCSV() throws {
    let dir = temporaryFolder()
    let s = makeSession()
    let (ok, _, err) = execute(s, "t | save \"x.csv\" (excel)", directory: dir)
    #expect(ok, "\(err)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/x.csv"))
    #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    #expect(
      String(decoding: bytes.dropFirst(3), as: UTF8.self).hasPrefix(
        "region;year;score\nKota A;2021;58,4\n"))
    let gz = Process()
    gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
    gz.arguments = ["-k", dir + "/x.csv"]
    try gz.run()
    gz.waitUntilExit()
    let (ok2, out2, _) = execute(
      s, ".load \"x.csv.gz\" as z\nz | group (n = count(), s = sum(score))", directory: dir)
    #expect(ok2)
    #expect(out2.hasSuffix("n,s\n4,202.07\n"))
  }

  @Test func zstdByExtensionAndByMagicAndCutShort() throws {
    let dir = temporaryFolder()
    // `printf 'kode;nilai\n0101;88,5\n' | zstd -c`
    let frame: [UInt8] = [
      40, 181, 47, 253, 4, 88, 169, 0, 0, 107, 111, 100, 101, 59, 110, 105, 108, 97, 105, 10,
      48, 49, 48, 49, 59, 56, 56, 44, 53, 10, 166, 125, 72, 43,
    ]
    file(dir, "n.csv.zst", frame)
    file(dir, "noname", frame)
    file(dir, "cut.csv.zst", Array(frame.prefix(20)))
    let s = makeSession()
    let (ok, out, err) = execute(
      s, ".load \"n.csv.zst\"\nn\n.load \"noname\"\nnoname", directory: dir)
    #expect(ok, "\(err)")
    #expect(out == "kode,nilai\n0101,88.5\n\nkode,nilai\n0101,88.5\n")
    #expect(err.contains("loaded n: 1 row, 2 columns (csv ';', decimal ',', zstd)"))
    let (bad, _, err2) = execute(s, ".load \"cut.csv.zst\"", directory: dir)
    #expect(!bad && err2.contains("the zstd data is cut short"))
    #expect(err2.contains("copy or download it again"))
  }

  @Test func globsAppendFilesWithTheSameColumns() throws {
    let dir = temporaryFolder()
    file(dir, "2023-a.csv", Array("kode;nilai\n0101;88,5\n".utf8))
    file(dir, "2024-b.csv", Array("nilai;kode\n70;0202\n".utf8))
    file(dir, "2024-c.csv", Array("kode,nilai\n0303,\n".utf8))
    file(dir, "other.csv", Array("kode,nama\n1,x\n".utf8))
    let s = makeSession()
    let (ok, out, err) = execute(
      s,
      ".load \"20*.csv\" as t (filename)\nt | select kode, nilai\n.schema t\n"
        + "from \"2024-?.csv\" | group (n = count())",
      directory: dir)
    #expect(ok, "\(err)")
    #expect(out.hasPrefix("kode,nilai\n0101,88.5\n0202,70.0\n0303,\n"))
    #expect(out.contains("t,kode,text\nt,nilai,float\nt,filename,text\n"))
    #expect(out.hasSuffix("n\n2\n"))
    #expect(
      err.contains(
        "loaded t: 3 rows, 3 columns (3 files: csv ';', decimal ','; csv ';'; csv ',')"))
    let names = s.catalog.tables["t"].map { t in
      (0..<t.rowCount).map { CellText.format(t.columns[2].value(at: $0)) }
    }
    #expect(names?.map { $0.hasSuffix("2023-a.csv") } == [true, false, false])
    let (bad, _, err2) = execute(s, ".load \"*.csv\" as u", directory: dir)
    #expect(!bad && err2.contains("other.csv does not have the columns of"))
    #expect(err2.contains("lacks nilai and has nama besides"))
    let (none, _, err3) = execute(s, ".load \"19*.csv\"", directory: dir)
    #expect(!none && err3.contains("no file matches this pattern"))
    #expect(s.catalog.tables["u"] == nil)
  }
}

/// A file with a text column of hundreds of thousands of distinct long values, loaded from
/// disk: the reader maps the file and keeps such cells by their address in the mapping
/// until the column is coded (`TextPartitions`). The user sees every value, counts them
/// right, and finds one by equality.
struct ManyDistinctTextFileTests {
  @Test func aMappedFileOfManyDistinctLongValuesLoadsWhole() throws {
    let dir = temporaryFolder()
    var csv = "id,name,n\n"
    let rows = 300_000
    for i in 0..<rows {
      csv += "\(i),kabupaten-contoh-nomor-\(i % 250_000)-panjang,\(i % 7)\n"
    }
    #expect(csv.utf8.count > 4 << 20)
    try csv.write(toFile: dir + "/wide.csv", atomically: true, encoding: .utf8)
    let session = makeSession()
    _ = try session.load(path: dir + "/wide.csv")
    let (ok, out, err) = execute(
      session,
      """
      wide | group (n = count(), d = count_distinct(name))
      wide | filter name == "kabupaten-contoh-nomor-123456-panjang" | select id
      wide | filter id == 299999 | select name
      """)
    #expect(ok, "\(err)")
    #expect(
      out
        == "n,d\n300000,250000\n\nid\n123456\n\nname\nkabupaten-contoh-nomor-49999-panjang\n",
      "\(out)")
  }
}
