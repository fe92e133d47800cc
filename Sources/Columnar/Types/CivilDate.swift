/// Conversions between calendar dates and days since 1970-01-01 (proleptic Gregorian).
public enum CivilDate {
  /// Days since the epoch for a calendar date; `nil` when the date does not exist.
  public static func days(year: Int, month: Int, day: Int) -> Int? {
    guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
      (-9999...9999).contains(year)
    else { return nil }
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The calendar date of a day count.
  public static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// Whether `year` is a leap year.
  public static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Parses exactly `YYYY-MM-DD`.
  public static func parse<S: Collection>(_ bytes: S) -> Int? where S.Element == UInt8 {
    guard bytes.count == 10 else { return nil }
    var digits: [Int] = []
    digits.reserveCapacity(8)
    for (i, b) in bytes.enumerated() {
      if i == 4 || i == 7 {
        guard b == UInt8(ascii: "-") else { return nil }
      } else {
        guard b >= 48 && b <= 57 else { return nil }
        digits.append(Int(b) - 48)
      }
    }
    let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
    let month = digits[4] * 10 + digits[5]
    let day = digits[6] * 10 + digits[7]
    return days(year: year, month: month, day: day)
  }

  /// Parses `YYYY-MM-DD` from text.
  public static func parse(_ text: String) -> Int? { parse(Array(text.utf8)) }

  /// Formats a day count as `YYYY-MM-DD`.
  public static func format(_ days: Int) -> String {
    let (y, m, d) = civil(days)
    let ys = String(abs(y))
    let year = (y < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - ys.count)) + ys
    return year + "-" + (m < 10 ? "0" : "") + String(m) + "-" + (d < 10 ? "0" : "") + String(d)
  }
}
