import Foundation
import Testing

@testable import Shell

/// Real-shaped files read by pantau (sniffing, with only the options a user would need)
/// and by DuckDB's read_csv told the files' true dialect: the same values, cell by cell.
struct DuckDBFilesTests {
  /// A file, the options pantau is given (often none), and DuckDB's read_csv arguments.
  struct Case {
    var name: String
    var bytes: [UInt8]
    var pantau: String = ""
    var duckdb: String
  }

  var cases: [Case] {
    [
      Case(
        name: "semi.csv",
        bytes: Array(
          "Nama;Kode;Nilai;Anggaran\nKota A;35.10;88,26;1.234.567\nKota B;35.07;71,5;980\n".utf8),
        duckdb:
          "delim=';', decimal_separator=',', thousands='.', header=true, types={'Kode': 'VARCHAR'}"
      ),
      Case(
        name: "title.csv",
        bytes: Array("Rekap IKM 2024\nDinas X\n\nunit,ikm,tahun\nA,82.5,2024\nB,,2023\n".utf8),
        duckdb: "skip=3, header=true"),
      Case(
        name: "latin.csv",
        bytes: Array("kode,nama\n0501,Caf".utf8) + [0xE9] + Array("\n0502,Pe".utf8) + [0xF1]
          + Array("a\n".utf8),
        duckdb: "encoding='latin-1', header=true, types={'kode': 'VARCHAR'}"),
      Case(
        name: "u16.txt",
        bytes: [0xFF, 0xFE]
          + Array("unit\tnilai\nBalai\t7,5\nDinas\t8\n".utf16).flatMap {
            [UInt8($0 & 0xFF), UInt8($0 >> 8)]
          },
        duckdb: "encoding='utf-16', delim='\\t', decimal_separator=',', header=true"),
      Case(
        name: "pipe.csv",
        bytes: Array("a|b|c\n\"x|y\"|1|2024-01-05\n\"say \"\"hi\"\"\"|2|2024-02-29\n".utf8),
        duckdb: "delim='|', quote='\"', header=true"),
      Case(
        name: "nulls.csv", bytes: Array("kode;nilai\n01;-\n02;7,5\n03;NA\n".utf8),
        pantau: "(nulls ('-', 'NA'))",
        duckdb:
          "delim=';', decimal_separator=',', nullstr=['-', 'NA'], header=true, types={'kode': 'VARCHAR'}"
      ),
      Case(
        name: "gov.csv",
        bytes: Array("LAPORAN KEPATUHAN\nTahun 2023\nkode;wilayah;nilai;anggaran\n".utf8)
          + Array("0501;Kab. Pidie Jaya;88,26;1.500.000\n3510;Kab. Banyuw".utf8) + [0xE9]
          + Array("ngi;71,5;980\n".utf8),
        duckdb:
          "skip=2, delim=';', decimal_separator=',', thousands='.', encoding='latin-1', "
          + "header=true, types={'kode': 'VARCHAR'}"),
      Case(
        name: "newline.csv",
        bytes: Array("id,catatan\n1,\"baris satu\nbaris dua\"\n2,\"a, b\"\n".utf8),
        duckdb: "header=true"),
      Case(
        name: "bom.csv",
        bytes: [0xEF, 0xBB, 0xBF] + Array("id,v,ok\r\n1,2.5,true\r\n2,-3,false\r\n".utf8),
        duckdb: "header=true"),
    ]
  }

  @Test(.enabled(if: hasDuckDB(), "needs python3 with duckdb (pip install duckdb)"))
  func pantauAndDuckDBReadTheSameValues() throws {
    let dir = temporaryFolder()
    var script = """
      import duckdb, csv, sys, datetime
      def text(v):
          if v is None: return ""
          if isinstance(v, bool): return "true" if v else "false"
          if isinstance(v, datetime.date): return v.isoformat()
          return repr(v) if isinstance(v, float) else str(v)
      con = duckdb.connect()
      w = csv.writer(sys.stdout, lineterminator="\\n")
      def show(path, args):
          rel = con.sql(f"select * from read_csv('{path}', {args})")
          w.writerow(rel.columns)
          for row in rel.fetchall(): w.writerow([text(v) for v in row])
          sys.stdout.write("\\n")

      """
    var pantau = ""
    let s = makeSession()
    for c in cases {
      #expect(FileManager.default.createFile(atPath: dir + "/" + c.name, contents: Data(c.bytes)))
      script +=
        "show(\"\(c.name)\", \"\(c.duckdb.replacingOccurrences(of: "\"", with: "\\\""))\")\n"
      let (ok, out, err) = execute(
        s, ".load \"\(c.name)\" as t \(c.pantau)\nt", directory: dir)
      #expect(ok, "\(c.name): \(err)")
      pantau += (out.hasPrefix("\n") ? String(out.dropFirst()) : out) + "\n"
    }
    try script.write(toFile: dir + "/d.py", atomically: true, encoding: .utf8)
    let (status, duck, err) = try runProcess("/usr/bin/env", ["python3", "d.py"], directory: dir)
    #expect(status == 0, "\(err)")
    let mine = pantau.components(separatedBy: "\n\n").filter { !$0.isEmpty }
    let theirs = duck.components(separatedBy: "\n\n").filter { !$0.isEmpty }
    #expect(mine.count == cases.count && theirs.count == cases.count)
    for (i, c) in cases.enumerated() where i < mine.count && i < theirs.count {
      #expect(mine[i] == theirs[i], "\(c.name)")
    }
  }
}

func hasDuckDB() -> Bool {
  (try? runProcess("/usr/bin/env", ["python3", "-c", "import duckdb"]))?.0 == 0
}
