import Columnar

extension Checker {
  func bindCall(
    _ name: String, _ args: [Expr], _ span: SourceSpan, _ scope: Scope, _ c: inout Collector
  ) throws(Diagnostic) -> BoundExpr {
    if let f = ScalarFunction(rawValue: name) {
      return try bindScalar(f, args, span, scope, &c)
    }
    if name == "case" {
      // The parser writes `case when …` as nested calls with if's rules.
      do throws(Diagnostic) {
        return try bindScalar(.if, args, span, scope, &c)
      } catch {
        var d = error
        d.message = d.message.replacing("if expects bool", with: "when expects a bool condition")
          .replacing("with if", with: "in the branches of case")
        d.label = d.label?.replacing(" if ", with: " and ")
        throw d
      }
    }
    let window = WindowKind(rawValue: name)
    let aggregate = AggregateKind.named(name)
    guard window != nil || aggregate != nil else {
      throw .unknownFunction(name, at: span, known: Checker.functionNames)
    }
    switch scope.mode {
    case .row:
      throw .aggregateOutsideGroup(name, at: span, isWindow: window != nil)
    case .group(let input):
      guard let aggregate, window == nil else { throw .windowOutsideDerive(name, at: span) }
      let call = try bindAggregate(aggregate, args, span, Scope(schema: input, mode: .row))
      c.aggregates.append(call)
      return BoundExpr(.column(scope.schema.fields.count + c.aggregates.count - 1), call.type, span)
    case .window:
      let call = try bindWindow(name, window, aggregate, args, span, scope)
      c.windows.append(call)
      return BoundExpr(.column(scope.schema.fields.count + c.windows.count - 1), call.type, span)
    }
  }

  static let functionNames: [String] =
    ScalarFunction.allCases.map(\.rawValue) + AggregateKind.allCases.map(\.rawValue) + ["mean"]
    + WindowKind.allCases.map(\.rawValue)

  private func checkArity(
    _ name: String, _ args: [Expr], _ lo: Int, _ hi: Int?, usage: String, _ span: SourceSpan
  ) throws(Diagnostic) {
    if args.count < lo || (hi != nil && args.count > hi!) {
      throw .wrongArgumentCount(name, got: args.count, usage: usage, at: span)
    }
  }

  func bindAggregate(
    _ kind: AggregateKind, _ args: [Expr], _ span: SourceSpan, _ rowScope: Scope
  ) throws(Diagnostic) -> AggregateCall {
    var inner = Collector()
    switch kind {
    case .count:
      try checkArity(kind.rawValue, args, 0, 1, usage: kind.usage, span)
      let arg = try args.first.map { a throws(Diagnostic) in try bind(a, rowScope, &inner) }
      return AggregateCall(kind: .count, argument: arg, fraction: 0, type: .int)
    case .quantile:
      try checkArity(kind.rawValue, args, 2, 2, usage: kind.usage, span)
      let arg = try bind(args[0], rowScope, &inner)
      guard arg.type.isNumeric else { throw .needsNumber(arg, kind.rawValue) }
      let p = try bind(args[1], Scope(schema: Schema([]), mode: .row), &inner)
      guard let fraction = p.constant?.asDouble, (0...1).contains(fraction) else {
        throw .badFraction(at: args[1].span)
      }
      return AggregateCall(kind: kind, argument: arg, fraction: fraction, type: .float)
    case .spark:
      try checkArity(kind.rawValue, args, 1, 2, usage: kind.usage, span)
      let arg = try bind(args[0], rowScope, &inner)
      var call = AggregateCall(
        kind: kind, argument: arg, fraction: 0, type: try aggregateType(kind, arg))
      if args.count == 2 {
        let x = try bind(args[1], rowScope, &inner)
        guard x.type.isNumeric || x.type == .date else { throw .needsNumber(x, "spark's x") }
        call.position = x
      }
      return call
    case .stringAgg:
      try checkArity(kind.rawValue, args, 1, 2, usage: kind.usage, span)
      let arg = try bind(args[0], rowScope, &inner)
      var call = AggregateCall(kind: kind, argument: arg, fraction: 0, type: .text)
      if args.count == 2 {
        let sep = try bind(args[1], Scope(schema: Schema([]), mode: .row), &inner)
        guard case .text(let text)? = sep.constant else {
          throw Diagnostic(
            "string_agg's separator must be a text constant", at: args[1].span,
            hints: ["e.g. string_agg(region, \"; \")"])
        }
        call.separator = text
      }
      return call
    case .corr, .covarSamp, .covarPop, .regrSlope, .regrIntercept, .regrR2:
      try checkArity(kind.rawValue, args, 2, 2, usage: kind.usage, span)
      let y = try bind(args[0], rowScope, &inner)
      let x = try bind(args[1], rowScope, &inner)
      guard y.type.isNumeric || y.isNullLiteral else { throw .needsNumber(y, kind.rawValue) }
      guard x.type.isNumeric || x.isNullLiteral else { throw .needsNumber(x, kind.rawValue) }
      var call = AggregateCall(kind: kind, argument: y, fraction: 0, type: .float)
      call.position = x
      return call
    default:
      try checkArity(kind.rawValue, args, 1, 1, usage: kind.usage, span)
      let arg = try bind(args[0], rowScope, &inner)
      return AggregateCall(
        kind: kind, argument: arg, fraction: 0, type: try aggregateType(kind, arg))
    }
  }

  private func aggregateType(_ kind: AggregateKind, _ arg: BoundExpr) throws(Diagnostic)
    -> DataType
  {
    switch kind {
    case .count, .countDistinct: return .int
    case .min, .max, .first, .last, .mode: return arg.type
    case .stringAgg: return .text
    case .spark:
      guard arg.type.isNumeric else { throw .needsNumber(arg, kind.rawValue) }
      return .text
    case .sum:
      guard arg.type.isNumeric else { throw .needsNumber(arg, kind.rawValue) }
      return arg.type
    case .avg, .median, .quantile, .stddev, .var, .corr, .covarSamp, .covarPop, .regrSlope,
      .regrIntercept, .regrR2:
      guard arg.type.isNumeric else { throw .needsNumber(arg, kind.rawValue) }
      return .float
    }
  }

  private func bindWindow(
    _ name: String, _ window: WindowKind?, _ aggregate: AggregateKind?, _ args: [Expr],
    _ span: SourceSpan, _ scope: Scope
  ) throws(Diagnostic) -> WindowCall {
    let rowScope = Scope(schema: scope.schema, mode: .row)
    var inner = Collector()
    guard let window else {
      let agg = try bindAggregate(aggregate ?? .count, args, span, rowScope)
      if agg.position != nil && agg.kind == .spark {
        throw Diagnostic(
          "spark(y, x) places values by x only inside group", at: span,
          hints: ["in derive, sort by x first and use spark(y)"])
      }
      let function: WindowCall.Function =
        agg.kind == .first ? .firstValue : agg.kind == .last ? .lastValue : .aggregate(agg.kind)
      var call = WindowCall(
        function: function, argument: agg.argument, offset: 0, fraction: agg.fraction,
        type: agg.type)
      call.position = agg.position
      call.separator = agg.separator
      return call
    }
    switch window {
    case .lag, .lead:
      try checkArity(name, args, 1, 2, usage: "\(name)(x[, n])", span)
      let arg = try bind(args[0], rowScope, &inner)
      let n = args.count > 1 ? try constantInt(args[1], what: "the offset of \(name)") : 1
      guard n >= 0 else { throw .expectedConstantInt("a non-negative offset", at: args[1].span) }
      return WindowCall(
        function: .window(window), argument: arg, offset: n, fraction: 0, type: arg.type)
    case .ntile:
      try checkArity(name, args, 1, 1, usage: "ntile(n)", span)
      let k = try constantInt(args[0], what: "the number of tiles")
      guard k >= 1 else {
        throw .expectedConstantInt("a positive number of tiles", at: args[0].span)
      }
      return WindowCall(
        function: .window(window), argument: nil, offset: k, fraction: 0, type: .int)
    case .percentRank, .cumeDist:
      try checkArity(name, args, 0, 0, usage: "\(name)()", span)
      return WindowCall(
        function: .window(window), argument: nil, offset: 0, fraction: 0, type: .float)
    case .rowNumber, .rank, .denseRank:
      try checkArity(name, args, 0, 0, usage: "\(name)()", span)
      return WindowCall(
        function: .window(window), argument: nil, offset: 0, fraction: 0, type: .int)
    case .cumsum:
      try checkArity(name, args, 1, 1, usage: "cumsum(x)", span)
      let arg = try bind(args[0], rowScope, &inner)
      guard arg.type.isNumeric else { throw .needsNumber(arg, name) }
      return WindowCall(
        function: .window(window), argument: arg, offset: 0, fraction: 0, type: arg.type)
    }
  }

  private func bindScalar(
    _ f: ScalarFunction, _ args: [Expr], _ span: SourceSpan, _ scope: Scope, _ c: inout Collector
  ) throws(Diagnostic) -> BoundExpr {
    let (lo, hi) = f.arity
    try checkArity(f.rawValue, args, lo, hi, usage: f.usage, span)
    var bound: [BoundExpr] = []
    for a in args { bound.append(try bind(a, scope, &c)) }
    let (argTypes, result) = try signature(f, bound)
    let cast = zip(bound, argTypes).map { $0.cast(to: $1) }
    return BoundExpr(.function(f, cast), result, span)
  }

  /// The argument types a function takes (after casts) and its result type.
  private func signature(_ f: ScalarFunction, _ a: [BoundExpr]) throws(Diagnostic)
    -> ([DataType], DataType)
  {
    func need(_ i: Int, _ t: DataType) throws(Diagnostic) {
      guard a[i].type == t || a[i].isNullLiteral || (t == .float && a[i].type == .int) else {
        throw .wrongArgumentType(f.rawValue, a[i], expected: t.rawValue)
      }
    }
    func numeric(_ i: Int) throws(Diagnostic) {
      guard a[i].type.isNumeric || a[i].isNullLiteral else { throw .needsNumber(a[i], f.rawValue) }
    }
    switch f {
    case .abs, .floor, .ceil:
      try numeric(0)
      return ([a[0].type], a[0].type)
    case .round:
      try numeric(0)
      if a.count == 2 { try need(1, .int) }
      return (a.count == 2 ? [a[0].type, .int] : [a[0].type], a[0].type)
    case .sqrt, .ln, .exp:
      try numeric(0)
      return ([.float], .float)
    case .pow:
      try numeric(0)
      try numeric(1)
      return ([.float, .float], .float)
    case .lower, .upper, .trim:
      try need(0, .text)
      return ([.text], .text)
    case .length:
      try need(0, .text)
      return ([.text], .int)
    case .startsWith, .endsWith, .contains:
      try need(0, .text)
      try need(1, .text)
      return ([.text, .text], .bool)
    case .replace:
      for i in 0..<3 { try need(i, .text) }
      return ([.text, .text, .text], .text)
    case .splitPart:
      try need(0, .text)
      try need(1, .text)
      try need(2, .int)
      return ([.text, .text, .int], .text)
    case .regexpMatches, .regexpReplace, .regexpExtract:
      for i in a.indices { try need(i, f == .regexpExtract && i == 2 ? .int : .text) }
      if case .text(let pattern)? = a[1].constant,
        case .failure(let e) = TextRegex.compile(pattern)
      {
        throw Diagnostic(
          "not a regular expression: \(e.message)", at: a[1].span, label: "bad pattern",
          hints: ["escape a literal . ( [ with a backslash: \"\\\\.\""])
      }
      let types = a.indices.map { f == .regexpExtract && $0 == 2 ? DataType.int : .text }
      return (types, f == .regexpMatches ? .bool : .text)
    case .substr:
      try need(0, .text)
      for i in 1..<a.count { try need(i, .int) }
      return ([.text] + Array(repeating: .int, count: a.count - 1), .text)
    case .coalesce:
      var t = a.first(where: { !$0.isNullLiteral })?.type ?? .text
      for x in a {
        guard let u = unify(t, x) else { throw .mismatch(a[0], x, "coalesce", at: x.span) }
        t = u
      }
      return (Array(repeating: t, count: a.count), t)
    case .if:
      try need(0, .bool)
      var t = a[1].isNullLiteral ? a[2].type : a[1].type
      guard let u = unify(t, a[2]), unify(u, a[1]) != nil else {
        throw .mismatch(a[1], a[2], "if", at: a[2].span)
      }
      t = u
      return ([.bool, t, t], t)
    case .year, .month, .day:
      try need(0, .date)
      return ([.date], .int)
    case .int: return ([a[0].type], .int)
    case .float: return ([a[0].type], .float)
    case .text: return ([a[0].type], .text)
    case .date:
      guard [.text, .date].contains(a[0].type) || a[0].isNullLiteral else {
        throw .wrongArgumentType(f.rawValue, a[0], expected: "text")
      }
      return ([a[0].type], .date)
    }
  }
}
