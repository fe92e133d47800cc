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
    let word = t.word?.lowercased()
    if t.kind == .assign {
      d.hints.append(
        "to compare, write == (year == 2023); a single = names a column in derive, select, group")
    } else if word == "is" {
      d.hints.append("test for null with == null or != null")
    }
    return d
  }

  /// The pantau stage for a stage or clause name from SQL, PRQL, dplyr, pandas or KQL.
  static let habitStages: [String: StageName] = [
    "where": .filter, "having": .filter, "limit": .take, "head": .take, "slice": .take,
    "order": .sort, "orderby": .sort, "order_by": .sort, "arrange": .sort, "mutate": .derive,
    "extend": .derive, "with_columns": .derive, "summarize": .group, "summarise": .group,
    "aggregate": .group, "group_by": .group, "groupby": .group, "project": .select,
    "unique": .distinct, "uniq": .distinct, "union": .append,
  ]

  static func unknownStage(_ t: Token) -> Diagnostic {
    let names = StageName.allCases.map(\.rawValue)
    var hints: [String] = []
    if t.kind == .pipe {
      hints.append("|| is not an operator: write or (year == 2022 or year == 2023)")
    } else if let w = t.word, let stage = habitStages[w.lowercased()] {
      hints.append("pantau calls this \(stage.rawValue): " + stage.example)
    } else if let w = t.word, let s = Suggestions.closest(to: w, among: names) {
      hints.append("did you mean \"\(s)\"?")
    }
    hints.append("stages: " + names.joined(separator: ", "))
    return Diagnostic(
      "unknown stage \(t.kind.display)", at: t.span, label: "not a stage", hints: hints)
  }

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
