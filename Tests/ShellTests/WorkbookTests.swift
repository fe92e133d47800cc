import Columnar
import Foundation
import Spreadsheet
import Testing
import ZIPFoundation

@testable import Shell

/// A workbook made part by part, so that each shape a producer may write is tried: shared
/// strings with rich and phonetic runs, inline strings, `x:`-prefixed elements, cells
/// without references, date formats built in and custom, the 1904 date system, error
/// cells, formulas with cached values, title rows above the header.
func makeWorkbook(
  _ path: String, sheets: [(name: String, xml: String)], strings: [String] = [],
  styles: String? = nil, date1904: Bool = false
) throws {
  let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
  let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  var parts: [(String, String)] = [
    (
      "_rels/.rels",
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"r1\" Type=\"\(rel)/officeDocument\" Target=\"/xl/workbook.xml\"/>"
        + "</Relationships>"
    ),
    (
      "xl/workbook.xml",
      "<workbook xmlns=\"\(ns)\" xmlns:r=\"\(rel)\">"
        + (date1904 ? "<workbookPr date1904=\"1\"/>" : "") + "<sheets>"
        + sheets.enumerated().map {
          "<sheet name=\"\($0.element.name)\" sheetId=\"\($0.offset + 1)\" r:id=\"s\($0.offset)\"/>"
        }.joined() + "</sheets></workbook>"
    ),
  ]
  var rels = sheets.indices.map {
    "<Relationship Id=\"s\($0)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\($0).xml\"/>"
  }
  rels.append(
    "<Relationship Id=\"ss\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>")
  rels.append("<Relationship Id=\"st\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/>")
  parts.append(
    (
      "xl/_rels/workbook.xml.rels",
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + rels.joined() + "</Relationships>"
    ))
  parts.append(("xl/sharedStrings.xml", "<sst xmlns=\"\(ns)\">" + strings.joined() + "</sst>"))
  parts.append(("xl/styles.xml", styles ?? "<styleSheet xmlns=\"\(ns)\"/>"))
  for (i, sheet) in sheets.enumerated() {
    parts.append(("xl/worksheets/sheet\(i).xml", sheet.xml))
  }
  let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
  for (name, text) in parts {
    let data = Data(text.utf8)
    try archive.addEntry(
      with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
    ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
  }
}

struct WorkbookTests {
  let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

  /// Styles: 0 general, 1 built-in date (14), 2 custom `dd/mm/yyyy hh:mm`, 3 custom
  /// `"Rp"#,##0` (a number, though it holds letters in quotes), 4 `[h]:mm` (a duration).
  var styles: String {
    "<styleSheet xmlns=\"\(ns)\"><numFmts count=\"3\">"
      + "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy hh:mm\"/>"
      + "<numFmt numFmtId=\"165\" formatCode=\"&quot;Rp&quot;#,##0\"/>"
      + "<numFmt numFmtId=\"166\" formatCode=\"[h]:mm\"/></numFmts>"
      + "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
      + "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
      + "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/></cellXfs></styleSheet>"
  }

  func sheet(_ rows: String, prefix: String = "") -> String {
    let p = prefix.isEmpty ? "" : prefix + ":"
    return "<\(p)worksheet xmlns\(prefix.isEmpty ? "" : ":" + prefix)=\"\(ns)\"><\(p)sheetData>"
      + rows + "</\(p)sheetData></\(p)worksheet>"
  }

  @Test func aGovernmentSheetReadsWithTitleRowsDatesCodesAndErrors() throws {
    let dir = temporaryFolder()
    let strings = [
      "<si><t>Rekap Nilai Kepatuhan 2023</t></si>",  // 0
      "<si><t>Kode</t></si>", "<si><t>Nama</t></si>", "<si><t>Nilai</t></si>",  // 1-3
      "<si><t>Tanggal</t></si>", "<si><t>Hijau</t></si>", "<si><t>Anggaran</t></si>",  // 4-6
      "<si><t>0501</t></si>",
      "<si><r><t>Kab. </t></r><r><rPr><b/></rPr><t>Aceh</t></r>"
        + "<rPh><t>ignored</t></rPh></si>",  // 7-8
      "<si><t>35.10</t></si>", "<si><t xml:space=\"preserve\"> Kota Batu_x000D_</t></si>",  // 9-10
    ]
    let rows =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
      + "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"s\"><v>2</v></c>"
      + "<c r=\"C3\" t=\"s\"><v>3</v></c><c r=\"D3\" t=\"s\"><v>4</v></c>"
      + "<c r=\"E3\" t=\"s\"><v>5</v></c><c r=\"F3\" t=\"s\"><v>6</v></c></row>"
      + "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>7</v></c><c r=\"B4\" t=\"s\"><v>8</v></c>"
      + "<c r=\"C4\"><v>88.26</v></c><c r=\"D4\" s=\"1\"><v>45265</v></c>"
      + "<c r=\"E4\" t=\"b\"><v>1</v></c><c r=\"F4\" s=\"3\"><v>1500000</v></c></row>"
      + "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>9</v></c><c r=\"B5\" t=\"s\"><v>10</v></c>"
      + "<c r=\"C5\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c><c r=\"D5\" s=\"1\"><v>60</v></c>"
      + "<c r=\"E5\" t=\"b\"><v>0</v></c><c r=\"F5\" s=\"3\"><f>F4*2</f><v>3000000</v></c></row>"
      + "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>11.01</t></is></c>"
      + "<c r=\"C6\"><v>71.5</v></c><c r=\"D6\" s=\"1\"><v>61</v></c></row>"
    try makeWorkbook(
      dir + "/rekap.xlsx", sheets: [("Nilai", sheet(rows))], strings: strings, styles: styles)
    let s = makeSession()
    let (ok, out, err) = execute(s, ".load \"rekap.xlsx\"\nrekap\n.schema rekap", directory: dir)
    #expect(ok, "\(err)")
    #expect(
      out.hasPrefix(
        "Kode,Nama,Nilai,Tanggal,Hijau,Anggaran\n0501,Kab. Aceh,88.26,2023-12-05,true,1500000\n"
          + "35.10,\" Kota Batu\r\",,1900-02-28,false,3000000\n11.01,,71.5,1900-03-01,,\n"))
    #expect(
      out.contains(
        "rekap,Kode,text\nrekap,Nama,text\nrekap,Nilai,float\nrekap,Tanggal,date\n"
          + "rekap,Hijau,bool\nrekap,Anggaran,int\n"))
    #expect(err.contains("loaded rekap: 3 rows, 6 columns (xlsx, sheet 'Nilai', skip 2)"))
    #expect(err.contains("1 error cell(s) such as #DIV/0! read as null"))
  }

  @Test func sheetsByNameOrNumberPrefixesTimesAnd1904() throws {
    let dir = temporaryFolder()
    let first = sheet("<row><c><v>1</v></c></row>")
    let second = sheet(
      "<x:row><x:c t=\"inlineStr\"><x:is><x:t>waktu</x:t></x:is></x:c>"
        + "<x:c t=\"inlineStr\"><x:is><x:t>lama</x:t></x:is></x:c>"
        + "<x:c t=\"inlineStr\"><x:is><x:t>tgl</x:t></x:is></x:c></x:row>"
        + "<x:row><x:c s=\"2\"><x:v>45265.5</x:v></x:c><x:c s=\"4\"><x:v>1.25</x:v></x:c>"
        + "<x:c s=\"1\"><x:v>0</x:v></x:c></x:row>",
      prefix: "x")
    try makeWorkbook(
      dir + "/book.xlsx", sheets: [("Satu", first), ("Dua Tiga", second)], styles: styles,
      date1904: true)
    let s = makeSession()
    let (ok, out, err) = execute(
      s,
      ".load \"book.xlsx\" as a (sheet 'dua tiga')\na\n.load \"book.xlsx\" as b (sheet 2, header false)\nb",
      directory: dir)
    #expect(ok, "\(err)")
    #expect(out.contains("waktu,lama,tgl\n2027-12-06 12:00:00,06:00:00,1904-01-01\n"))
    #expect(out.contains("column_1,column_2,column_3\nwaktu,lama,tgl\n"))
    let (_, _, err1) = execute(s, ".load \"book.xlsx\" as c", directory: dir)
    #expect(err1.contains("book.xlsx has 2 sheets: 'Satu', 'Dua Tiga'; read the first"))
    let (bad, _, err2) = execute(s, ".load \"book.xlsx\" (sheet 'Empat')", directory: dir)
    #expect(!bad && err2.contains("has no sheet 'Empat' (its sheets: 'Satu', 'Dua Tiga')"))
    let (bad2, _, err3) = execute(s, ".load \"book.xlsx\" (sheet 3)", directory: dir)
    #expect(!bad2 && err3.contains("has 2 sheet(s), no sheet 3"))
  }

  @Test func damagedWorkbooksAreErrorsThatLeaveTheTablesAlone() throws {
    let dir = temporaryFolder()
    _ = FileManager.default.createFile(
      atPath: dir + "/cut.xlsx", contents: Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]))
    try makeWorkbook(dir + "/badxml.xlsx", sheets: [("S", "<worksheet><sheetData><row>")])
    _ = FileManager.default.createFile(
      atPath: dir + "/old.xls", contents: Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]))
    let s = makeSession()
    for (file, message) in [
      ("cut.xlsx", "not a readable workbook"), ("badxml.xlsx", "is not well-formed XML"),
      ("old.xls", "Excel 97–2003 .xls workbook"),
    ] {
      let (ok, _, err) = execute(s, ".load \"\(file)\" as t", directory: dir)
      #expect(!ok && err.contains(message), "\(file): \(err)")
      #expect(s.catalog.tables["t"]?.rowCount == 4, "the old t stays")
    }
    // An "Excel" export that is really semicolon text, as many sites serve.
    _ = FileManager.default.createFile(
      atPath: dir + "/export.xls", contents: Data("kode;nilai\n0101;88,5\n".utf8))
    let (ok, out, err) = execute(s, ".load \"export.xls\"\nexport", directory: dir)
    #expect(ok && out == "kode,nilai\n0101,88.5\n", "\(err)")
    #expect(err.contains("export.xls is not a workbook but text: read as delimited text"))
  }

  @Test func savedWorkbooksReadBackWithTheirTypes() throws {
    let dir = temporaryFolder()
    let s = makeSession()
    let (ok, _, err) = execute(
      s,
      "t | derive d = date(\"2024-01-\" + text(year - 2000)), ok = score > 60, "
        + "odd = \"a&b <c> _x0041_\\t\" | save \"out.xlsx\"\n"
        + ".load \"out.xlsx\" as back",
      directory: dir)
    #expect(ok, "\(err)")
    #expect(err.contains("saved 4 rows to") && err.contains("out.xlsx"))
    let (ok2, out, _) = execute(s, "back\n.schema back", directory: dir)
    #expect(ok2)
    #expect(
      out.hasPrefix(
        "region,year,score,d,ok,odd\nKota A,2021,58.4,2024-01-21,false,a&b <c> _x0041_\t\n"))
    #expect(out.contains("Kab B,2022,,2024-01-22,,"))
    #expect(out.contains("back,year,int\nback,score,float\nback,d,date\nback,ok,bool\n"))
  }

  @Test func onceAndOutputWriteOneSheetPerResult() throws {
    let dir = temporaryFolder()
    let s = makeSession()
    let (ok, _, err) = execute(
      s,
      ".output \"two.xlsx\"\nt | take 1\nt | group region (n = count())\n.output\n"
        + ".load \"two.xlsx\" as one (sheet 1)\n.load \"two.xlsx\" as two (sheet 'two 2')",
      directory: dir)
    #expect(ok, "\(err)")
    #expect(s.catalog.tables["one"]?.rowCount == 1)
    #expect(s.catalog.tables["two"]?.names == ["region", "n"])
  }

  /// What openpyxl (the reader most Python users have) makes of a workbook pantau writes,
  /// and what pantau makes of one openpyxl writes, cell by cell.
  @Test(.enabled(if: hasOpenpyxl(), "needs python3 with openpyxl (pip install openpyxl)"))
  func openpyxlAgreesCellByCell() throws {
    let dir = temporaryFolder()
    let s = makeSession()
    Builtins.load(into: s)
    let (ok, _, err) = execute(
      s, "scores | take 300 | select region, year, score, zone | save \"p.xlsx\"",
      directory: dir)
    #expect(ok, "\(err)")
    let script = """
      import openpyxl, datetime
      wb = openpyxl.load_workbook("p.xlsx")
      ws = wb.active
      assert ws["A1"].font.b and ws.freeze_panes == "A2"
      rows = list(ws.iter_rows(values_only=True))
      def text(v):
          return "" if v is None else str(v)
      print("\\n".join(",".join(text(v) for v in r) for r in rows))
      out = openpyxl.Workbook()
      o = out.active
      o.title = "Data Dinas"
      o.append(["Laporan Dinas"])
      o.append([])
      o.append(["kode", "tanggal", "nilai", "aktif"])
      o.append(["0101", datetime.date(2024, 2, 29), 70.25, True])
      o.append(["35.10", datetime.date(1999, 12, 31), 3, False])
      out.save("from_py.xlsx")
      """
    try script.write(toFile: dir + "/p.py", atomically: true, encoding: .utf8)
    let (status, pyOut, pyErr) = try runProcess(
      "/usr/bin/env", ["python3", "p.py"], directory: dir)
    #expect(status == 0, "\(pyErr)")
    let (_, mine, _) = execute(
      s, "scores | take 300 | select region, year, score, zone", directory: dir)
    #expect(
      pyOut.replacingOccurrences(of: ".0,", with: ",")
        == mine.replacingOccurrences(of: ".0,", with: ","))
    let (ok2, out, err2) = execute(s, ".load \"from_py.xlsx\"\nfrom_py", directory: dir)
    #expect(ok2, "\(err2)")
    #expect(
      out.hasSuffix(
        "\nkode,tanggal,nilai,aktif\n0101,2024-02-29,70.25,true\n35.10,1999-12-31,3.0,false\n"))
    #expect(err2.contains("(xlsx, sheet 'Data Dinas', skip 2)"))
  }
}

func hasOpenpyxl() -> Bool {
  (try? runProcess("/usr/bin/env", ["python3", "-c", "import openpyxl"]))?.0 == 0
}

/// Inputs the fuzzers once crashed on (Fuzz/run.sh; copied into Tests/Corpus/fuzz/): each
/// must now load or fail with an error, under every name a reader keys on.
@Test func fuzzFindingsLoadOrFailCleanly() throws {
  let corpus = packageRoot + "/Tests/Corpus/fuzz"
  let files = try FileManager.default.contentsOfDirectory(atPath: corpus).sorted()
  #expect(!files.isEmpty)
  let dir = temporaryFolder()
  for file in files {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: corpus + "/" + file))
    for name in ["f.csv", "f.xlsx", "f.json", "f.csv.gz", "f"] {
      _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: bytes)
      do {
        let (table, _) = try FileLoader.load(path: dir + "/" + name)
        for c in table.columns { #expect(c.count == table.rowCount, "\(file) as \(name)") }
      } catch {
        #expect(!error.message.isEmpty, "\(file) as \(name)")
      }
    }
  }
}

/// LibreOffice opens what pantau writes (read back as CSV), and pantau reads what
/// LibreOffice saves (its own shared strings and styles), with the same cells.
@Test(.enabled(if: hasLibreOffice(), "needs LibreOffice (apt-get install libreoffice-calc-nogui)"))
func libreOfficeOpensOurWorkbooksAndWeOpenItsOwn() throws {
  let dir = temporaryFolder()
  let s = makeSession()
  let (ok, mine, err) = execute(
    s,
    "t | derive d = date(\"2024-03-0\" + text(year - 2020)), ok = score > 60, n = \"Café 日本\"\n"
      + "t | derive d = date(\"2024-03-0\" + text(year - 2020)), ok = score > 60, n = \"Café 日本\""
      + " | save \"ours.xlsx\"",
    directory: dir)
  #expect(ok, "\(err)")
  let home = dir + "/lo-profile"
  func soffice(_ to: String, _ out: String) throws -> Int32 {
    try runProcess(
      "/usr/bin/env",
      [
        "soffice", "-env:UserInstallation=file://" + home, "--headless", "--convert-to", to,
        "--outdir", dir + "/" + out, dir + "/ours.xlsx",
      ], directory: dir, timeout: 180
    ).0
  }
  #expect(try soffice("csv:Text - txt - csv (StarCalc):44,34,76", "csv") == 0)
  let csv = try String(contentsOfFile: dir + "/csv/ours.csv", encoding: .utf8)
  let normal = { (text: String) in
    text.replacingOccurrences(of: "TRUE", with: "true").replacingOccurrences(
      of: "FALSE", with: "false"
    ).replacingOccurrences(of: ".0,", with: ",").replacingOccurrences(of: "\r\n", with: "\n")
  }
  #expect(normal(csv) == normal(mine))
  #expect(try soffice("xlsx", "lo") == 0)
  let (ok2, back, err2) = execute(s, ".load \"lo/ours.xlsx\" as back\nback", directory: dir)
  #expect(ok2, "\(err2)")
  #expect(back.hasSuffix(mine))
  #expect(
    s.catalog.tables["back"]?.columns.map(\.type) == [.text, .int, .float, .date, .bool, .text])
}

func hasLibreOffice() -> Bool {
  (try? runProcess("/bin/sh", ["-c", "command -v soffice"]))?.0 == 0
}
