import Columnar

extension Diagnostic {
  static func unknownTable(_ name: Name, known: [String]) -> Diagnostic {
    var hints: [String] = []
    if let s = Suggestions.closest(to: name.text, among: known) {
      hints.append("did you mean \"\(s)\"?")
    }
    hints.append(
      known.isEmpty
        ? "no tables are loaded; load one with .load \"file.csv\""
        : "tables: " + known.joined(separator: ", "))
    return Diagnostic(
      "unknown table \"\(name.text)\"", at: name.span, label: "unknown table", hints: hints)
  }

  static func unknownColumn(_ name: String, at span: SourceSpan, available: [String])
    -> Diagnostic
  {
    var hints: [String] = []
    if let s = Suggestions.closest(to: name, among: available) {
      hints.append("did you mean \"\(s)\"?")
    }
    hints.append("columns: " + (available.isEmpty ? "(none)" : available.joined(separator: ", ")))
    return Diagnostic(
      "unknown column \"\(name)\"", at: span, label: "unknown column", hints: hints)
  }

  static func notAKey(_ name: String, at span: SourceSpan, keys: [String]) -> Diagnostic {
    Diagnostic(
      "column \"\(name)\" is neither a group key nor inside an aggregate", at: span,
      hints: [
        "use an aggregate such as first(\(name)) or max(\(name)), or add it to the keys"
          + (keys.isEmpty ? "" : " (keys: \(keys.joined(separator: ", ")))")
      ])
  }

  static func unknownFunction(_ name: String, at span: SourceSpan, known: [String]) -> Diagnostic {
    var hints: [String] = []
    if let s = Suggestions.closest(to: name, among: known) { hints.append("did you mean \(s)()?") }
    hints.append(".help functions lists them all")
    return Diagnostic(
      "unknown function \"\(name)\"", at: span, label: "unknown function", hints: hints)
  }

  static func aggregateOutsideGroup(_ name: String, at span: SourceSpan, isWindow: Bool)
    -> Diagnostic
  {
    Diagnostic(
      "\(name)() is \(isWindow ? "a window function" : "an aggregate") and cannot be used here",
      at: span, label: "not allowed here",
      hints: [
        isWindow
          ? "window functions go in derive, e.g. derive prev = lag(score) by region order year"
          : "aggregates go in group, e.g. group region (\(name) = \(name)(score)), or in derive … by"
      ])
  }

  static func windowOutsideDerive(_ name: String, at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "\(name)() is a window function and belongs in derive, not group", at: span,
      hints: ["e.g. derive prev = \(name)(score) by region order year"])
  }

  static func wrongArgumentCount(_ name: String, got: Int, usage: String, at span: SourceSpan)
    -> Diagnostic
  {
    Diagnostic(
      "\(name) takes a different number of arguments (got \(got))", at: span,
      label: "wrong number of arguments", hints: ["usage: \(usage)"])
  }

  static func wrongArgumentType(_ name: String, _ arg: BoundExpr, expected: String) -> Diagnostic {
    Diagnostic(
      "\(name) expects \(expected) here, found \(arg.type.rawValue)", at: arg.span,
      label: "\(arg.type.rawValue)",
      hints: ["convert with \(expected)(…) if that is what you mean"])
  }

  static func needsNumber(_ arg: BoundExpr, _ op: String) -> Diagnostic {
    Diagnostic(
      "\(op) needs a number, found \(arg.type.rawValue)", at: arg.span,
      label: arg.type.rawValue,
      hints: ["convert text to a number with int(…) or float(…)"])
  }

  static func needsBool(_ arg: BoundExpr, _ op: String) -> Diagnostic {
    Diagnostic(
      "\(op) needs a true/false condition, found \(arg.type.rawValue)", at: arg.span,
      label: arg.type.rawValue, hints: ["compare it, e.g. score > 80"])
  }

  static func filterNeedsBool(_ arg: BoundExpr) -> Diagnostic {
    Diagnostic(
      "filter needs a true/false condition, found \(arg.type.rawValue)", at: arg.span,
      label: arg.type.rawValue, hints: ["compare it, e.g. filter score > 80"])
  }

  static func mismatch(_ l: BoundExpr, _ r: BoundExpr, _ op: String, at span: SourceSpan)
    -> Diagnostic
  {
    Diagnostic(
      "cannot combine \(l.type.rawValue) and \(r.type.rawValue) with \(op)", at: span,
      label: "\(l.type.rawValue) \(op) \(r.type.rawValue)",
      hints: [
        "both sides must have the same type (int and float mix); convert one with int(), float(), text() or date()"
      ])
  }

  static func unsetParameter(_ name: String, _ span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "parameter $\(name) is not set", at: span, label: "unset",
      hints: ["set it with --set \(name)=VALUE or .set \(name) VALUE"])
  }

  static func expectedConstantInt(_ what: String, at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "\(what) must be a whole number", at: span, label: "not a whole number",
      hints: ["write a number such as 10, or a parameter such as $n"])
  }

  static func negativeTake(_ n: Int, at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "the row count must not be negative (got \(n))", at: span,
      hints: ["take 0 gives no rows; to drop rows from the end, sort the other way first"])
  }

  static func badFraction(at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "quantile's p must be a number from 0 to 1", at: span,
      hints: ["e.g. quantile(score, 0.9)"])
  }

  static func duplicateColumn(_ name: Name) -> Diagnostic {
    Diagnostic(
      "column \"\(name.text)\" is named twice", at: name.span,
      hints: ["give each output column its own name"])
  }

  static func byWithoutWindow(_ span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "by/order in derive need a window function or aggregate", at: span,
      hints: ["e.g. derive prev = lag(score) by region order year"])
  }

  static func afterTerminal(_ span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "no stage can follow a chart or save", at: span,
      hints: ["charts and save end a pipeline; use let to keep the table first"])
  }

  static func terminalInSubpipeline(_ span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "a chart or save cannot end a pipeline used as a table", at: span,
      hints: ["remove the chart or save from the inner pipeline"])
  }

  static func joinKeyMismatch(
    _ a: String, _ at: DataType, _ b: String, _ bt: DataType, at span: SourceSpan
  ) -> Diagnostic {
    Diagnostic(
      "join keys \(a) (\(at.rawValue)) and \(b) (\(bt.rawValue)) have different types",
      at: span, hints: ["convert one side first with derive, e.g. derive k = text(\(a))"])
  }

  static func appendMismatch(_ name: String, _ a: DataType, _ b: DataType, at span: SourceSpan)
    -> Diagnostic
  {
    Diagnostic(
      "column \"\(name)\" is \(a.rawValue) here but \(b.rawValue) in the appended table",
      at: span, hints: ["convert one side first with derive"])
  }

  static func pivotSameColumn(_ name: Name) -> Diagnostic {
    Diagnostic(
      "pivot needs two different columns", at: name.span,
      hints: ["pivot KEY VALUE [AGG], e.g. pivot indicator score avg"])
  }

  static func optionOutOfRange(_ what: String, _ range: ClosedRange<Int>, at span: SourceSpan)
    -> Diagnostic
  {
    Diagnostic(
      "\(what) must be from \(range.lowerBound) to \(range.upperBound)", at: span)
  }

  static func chartNeedsNumber(_ kind: ChartKind, _ role: String, _ name: Name, _ type: DataType)
    -> Diagnostic
  {
    Diagnostic(
      "\(kind.rawValue) needs a number for \(role), but \(name.text) is \(type.rawValue)",
      at: name.span, label: type.rawValue,
      hints: [
        type == .text && kind == .trend
          ? "text holding dates converts with date(…): | derive \(name.text) = date(\(name.text))"
          : "convert it first, e.g. | derive \(name.text) = float(\(name.text))"
      ])
  }

  /// An engine error, placed at the stage or source that raised it.
  public static func engine(_ e: EngineError, at span: SourceSpan?) -> Diagnostic {
    switch e {
    case .io:
      return Diagnostic(
        e.message, at: span,
        hints: ["check the path; relative paths start from the script's folder"])
    case .malformed:
      return Diagnostic(
        e.message, at: span, hints: ["fix the file, or save it again as CSV from its program"])
    case .overflow:
      return Diagnostic(e.message, at: span, hints: ["convert to float first, e.g. float(x) * y"])
    case .cancelled:
      return Diagnostic("cancelled", at: nil)
    case .limit:
      return Diagnostic(
        e.message, at: span,
        hints: ["filter or group first to make it smaller, or raise --memory-limit"])
    case .invalidValue(_, let hint):
      return Diagnostic(e.message, at: span, hints: [hint])
    }
  }
}
