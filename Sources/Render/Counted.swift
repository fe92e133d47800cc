/// A count with its noun, singular for one: `1 row`, `2 rows`, `1 value in 1 bin`.
public func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
  "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
}
