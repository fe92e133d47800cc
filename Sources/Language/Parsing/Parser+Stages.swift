import Columnar

extension Parser {
  mutating func parseStage() throws(Diagnostic) -> Stage {
    let keyword = current
    guard let word = keyword.word, let stage = StageName(rawValue: word) else {
      throw .unknownStage(keyword)
    }
    advance()
    let kind = try parseStageBody(stage, keyword: keyword)
    let end = tokens[max(0, index - 1)].span
    return Stage(kind: kind, span: keyword.span.merged(end), keywordSpan: keyword.span)
  }

  private mutating func parseStageBody(_ stage: StageName, keyword: Token) throws(Diagnostic)
    -> Stage.Kind
  {
    switch stage {
    case .filter: return .filter(try parseExpr())
    case .select: return .select(try parseBindings(allowBare: true))
    case .drop: return .drop(try parseNames("a column name"))
    case .derive: return try parseDerive()
    case .sort: return .sort(try parseOrderItems())
    case .take: return .take(try parseExpr())
    case .group: return try parseGroup()
    case .rank: return try parseRank()
    case .top: return try parseTop()
    case .join: return try parseJoin()
    case .distinct:
      return .distinct(isStageEnd ? [] : try parseNames("a column name"))
    case .append: return .append(try parseSource())
    case .pivot: return try parsePivot()
    case .describe: return .describe
    case .save:
      guard case .string(let path) = current.kind else {
        throw .expected("a quoted file path such as \"out.csv\"", found: current)
      }
      let t = advance()
      let options = current.kind == .leftParen ? try parseFileOptions() : []
      return .save(path: path, pathSpan: t.span, options: options)
    case .trend: return .chart(try parseChart(.trend, positional: 2))
    case .bar: return .chart(try parseChart(.bar, positional: 2))
    case .hist: return .chart(try parseChart(.hist, positional: 1))
    }
  }

  var isStageEnd: Bool {
    current.kind == .pipe || current.kind == .end || current.kind == .eof
      || current.kind == .rightParen
  }

  /// `name = expr, …`; with `allowBare`, a bare column keeps its name.
  mutating func parseBindings(allowBare: Bool) throws(Diagnostic) -> [Binding] {
    var out: [Binding] = []
    repeat {
      out.append(try parseBinding(allowBare: allowBare))
    } while accept(.comma)
    return out
  }

  mutating func parseBinding(allowBare: Bool) throws(Diagnostic) -> Binding {
    let nameToken = current
    if nameToken.word != nil || isQuoted(nameToken), peek(1).kind == .assign {
      let name = try parseName("a column name")
      advance()
      return Binding(name: name, expr: try parseExpr())
    }
    guard allowBare else { throw .expected("name = expression", found: current) }
    let expr = try parseExpr()
    if let n = expr.columnName { return Binding(name: Name(n, expr.span), expr: expr) }
    throw .needsName(at: expr.span)
  }

  private func isQuoted(_ t: Token) -> Bool {
    if case .quotedIdentifier = t.kind { return true }
    return false
  }

  private mutating func parseDerive() throws(Diagnostic) -> Stage.Kind {
    let bindings = try parseBindings(allowBare: false)
    var by: [Expr] = []
    var order: [OrderItem] = []
    if accept("by") { by = try parseExprList() }
    if accept("order") { order = try parseOrderItems() }
    return .derive(bindings, by: by, order: order)
  }

  mutating func parseExprList() throws(Diagnostic) -> [Expr] {
    var out = [try parseExpr()]
    while accept(.comma) { out.append(try parseExpr()) }
    return out
  }

  mutating func parseOrderItems() throws(Diagnostic) -> [OrderItem] {
    var out: [OrderItem] = []
    repeat {
      let e = try parseExpr()
      var item = OrderItem(expr: e, descending: try parseDirection(default: false))
      if at("nulls") {
        advance()
        if accept("first") {
          item.nullsFirst = true
        } else if !accept("last") {
          throw .expected("first or last after nulls", found: current)
        }
      }
      out.append(item)
    } while accept(.comma)
    return out
  }

  mutating func parseDirection(default d: Bool) throws(Diagnostic) -> Bool {
    if accept("desc") { return true }
    if accept("asc") { return false }
    return d
  }

  private mutating func parseGroup() throws(Diagnostic) -> Stage.Kind {
    var keys: [Binding] = []
    if current.kind != .leftParen && !isStageEnd {
      repeat {
        let name = try parseName("a key column or ( aggregates )")
        if accept(.assign) {
          keys.append(Binding(name: name, expr: try parseExpr()))
        } else {
          keys.append(Binding(name: name, expr: Expr(.column(name.text), name.span)))
        }
      } while accept(.comma)
    }
    var aggregates: [Binding] = []
    if accept(.leftParen) {
      if current.kind != .rightParen { aggregates = try parseBindings(allowBare: false) }
      _ = try expect(.rightParen, ") to close the aggregates")
    }
    return .group(keys: keys, aggregates: aggregates)
  }

  private mutating func parseRank() throws(Diagnostic) -> Stage.Kind {
    let e = try parseExpr()
    let desc = try parseDirection(default: true)
    var by: [Expr] = []
    if accept("by") { by = try parseExprList() }
    var name: Name?
    if accept("as") { name = try parseName("a column name after as") }
    return .rank(e, descending: desc, by: by, name: name)
  }

  private mutating func parseTop() throws(Diagnostic) -> Stage.Kind {
    let n = try parseUnary()
    let e = try parseExpr()
    let desc = try parseDirection(default: true)
    var by: [Expr] = []
    if accept("by") { by = try parseExprList() }
    var ties = true
    if at("no") || at("with") {
      ties = accept("with")
      if ties == false { advance() }
      guard accept("ties") else { throw .expected("ties after no or with", found: current) }
    }
    return .top(n, e, descending: desc, by: by, ties: ties)
  }

  private mutating func parseJoin() throws(Diagnostic) -> Stage.Kind {
    let left = accept("left")
    _ = accept("inner")
    let source = try parseSource()
    guard accept("on") else { throw .expected("on after the joined table", found: current) }
    var pairs: [(Name, Name)] = []
    repeat {
      let a = try parseName("a key column")
      if accept(.equal) {
        let b = try parseName("a key column of the joined table")
        pairs.append((a, b))
      } else {
        pairs.append((a, a))
      }
    } while accept("and") || accept(.comma)
    return .join(left: left, source, on: pairs)
  }

  private mutating func parsePivot() throws(Diagnostic) -> Stage.Kind {
    let key = try parseName("the key column whose values become columns")
    let value = try parseName("the value column")
    let agg: Name? = isStageEnd ? nil : try parseName("an aggregate such as sum or avg")
    return .pivot(key: key, value: value, aggregate: agg)
  }

  private mutating func parseChart(_ kind: ChartKind, positional: Int) throws(Diagnostic)
    -> ChartSpec
  {
    var spec = ChartSpec(kind: kind, columns: [])
    for _ in 0..<positional { spec.columns.append(try parseName("a column name")) }
    while !isStageEnd {
      let option = current
      if kind == .trend && accept("by") {
        spec.series = try parseName("the series column")
      } else if accept("width") {
        spec.width = try parseUnary()
      } else if kind == .trend && accept("height") {
        spec.height = try parseUnary()
      } else if kind == .hist && accept("bins") {
        spec.bins = try parseUnary()
      } else {
        throw .unknownChartOption(option, kind: kind)
      }
    }
    return spec
  }
}
