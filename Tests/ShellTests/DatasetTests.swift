import Columnar
import Foundation
import Testing

@testable import Shell

/// The research files the built-in tables are built from, when the project's shared folder is
/// beside the clone (CI has it; a fresh clone of the project alone does not).
let sharedData: String? = {
  let path = packageRoot + "/../shared/data"
  return FileManager.default.fileExists(atPath: path + "/regions_full.csv") ? path : nil
}()

/// The built-in tables as a fact-checker would look at them.
struct DatasetTests {
  let session: Session = {
    let s = Session()
    s.settings.format = .csv
    Builtins.load(into: s)
    return s
  }()

  func table(_ name: String) throws -> Table { try #require(session.catalog.tables[name]) }

  func strings(_ t: Table, _ column: String) throws -> [String?] {
    let c = try #require(t.column(column))
    return (0..<t.rowCount).map { r in
      let v = c.value(at: r)
      return v.isNull ? nil : CellText.format(v)
    }
  }

  /// The csv output of one statement, without its final newline.
  func query(_ text: String) -> String {
    let (ok, out, err) = execute(session, text)
    #expect(ok, "\(err)")
    return out.trimmingCharacters(in: .newlines)
  }

  @Test func theFourTablesHaveTheirColumns() throws {
    #expect(session.catalog.tableNames == ["scores", "awards", "regions", "thresholds"])
    #expect(
      try table("scores").names == [
        "region_code", "region", "province", "year", "indicator", "score", "scale", "category",
        "zone", "basis", "source", "note",
      ])
    #expect(
      try table("awards").names == [
        "year", "region_code", "region", "award", "category", "predicate", "innovation", "giver",
        "date", "venue", "source",
      ])
    #expect(
      try table("regions").names == [
        "code", "name", "type", "province_code", "province", "island", "source",
      ])
    #expect(
      try table("thresholds").names == [
        "year_from", "year_to", "kind", "scheme", "category", "label", "min_score", "max_score",
        "zone", "source", "note",
      ])
  }

  /// A dropped or duplicated row changes one of these counts.
  @Test func rowCountsPerTableAndKind() {
    #expect(
      query("scores | group indicator (rows = count(), with_number = count(score))")
        == "indicator,rows,with_number\nikm,2,2\nipp,152,151\nkepatuhan,817,496\nskm,1,1")
    #expect(query("awards | group (n = count())") == "n\n109")
    #expect(
      query("regions | group type (n = count())")
        == "type,n\nkabupaten,416\nkota,98\nprovinsi,38")
    #expect(
      query("thresholds | group kind (n = count())") == "kind,n\nband,11\ndecree,1\nscheme,3")
    #expect(
      query("scores | filter indicator == \"kepatuhan\" | group year (n = count())")
        == """
        year,n
        2015,2
        2016,5
        2017,24
        2018,59
        2019,55
        2021,157
        2022,175
        2023,149
        2024,175
        2025,16
        """)
  }

  @Test(arguments: ["scores", "awards", "regions", "thresholds"])
  func everyRowHasASource(_ name: String) throws {
    let sources = try strings(try table(name), "source")
    #expect(sources.allSatisfy { s in ["http", "github:"].contains { (s ?? "").hasPrefix($0) } })
  }

  @Test(arguments: ["scores", "awards"])
  func everyRegionResolves(_ name: String) throws {
    #expect(
      query(
        "\(name) | join left regions on region_code == code | filter name == null | group (n = count())"
      ) == "n\n0")
    #expect(
      query("\(name) | join regions on region_code == code | filter region != name | select region")
        == "region")
  }

  @Test func regionsAreTheWholeCountryWithTheirIslands() {
    #expect(
      query("regions | filter type == \"provinsi\" | group island (provinces = count())")
        == """
        island,provinces
        Bali dan Nusa Tenggara,3
        Jawa,6
        Kalimantan,5
        Maluku,2
        Papua,6
        Sulawesi,6
        Sumatera,10
        """)
    // Each regency or city lies in its province and on its province's island.
    #expect(
      query(
        """
        regions | join regions on province_code == code
          | filter province != name_regions or island != island_regions | group (n = count())
        """) == "n\n0")
    #expect(
      query("regions | filter province == \"Jawa Timur\" | group type (n = count())")
        == "type,n\nkabupaten,29\nkota,9\nprovinsi,1")
    #expect(
      query("regions | filter code in (35, 3516, 3576, 96) | select code, name, island")
        == """
        code,name,island
        35,Jawa Timur,Jawa
        3516,Kabupaten Mojokerto,Jawa
        3576,Kota Mojokerto,Jawa
        96,Papua Barat Daya,Papua
        """)
  }

  @Test(.enabled(if: sharedData != nil, "needs ../shared/data beside the clone"))
  func regionsAgreeWithTheFullKemendagriList() throws {
    let full = try TableReader.read(path: try #require(sharedData) + "/regions_full.csv")
    let regions = try table("regions")
    #expect(regions.rowCount == full.rowCount)
    for column in ["code", "name", "type", "province_code", "province"] {
      #expect(try strings(regions, column) == (try strings(full, column)), "column \(column)")
    }
  }

  @Test func theLicenceOfTheRegionListShipsWithIt() throws {
    let notice = try String(
      contentsOfFile: packageRoot + "/Datasets/regions.LICENSE", encoding: .utf8)
    #expect(notice.hasPrefix("MIT License\n\nCopyright (c) 2017-2025 Cahya DSN"))
    let (ok, out, _) = execute(session, ".sources regions")
    #expect(ok)
    #expect(out.contains(notice.trimmingCharacters(in: .newlines)))
    if let shared = sharedData {
      #expect(
        notice == (try String(contentsOfFile: shared + "/regions_full.LICENSE", encoding: .utf8)))
    }
  }

  /// Every row of each research file is in the built table (the build drops nothing).
  @Test(.enabled(if: sharedData != nil, "needs ../shared/data beside the clone"))
  func everyResearchRowIsBuiltIn() throws {
    let shared = try #require(sharedData)
    let ombudsman = try TableReader.read(path: shared + "/ombudsman_scores.csv")
    let indices = try TableReader.read(path: shared + "/service_indices.csv")
    let awards = try TableReader.read(path: shared + "/awards.csv")
    let thresholds = try TableReader.read(path: shared + "/ombudsman_thresholds.csv")
    #expect(
      query("scores | filter indicator == \"kepatuhan\" | group (n = count())")
        == "n\n\(ombudsman.rowCount)")
    #expect(
      query("scores | filter indicator != \"kepatuhan\" | group (n = count())")
        == "n\n\(indices.rowCount)")
    #expect(try table("awards").rowCount == awards.rowCount)
    #expect(try table("thresholds").rowCount == thresholds.rowCount)
    let ours = Set(try strings(try table("scores"), "source").compactMap { $0 })
    let theirs = Set(
      try strings(ombudsman, "source_url_or_repo").compactMap { $0 }
        + (try strings(indices, "source").compactMap { $0 }))
    #expect(ours == theirs)
  }

  @Test func factsFromTheNews() throws {
    #expect(
      query(
        """
        scores | filter region == "Kota Mojokerto" and indicator == "kepatuhan" and score != null
          | select year, score, category, zone
        """)
        == "year,score,category,zone\n2021,58.4,,kuning\n2022,63.67,C,kuning\n2023,88.26,A,hijau")
    #expect(
      query(
        """
        scores | filter region_code == 3516 and score != null
          | select year, indicator, score, rank_3 = note ~ "rank 3 among Jatim"
        """)
          == """
          year,indicator,score,rank_3
          2019,kepatuhan,99.63,false
          2024,ikm,88.88,true
          """)
    let gayatri = query(
      """
      awards | filter region == "Kota Mojokerto" and year == 2024 and giver == "Kementerian PANRB"
        | select innovation, date
      """)
    #expect(gayatri.hasPrefix("innovation,date\nGAYATRI"))
    #expect(gayatri.hasSuffix(",2024-10-08"))
    // The four 2023 KemenPAN RB awards to Pemprov Jatim, itemised, next to the older summary row.
    #expect(
      query(
        """
        awards | filter region_code == 35 and year == 2023 and award == "Penghargaan Pelayanan Publik 2023"
          | group (n = count())
        """) == "n\n4")
    #expect(
      query(
        "scores | filter indicator == \"ipp\" and year == 2024 and region_code in (32, 35) | select region, score"
      )
        == "region,score\nJawa Barat,4.76\nJawa Timur,4.633")
  }

  @Test func theConflictOnKotaMojokerto2022IsKept() {
    #expect(
      query(
        "scores | filter region == \"Kota Mojokerto\" and year == 2022 and note ~ \"63.37\" | select score"
      ) == "score\n63.67")
  }

  /// A category or zone is either the source's own, filled in from the bands (and said so),
  /// or from a statement about many governments at once; a query can tell which.
  @Test func everyCategoryHasItsBasis() throws {
    #expect(
      query("scores | group basis (n = count())")
        == "basis,n\nblanket statement,42\nderived from bands,155\nstated,775")
    #expect(
      query(
        """
        scores | filter basis == "blanket statement" and province == "Jawa Timur" and year == 2024
          | group category (n = count(), with_number = count(score))
        """) == "category,n,with_number\nA,26,1")
    #expect(
      query(
        """
        scores | filter basis == "derived from bands" and not (note ~ "from the 20")
          | group (n = count())
        """) == "n\n0")
    // Kabupaten Malang 2024: the source states only the zone; the letter is the band's.
    #expect(
      query(
        "scores | filter region_code == 3507 and year == 2024 | select category, zone, basis"
      ) == "category,zone,basis\nA,hijau,derived from bands")
    // A stated letter stands in the source's own wording.
    let t = try table("scores")
    let basis = try strings(t, "basis")
    let category = try strings(t, "category")
    let indicator = try strings(t, "indicator")
    let note = try strings(t, "note")
    for r in 0..<t.rowCount where basis[r] == "stated" && indicator[r] == "kepatuhan" {
      guard let letter = category[r] else { continue }
      let wording = (note[r] ?? "").components(separatedBy: "; ").first ?? ""
      #expect(
        wording.range(of: "(^|[ ,(])\(letter)($|[ ,;)])", options: .regularExpression) != nil,
        "row \(r): \(letter) not in \(wording)")
    }
  }

  @Test func theIPPCreditsItsPublisher() {
    #expect(
      query(
        """
        scores | filter source ~ "SatriaData" and not (note ~ "credit: KemenPAN RB")
          | group (n = count())
        """) == "n\n0")
    // The provinces' IPP 2021-2024: all 34 provinces of the old layout each year; Papua 2024
    // is a placeholder in the source, so it has no number.
    #expect(
      query(
        """
        scores | filter indicator == "ipp" and region_code < 100 and year <= 2024
          | group year (n = count(), with_number = count(score))
        """) == "year,n,with_number\n2021,34,34\n2022,34,34\n2023,34,34\n2024,34,33")
    #expect(
      query(
        "scores | filter indicator == \"ipp\" and year == 2024 and score == null | select region")
        == "region\nPapua")
  }

  @Test func sourcesCommandNamesTheOrigin() {
    let (ok, out, _) = execute(session, ".sources scores")
    #expect(ok)
    #expect(out.hasPrefix("scores: Datasets/scores.csv: Ombudsman RI compliance scores"))
    #expect(out.contains("Open Data Jabar"))
    #expect(out.contains("distinct sources"))
  }

  @Test func embeddedCopyMatchesTheCSVFiles() throws {
    for name in ["scores", "awards", "regions", "thresholds"] {
      let file = try TableReader.read(path: packageRoot + "/Datasets/\(name).csv")
      #expect(
        file == (try table(name)),
        "\(name): Datasets/\(name).csv and the embedded copy differ; run Datasets/build.py")
    }
  }
}
