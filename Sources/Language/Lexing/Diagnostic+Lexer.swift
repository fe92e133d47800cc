extension Diagnostic {
  static func strayCharacter(_ c: String, at span: SourceSpan) -> Diagnostic {
    let hint =
      switch c {
      case "&": "write and for logical and: year == 2023 and score > 80"
      case "!": "write not for negation, != for not equal"
      default: "names with other characters are written in backticks: `Nama Daerah`"
      }
    return Diagnostic(
      "unexpected character \"\(c)\"", at: span, label: "not part of the language",
      hints: [hint])
  }

  static func unterminated(_ what: String, at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "unterminated \(what)", at: span, label: "opened here",
      hints: ["close it on the same line"])
  }

  static func badEscape(at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "unknown escape in a string", at: span,
      hints: ["the escapes are \\\" \\' \\\\ \\n \\t"])
  }

  static func integerTooLarge(_ text: String, at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "integer literal \(text) does not fit in 64 bits", at: span,
      hints: [
        "integers run from -9223372036854775808 to 9223372036854775807; write a float (\(text).0) for larger numbers"
      ])
  }

  static func badNumber(_ text: String, at span: SourceSpan) -> Diagnostic {
    Diagnostic("malformed number \(text)", at: span, hints: ["numbers look like 42, 88.26, 1e6"])
  }

  static func badDate(at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      "malformed date literal", at: span, label: "not a date",
      hints: ["dates are written @YYYY-MM-DD, e.g. @2024-11-13, and must exist"])
  }
}
