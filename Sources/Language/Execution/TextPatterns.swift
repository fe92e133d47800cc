import Columnar
import Synchronization

/// SQL's `LIKE` pattern: `%` any run of characters (none too), `_` exactly one character,
/// every other character itself; there is no escape character. `ilike` compares the
/// lowercased text with the lowercased pattern.
struct LikePattern {
  private enum Piece: Equatable {
    case char(Character)
    case one
    case any
  }

  private let pieces: [Piece]
  let ignoringCase: Bool

  init(_ pattern: String, ignoringCase: Bool) {
    self.ignoringCase = ignoringCase
    var out: [Piece] = []
    for c in ignoringCase ? pattern.lowercased() : pattern {
      switch c {
      case "%": if out.last != .any { out.append(.any) }
      case "_": out.append(.one)
      default: out.append(.char(c))
      }
    }
    pieces = out
  }

  /// Whether all of `text` matches. Greedy with one backtrack point per `%`, so the time is
  /// at most the product of the lengths, and linear for the usual `abc%`, `%abc%`.
  func matches(_ text: String) -> Bool {
    let s = Array(ignoringCase ? text.lowercased() : text)
    var i = 0
    var p = 0
    var star: Int?
    var resume = 0
    while i < s.count {
      if p < pieces.count, pieces[p] == .one || pieces[p] == .char(s[i]) {
        i += 1
        p += 1
      } else if p < pieces.count, pieces[p] == .any {
        star = p
        resume = i
        p += 1
      } else if let at = star {
        p = at + 1
        resume += 1
        i = resume
      } else {
        return false
      }
    }
    while p < pieces.count && pieces[p] == .any { p += 1 }
    return p == pieces.count
  }
}

/// Regular expressions for `regexp_matches`, `regexp_replace` and `regexp_extract`
/// (Swift's Regex syntax, which is Perl's and RE2's for everything common), each pattern
/// compiled once per process.
enum TextRegex {
  /// Compiled patterns; Regex is not Sendable, so the store is guarded by hand.
  private final class Store: @unchecked Sendable {
    let lock = Mutex(0)
    var entries: [String: Regex<AnyRegexOutput>] = [:]
  }
  private static let store = Store()

  /// The compiled pattern, or the reason it is not one.
  static func compile(_ pattern: String, ignoringCase: Bool = false) -> Result<
    Regex<AnyRegexOutput>, RegexSyntaxError
  > {
    let key = (ignoringCase ? "i:" : "-:") + pattern
    if let known = store.lock.withLock({ _ in store.entries[key] }) { return .success(known) }
    do {
      var regex = try Regex(pattern)
      if ignoringCase { regex = regex.ignoresCase() }
      let compiled = regex
      store.lock.withLock { _ in
        if store.entries.count > 256 { store.entries.removeAll() }
        store.entries[key] = compiled
      }
      return .success(compiled)
    } catch {
      return .failure(RegexSyntaxError(message: "\(error)"))
    }
  }

  /// `options` letters: `i` ignores case, `g` (replace only) replaces every match.
  static func flags(_ options: String) -> (ignoringCase: Bool, global: Bool) {
    (options.contains("i"), options.contains("g"))
  }

  static func matches(_ s: String, _ pattern: String, options: String = "") -> Bool? {
    guard case .success(let r) = compile(pattern, ignoringCase: flags(options).ignoringCase)
    else { return nil }
    return s.contains(r)
  }

  /// The first match's group `group` (0: the whole match), "" when there is no match or the
  /// group did not take part.
  static func extract(_ s: String, _ pattern: String, group: Int) -> String? {
    guard case .success(let r) = compile(pattern) else { return nil }
    guard let m = s.firstMatch(of: r) else { return "" }
    guard group >= 0, group < m.output.count else { return "" }
    return m.output[group].substring.map(String.init) ?? ""
  }

  /// `s` with the first match (every match with `g`) replaced by `replacement`, in which
  /// `\1`…`\9` stand for groups and `\0` for the whole match.
  static func replace(_ s: String, _ pattern: String, _ replacement: String, options: String)
    -> String?
  {
    let (ignoringCase, global) = flags(options)
    guard case .success(let r) = compile(pattern, ignoringCase: ignoringCase) else { return nil }
    func expand(_ m: Regex<AnyRegexOutput>.Match) -> String {
      var out = ""
      var chars = replacement.makeIterator()
      while let c = chars.next() {
        guard c == "\\" else {
          out.append(c)
          continue
        }
        guard let d = chars.next() else {
          out.append(c)
          break
        }
        if let k = d.wholeNumberValue, k < m.output.count {
          out += m.output[k].substring.map(String.init) ?? ""
        } else {
          out.append(d)
        }
      }
      return out
    }
    if global { return s.replacing(r, with: expand) }
    return s.replacing(r, maxReplacements: 1, with: expand)
  }
}

/// A pattern that is not a regular expression, with the parser's reason.
struct RegexSyntaxError: Error {
  var message: String
}
