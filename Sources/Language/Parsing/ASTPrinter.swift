import Columnar

/// Prints the AST as an S-expression, for tests and debugging:
/// `(pipeline scores (filter (> score 80)))`.
public enum ASTPrinter {
  /// A statement as an S-expression.
  public static func print(_ s: Statement) -> String {
    switch s {
    case .pipeline(let p): print(p)
    case .assignment(let n, let p): "(let \(n.text) \(print(p)))"
    case .dot(let text, _): "(dot \(text))"
    }
  }

  /// A pipeline as an S-expression.
  public static func print(_ p: Pipeline) -> String {
    (["(pipeline", source(p.source)] + p.stages.map(stage)).joined(separator: " ") + ")"
  }

  static func source(_ s: PipelineSource) -> String {
    switch s {
    case .table(let n): n.text
    case .file(let path, let options, _):
      "(file \"\(path)\"" + options.map { " " + $0.key }.joined() + ")"
    case .pipeline(let p): print(p)
    }
  }

  static func list(_ items: [String]) -> String { "(" + items.joined(separator: " ") + ")" }

  static func binding(_ b: Binding) -> String { "(= \(b.name.text) \(expr(b.expr)))" }

  static func order(_ o: OrderItem) -> String {
    let key = o.descending ? "(desc \(expr(o.expr)))" : expr(o.expr)
    return o.nullsFirst ? "(nulls-first \(key))" : key
  }

  static func stage(_ s: Stage) -> String {
    switch s.kind {
    case .filter(let e): "(filter \(expr(e)))"
    case .select(let b): "(select \(b.map(binding).joined(separator: " ")))"
    case .drop(let n): "(drop \(n.map(\.text).joined(separator: " ")))"
    case .derive(let b, let by, let o):
      "(derive \(b.map(binding).joined(separator: " "))"
        + (by.isEmpty ? "" : " (by \(by.map(expr).joined(separator: " ")))")
        + (o.isEmpty ? "" : " (order \(o.map(order).joined(separator: " ")))") + ")"
    case .sort(let o): "(sort \(o.map(order).joined(separator: " ")))"
    case .take(let e): "(take \(expr(e)))"
    case .group(let k, let a):
      "(group \(list(k.map(binding)))  \(list(a.map(binding))))"
    case .rank(let e, let d, let by, let n):
      "(rank \(d ? "desc" : "asc") \(expr(e)) (by \(by.map(expr).joined(separator: " ")))\(n.map { " (as \($0.text))" } ?? ""))"
    case .top(let n, let e, let d, let by, let ties):
      "(top \(expr(n)) \(d ? "desc" : "asc") \(expr(e)) (by \(by.map(expr).joined(separator: " ")))\(ties ? "" : " no-ties"))"
    case .join(let left, let src, let on):
      "(join\(left ? " left" : "") \(source(src)) \(on.map { "(== \($0.0.text) \($0.1.text))" }.joined(separator: " ")))"
    case .distinct(let n): "(distinct\(n.map { " " + $0.text }.joined()))"
    case .append(let src): "(append \(source(src)))"
    case .pivot(let k, let v, let a): "(pivot \(k.text) \(v.text)\(a.map { " " + $0.text } ?? ""))"
    case .describe: "(describe)"
    case .save(let path, _, _): "(save \"\(path)\")"
    case .chart(let c):
      "(\(c.kind.rawValue) \(c.columns.map(\.text).joined(separator: " "))\(c.series.map { " (by \($0.text))" } ?? ""))"
    }
  }

  /// An expression as an S-expression.
  public static func expr(_ e: Expr) -> String {
    switch e.kind {
    case .column(let n): n
    case .literal(let v):
      switch v {
      case .text(let s): "\"\(s)\""
      case .null: "null"
      case .date(let d): "@" + CivilDate.format(d)
      default: CellText.format(v)
      }
    case .parameter(let p): "$" + p
    case .unary(let op, let x): "(\(op.rawValue) \(expr(x)))"
    case .binary(let op, let a, let b): "(\(op.rawValue) \(expr(a)) \(expr(b)))"
    case .call(let f, let args): "(\(f)\(args.map { " " + expr($0) }.joined()))"
    case .inList(let x, let items, let neg):
      "(\(neg ? "not-in" : "in") \(expr(x)) \(list(items.map(expr))))"
    case .inRange(let x, let lo, let hi, let neg):
      "(\(neg ? "not-in" : "in") \(expr(x)) (.. \(expr(lo)) \(expr(hi))))"
    }
  }
}
