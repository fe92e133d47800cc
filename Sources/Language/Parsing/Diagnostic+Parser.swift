extension Diagnostic {
  static func expected(_ what: String, found: Token) -> Diagnostic {
    Diagnostic(
      "expected \(what), found \(found.kind.display)", at: found.span,
      label: "expected \(what)")
  }

  static func unknownStage(_ t: Token) -> Diagnostic {
    let names = StageName.allCases.map(\.rawValue)
    var hints: [String] = []
    if let w = t.word, let s = Suggestions.closest(to: w, among: names) {
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
