/// Values moved into their groups' places.
enum GroupScatter {
  /// The known values placed group by group in one pass over the rows in order: group `g`'s
  /// known values are `values[offsets[g]..<ends[g]]`, in row order. `ids` holds every
  /// row's group; `offsets` (one more than the groups) where each group's rows begin, as
  /// counted over all its rows.
  static func scatter(_ values: [Double], known: Validity, ids: [Int], offsets: [Int])
    -> (values: [Double], ends: [Int])
  {
    var grouped = [Double](repeating: 0, count: ids.count)
    var ends = Array(offsets.dropLast())
    let n = min(ids.count, values.count)
    grouped.withUnsafeMutableBufferPointer { out in
      ends.withUnsafeMutableBufferPointer { ends in
        values.withUnsafeBufferPointer { v in
          ids.withUnsafeBufferPointer { ids in
            for r in 0..<n where known.isValid(r) {
              let g = ids[r]
              out[ends[g]] = v[r]
              ends[g] += 1
            }
          }
        }
      }
    }
    return (grouped, ends)
  }
}

extension GroupScatter {
  /// `f` of each group's values, `values[offsets[g]..<ends[g]]` (as `scatter` places
  /// them). From `Tuning.splitRows` values on, the groups are split between the cores in
  /// ranges of about as many rows each; every answer is its own group's alone, so the
  /// split changes no bit.
  static func reduce(
    _ values: [Double], offsets: [Int], ends: [Int], _ f: @Sendable (ArraySlice<Double>) -> Double?
  ) -> [Double?] {
    let groups = ends.count
    let rows = offsets.last ?? 0
    let parts = rows >= Tuning.splitRows && groups >= Tuning.cores ? Tuning.cores : 1
    // Share p takes the groups from the first one starting at or past p/parts of the rows.
    var bounds = [0]
    for p in 1..<max(1, parts) {
      let target = p * rows / parts
      var lo = bounds[bounds.count - 1]
      var hi = groups
      while lo < hi {
        let mid = (lo + hi) / 2
        if offsets[mid] < target { lo = mid + 1 } else { hi = mid }
      }
      bounds.append(lo)
    }
    bounds.append(groups)
    let shareBounds = bounds
    let shares = Parallel.map(parts, spread: parts > 1) { p -> [Double?] in
      var out: [Double?] = []
      out.reserveCapacity(shareBounds[p + 1] - shareBounds[p])
      for g in shareBounds[p]..<shareBounds[p + 1] { out.append(f(values[offsets[g]..<ends[g]])) }
      return out
    }
    return Array(shares.joined())
  }
}
