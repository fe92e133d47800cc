import Columnar
import Foundation
import Testing

@testable import Shell

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

  @Test func theFourTablesHaveTheirColumns() throws {
    #expect(session.catalog.tableNames == ["scores", "awards", "regions", "thresholds"])
    #expect(
      try table("scores").names == [
        "region_code", "region", "province", "year", "indicator", "score", "scale", "category",
        "zone",
        "source", "note",
      ])
    #expect(
      try table("awards").names == [
        "year", "region_code", "region", "award", "category", "predicate", "innovation", "giver",
        "date",
        "venue", "source",
      ])
    #expect(try table("regions").names == ["code", "name", "type", "province_code", "province"])
    #expect(
      try table("thresholds").names.prefix(9) == [
        "year_from", "year_to", "scheme", "category", "label", "min_score", "max_score", "zone",
        "source",
      ])
  }

  @Test(arguments: ["scores", "awards", "thresholds"])
  func everyRowHasASource(_ name: String) throws {
    let sources = try strings(try table(name), "source")
    #expect(sources.allSatisfy { ($0 ?? "").hasPrefix("http") })
  }

  @Test(arguments: ["scores", "awards"])
  func everyRegionResolves(_ name: String) throws {
    let (ok, out, err) = execute(
      session,
      "\(name) | join left regions on region_code == code | filter name == null | group (n = count())"
    )
    #expect(ok, "\(err)")
    #expect(out == "n\n0\n")
    let (_, mismatched, _) = execute(
      session,
      "\(name) | join regions on region_code == code | filter region != name | select region, name")
    #expect(mismatched.trimmingCharacters(in: .newlines) == "region,name")
  }

  @Test func regionsAgreeWithTheFullKemendagriList() throws {
    let path = packageRoot + "/../shared/data/regions.csv"
    let full = try TableReader.read(path: path)
    var byCode: [Int: [String]] = [:]
    for r in 0..<full.rowCount {
      guard case .int(let code) = full.columns[0].value(at: r) else { continue }
      byCode[code] = (1..<5).map { CellText.format(full.columns[$0].value(at: r)) }
    }
    let regions = try table("regions")
    #expect(regions.rowCount >= 38)
    for r in 0..<regions.rowCount {
      guard case .int(let code) = regions.columns[0].value(at: r) else {
        Issue.record("row \(r) has no code")
        continue
      }
      let ours = (1..<5).map { CellText.format(regions.columns[$0].value(at: r)) }
      #expect(byCode[code] == ours, "region \(code)")
    }
    let provinces = (0..<regions.rowCount).filter {
      regions.columns[2].value(at: $0) == .text("provinsi")
    }
    #expect(provinces.count == 38)
  }

  @Test func factsFromTheNews() throws {
    let (_, out, _) = execute(
      session,
      """
      scores | filter region == "Kota Mojokerto" and indicator == "kepatuhan" and score != null
        | select year, score, category, zone
      scores | filter region_code == 3516 | select year, indicator, score
      awards | filter region == "Kota Mojokerto" and year == 2024 and giver == "Kementerian PANRB"
        | select innovation, date
      scores | filter region_code == 3516 and indicator == "kepatuhan" | group (n = count())
      """)
    let parts = out.components(separatedBy: "\n\n")
    #expect(
      parts[0]
        == "year,score,category,zone\n2021,58.4,,kuning\n2022,63.67,C,kuning\n2023,88.26,A,hijau")
    #expect(parts[1] == "year,indicator,score\n2024,ikm,88.88")
    #expect(parts[2].hasPrefix("innovation,date\nGAYATRI"))
    #expect(parts[2].hasSuffix(",2024-10-08"))
    #expect(parts[3] == "n\n0\n")
  }

  @Test func theConflictOnKotaMojokerto2022IsKept() throws {
    let (_, out, _) = execute(
      session,
      "scores | filter region == \"Kota Mojokerto\" and year == 2022 and note ~ \"63.37\" | select score"
    )
    #expect(out == "score\n63.67\n")
  }

  @Test func sourcesCommandNamesTheOrigin() {
    let (ok, out, _) = execute(session, ".sources scores")
    #expect(ok)
    #expect(out.hasPrefix("scores: Datasets/scores.csv: Ombudsman RI compliance scores"))
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
