import Columnar
import Testing

@testable import Language

/// A small table with nulls, ties and repeated keys.
let sample = Table([
  ("region", .text(TextColumn(["Kota A", "Kota A", "Kab B", "Kab B", "Kab C", "Kota A"]))),
  ("year", .int(TypedColumn([2021, 2022, 2021, 2022, 2022, 2023]))),
  (
    "score",
    .float(
      TypedColumn(
        [58.4, 63.67, 0, 80, 80, 88.26],
        validity: Validity([true, true, false, true, true, true])))
  ),
  ("ok", .bool(TypedColumn([false, false, true, true, true, true]))),
])

let regions = Table([
  ("name", .text(TextColumn(["Kota A", "Kab B", "Kab D"]))),
  ("type", .text(TextColumn(["kota", "kabupaten", "kabupaten"]))),
])

func context() -> CheckContext {
  var catalog = Catalog()
  catalog.set("t", sample)
  catalog.set("regions", regions)
  catalog.parameters["y"] = .int(2022)
  var c = CheckContext(catalog: catalog, directory: ".")
  c.runPivot = { plan throws(Diagnostic) in try Executor(cancellation: nil).run(plan) }
  return c
}

/// Runs one pipeline over the sample tables.
func run(_ text: String) throws -> Table {
  let source = SourceText(name: "test", text: text)
  let statements = try Parser.parse(source)
  guard case .pipeline(let p) = statements[0] else { throw Diagnostic("not a pipeline", at: nil) }
  let checked = try Checker(context()).check(p)
  return try bothWays(checked.plan)
}

/// Runs a plan with the fast planner and with the general one; records an issue unless
/// both give the same table (names, types, bits) or the same error at the same place.
func bothWays(
  _ plan: Plan, _ executor: Executor = Executor(cancellation: nil),
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> Table {
  var outcomes: [Result<Table, Diagnostic>] = []
  for mode in Planner.Mode.allCases {
    var e = executor
    e.planner = Planner(mode: mode)
    do throws(Diagnostic) {
      outcomes.append(.success(try e.run(plan)))
    } catch {
      outcomes.append(.failure(error))
    }
  }
  switch (outcomes[0], outcomes[1]) {
  case (.success(let a), .success(let b)):
    #expect(sameBits(a, b), "fast and general plans differ", sourceLocation: sourceLocation)
  case (.failure(let a), .failure(let b)):
    #expect(
      a.message == b.message && a.span == b.span,
      "fast: \(a.message) at \(String(describing: a.span)); general: \(b.message) at \(String(describing: b.span))",
      sourceLocation: sourceLocation)
  default:
    Issue.record("one plan failed, the other did not: \(outcomes)", sourceLocation: sourceLocation)
  }
  return try outcomes[0].get()
}

/// Same names, types, validity and value bits (floats by bit pattern: 0.0 is not -0.0).
func sameBits(_ a: Table, _ b: Table) -> Bool {
  guard a.names == b.names, a.rowCount == b.rowCount, a.columns.count == b.columns.count else {
    return false
  }
  for (x, y) in zip(a.columns, b.columns) {
    guard x.type == y.type else { return false }
    for r in 0..<a.rowCount {
      let (u, v) = (x.value(at: r), y.value(at: r))
      if case .float(let p) = u, case .float(let q) = v {
        if p.bitPattern != q.bitPattern { return false }
      } else if u != v {
        return false
      }
    }
  }
  return true
}

/// The rows of a table as CSV-like lines (null as "null").
func lines(_ t: Table) -> [String] {
  (0..<t.rowCount).map { r in
    t.columns.map { c in
      let v = c.value(at: r)
      return v.isNull ? "null" : CellText.format(v)
    }.joined(separator: ",")
  }
}

/// The diagnostic a statement produces, with the position of the 1️⃣ marker removed from
/// the text; checks that the diagnostic's span starts at the marker.
func diagnostic(_ marked: String, sourceLocation: SourceLocation = #_sourceLocation) -> Diagnostic?
{
  let marker = "1️⃣"
  guard let range = marked.firstRange(of: marker) else {
    Issue.record("no marker", sourceLocation: sourceLocation)
    return nil
  }
  let offset = marked[..<range.lowerBound].utf8.count
  let text = marked.replacingOccurrences(of: marker)
  do {
    _ = try run(text)
    Issue.record("expected an error", sourceLocation: sourceLocation)
    return nil
  } catch let d as Diagnostic {
    #expect(
      d.span?.start == offset,
      "span \(String(describing: d.span)) vs marker \(offset): \(d.message)",
      sourceLocation: sourceLocation)
    return d
  } catch {
    Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

extension String {
  func replacingOccurrences(of s: String) -> String { replacing(s, with: "") }
}

/// Runs each pipeline of `text` over `tables` with both planners (see `bothWays`), a pivot
/// run while checking as the session runs it; one table per pipeline.
func runBothWays(_ text: String, over tables: [(String, Table)]) throws -> [Table] {
  var catalog = Catalog()
  for (name, table) in tables { catalog.set(name, table) }
  var context = CheckContext(catalog: catalog, directory: ".")
  context.runPivot = { plan throws(Diagnostic) in try Executor(cancellation: nil).run(plan) }
  var out: [Table] = []
  for statement in try Parser.parse(SourceText(name: "test", text: text)) {
    guard case .pipeline(let p) = statement else { throw Diagnostic("not a pipeline", at: nil) }
    out.append(try bothWays(try Checker(context).check(p).plan))
  }
  return out
}
