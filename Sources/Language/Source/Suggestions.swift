/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
  /// The candidate closest to `name`, if it is close enough to be a likely typo.
  public static func closest(to name: String, among candidates: [String]) -> String? {
    let lower = name.lowercased()
    var best: (String, Int)?
    for c in candidates {
      let d = distance(lower, c.lowercased())
      if best == nil || d < best!.1 { best = (c, d) }
    }
    guard let (candidate, d) = best else { return nil }
    let limit = max(1, min(3, name.count / 3 + 1))
    return d <= limit ? candidate : nil
  }

  /// Levenshtein distance between two strings (characters).
  public static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a)
    let y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    var cur = prev
    for i in 1...x.count {
      cur[0] = i
      for j in 1...y.count {
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
      }
      swap(&prev, &cur)
    }
    return prev[y.count]
  }
}
