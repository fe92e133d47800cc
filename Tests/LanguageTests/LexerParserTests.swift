import Columnar
import Testing

@testable import Language

struct LexerTests {
  func kinds(_ text: String) -> [TokenKind] {
    var lexer = Lexer(SourceText(name: "t", text: text))
    return lexer.tokenize().map(\.kind)
  }

  @Test func literalsAndOperators() {
    #expect(
      kinds("1_000 88.26 1e6 'a\\'b' \"x\\n\" @2024-11-13 $year true")
        == [
          .int(1000), .float(88.26), .float(1e6), .string("a'b"), .string("x\n"),
          .date(CivilDate.parse("2024-11-13")!), .parameter("year"), .identifier("true"), .end,
          .eof,
        ])
    #expect(
      kinds("a == b != c <= d >= e ~ f .. g").filter {
        if case .identifier = $0 { false } else { true }
      }
        == [.equal, .notEqual, .lessEqual, .greaterEqual, .tilde, .range, .end, .eof])
  }

  @Test func newlinesEndStatementsExceptInsideOrBeforeAPipe() {
    #expect(kinds("t\n| take 1\n# c\nt").filter { $0 == .end }.count == 2)
    #expect(kinds("t |\n take 1").filter { $0 == .end }.count == 1)
    #expect(kinds("t | select a,\n b").filter { $0 == .end }.count == 1)
    #expect(kinds("(t\n| take 1\n)").filter { $0 == .end }.count == 1)
    #expect(kinds("t; u").filter { $0 == .end }.count == 2)
  }

  @Test func spansAreByteOffsets() {
    var lexer = Lexer(SourceText(name: "t", text: "t | filter `Daérah` > 1"))
    let tokens = lexer.tokenize()
    #expect(tokens.count == 8)
    #expect(tokens[3].kind == .quotedIdentifier("Daérah"))
    #expect(tokens[3].span == SourceSpan(11, 20))
    #expect(tokens[5].span == SourceSpan(23, 24))
  }

  @Test func dotCommandAtStatementStart() {
    #expect(kinds(".mode csv\nt") == [.dotCommand("mode csv"), .end, .identifier("t"), .end, .eof])
  }

  @Test func errorsBecomeInvalidTokensAndLexingGoesOn() {
    let k = kinds("t | filter a == \"open\nt")
    #expect(k.contains { if case .invalid = $0 { true } else { false } })
    #expect(k.suffix(3) == [.identifier("t"), .end, .eof])
  }

  @Test func continuation() {
    #expect(Lexer.needsContinuation("t |"))
    #expect(Lexer.needsContinuation("t | select a,"))
    #expect(Lexer.needsContinuation("t | join (u"))
    #expect(!Lexer.needsContinuation("t | take 1"))
    #expect(!Lexer.needsContinuation(".help"))
  }
}

struct ParserTests {
  func sexp(_ text: String) throws -> String {
    try Parser.parse(SourceText(name: "t", text: text)).map(ASTPrinter.print).joined(
      separator: "\n")
  }

  @Test(arguments: [
    ("t | filter a > 1 and not b or c", "(pipeline t (filter (or (and (> a 1) (not b)) c)))"),
    ("t | derive x = -a * (b + 2) % 3", "(pipeline t (derive (= x (% (* (- a) (+ b 2)) 3))))"),
    (
      "t | filter y in (1, 2) and z in 1..5",
      "(pipeline t (filter (and (in y (1 2)) (in z (.. 1 5)))))"
    ),
    ("t | filter y not in (1)", "(pipeline t (filter (not-in y (1))))"),
    (
      "t | group a, b (n = count(), s = sum(x))",
      "(pipeline t (group ((= a a) (= b b))  ((= n (count)) (= s (sum x)))))"
    ),
    ("t | group (n = count())", "(pipeline t (group ()  ((= n (count)))))"),
    ("t | sort a desc, b", "(pipeline t (sort (desc a) b))"),
    ("let u = from \"x.csv\" | take 3", "(let u (pipeline (file \"x.csv\") (take 3)))"),
    (
      "t | join left (u | take 1) on a == b and c",
      "(pipeline t (join left (pipeline u (take 1)) (== a b) (== c c)))"
    ),
    ("t | rank s asc by g as r", "(pipeline t (rank asc s (by g) (as r)))"),
    (
      "t | derive d = s - lag(s) by r order y desc",
      "(pipeline t (derive (= d (- s (lag s))) (by r) (order (desc y))))"
    ),
    (
      "t | pivot k v avg | distinct | describe",
      "(pipeline t (pivot k v avg) (distinct) (describe))"
    ),
    (
      "t | filter r ~ \"moj\" | select r, x = $p",
      "(pipeline t (filter (~ r \"moj\")) (select (= r r) (= x $p)))"
    ),
    ("t | trend year score by region", "(pipeline t (trend year score (by region)))"),
  ])
  func printsTheTree(_ input: String, _ expected: String) throws {
    #expect(try sexp(input) == expected)
  }

  @Test func recoversAtTheNextStatement() {
    var parser = Parser(SourceText(name: "t", text: "t | bogus\nt | take 1\nt | filter\n"))
    var results: [Bool] = []
    while let r = parser.nextStatement() {
      if case .success = r { results.append(true) } else { results.append(false) }
    }
    #expect(results == [false, true, false])
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    let text =
      "t | filter " + String(repeating: "(", count: 10_000) + "1"
      + String(repeating: ")", count: 10_000)
    #expect(throws: Diagnostic.self) { try Parser.parse(SourceText(name: "t", text: text)) }
    let nots = "t | filter " + String(repeating: "not ", count: 10_000) + "true"
    #expect(throws: Diagnostic.self) { try Parser.parse(SourceText(name: "t", text: nots)) }
  }
}
