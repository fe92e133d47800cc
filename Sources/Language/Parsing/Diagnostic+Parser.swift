extension Diagnostic {
  static func expected(_ what: String, found: Token) -> Diagnostic {
    Diagnostic(
      "expected \(what), found \(found.kind.display)", at: found.span,
      label: "expected \(what)")
  }

  /// A statement that goes on where it should end; the hint names the pantau spelling of
  /// an SQL habit when the token is one.
  static func expectedEnd(found t: Token) -> Diagnostic {
    var d = expected("| or the end of the statement", found: t)
    if t.kind == .assign {
      d.hints.append(
        "to compare, write == (year == 2023); a single = names a column in derive, select, group")
    } else if let w = t.word?.lowercased(), w == "like" || w == "ilike" {
      d.hints.append("~ tests \"contains\", ignoring case: region ~ \"mojokerto\"")
    } else if let w = t.word?.lowercased(), w == "is" {
      d.hints.append("test for null with == null or != null")
    }
    return d
  }

  /// The pantau stage for a stage or clause name from SQL, PRQL, dplyr, pandas or KQL.
  static let habitStages: [String: String] = [
    "where": "filter", "limit": "take", "head": "take", "order": "sort", "orderby": "sort",
    "order_by": "sort", "mutate": "derive", "extend": "derive", "with_columns": "derive",
    "summarize": "group", "summarise": "group", "aggregate": "group", "group_by": "group",
    "groupby": "group", "project": "select", "unique": "distinct", "uniq": "distinct",
    "arrange": "sort", "slice": "take", "having": "filter", "union": "append",
  ]

  static func unknownStage(_ t: Token) -> Diagnostic {
    let names = StageName.allCases.map(\.rawValue)
    var hints: [String] = []
    if t.kind == .pipe {
      hints.append("|| is not an operator: write or (year == 2022 or year == 2023)")
    } else if let w = t.word, let stage = habitStages[w.lowercased()] {
      hints.append("pantau calls this \(stage): " + (Diagnostic.habitExamples[stage] ?? stage))
    } else if let w = t.word, let s = Suggestions.closest(to: w, among: names) {
      hints.append("did you mean \"\(s)\"?")
    }
    hints.append("stages: " + names.joined(separator: ", "))
    return Diagnostic(
      "unknown stage \(t.kind.display)", at: t.span, label: "not a stage", hints: hints)
  }

  static let habitExamples: [String: String] = [
    "filter": "filter year == 2023", "take": "take 10", "sort": "sort score desc, region",
    "derive": "derive change = score - lag(score) by region order year",
    "group": "group year (n = count(), avg = avg(score))", "select": "select region, score",
    "distinct": "distinct region", "append": "append other_table",
  ]

  static func needsName(at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "this expression needs a name", at: span, label: "unnamed",
      hints: ["write name = expression"])
  }

  static func tooDeep(at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "the statement is nested too deeply", at: span,
      hints: ["split it with let into smaller steps"])
  }

  static func unknownChartOption(_ t: Token, kind: ChartKind) -> Diagnostic {
    let options =
      switch kind {
      case .trend: "by SERIES, width W, height H"
      case .bar: "width W"
      case .hist: "bins N, width W"
      }
    return Diagnostic(
      "unexpected \(t.kind.display) in \(kind.rawValue)", at: t.span,
      hints: ["\(kind.rawValue) takes: \(options)"])
  }
}
