/// Values moved into their groups' places.
public enum GroupScatter {
  /// The known values placed group by group in one pass over the rows in order: group `g`'s
  /// known values are `values[offsets[g]..<ends[g]]`, in row order. `ids` holds every
  /// row's group; `offsets` (one more than the groups) where each group's rows begin, as
  /// counted over all its rows.
  public static func scatter(_ values: [Double], known: Validity, ids: [Int], offsets: [Int])
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
