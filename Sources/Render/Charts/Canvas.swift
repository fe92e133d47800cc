/// A grid of character cells to draw lines and markers on: braille dots (2×4 per cell) in
/// Unicode, one dot per cell in ASCII. Each cell remembers the series that drew it last.
struct Canvas {
  let width: Int
  let height: Int
  let unicode: Bool
  private var dots: [[UInt8]]
  private var owner: [[Int]]
  private var marks: [[Character?]]
  private var asciiLines: [[Character?]]

  init(width: Int, height: Int, unicode: Bool) {
    self.width = width
    self.height = height
    self.unicode = unicode
    dots = Array(repeating: Array(repeating: 0, count: width), count: height)
    owner = Array(repeating: Array(repeating: -1, count: width), count: height)
    marks = Array(repeating: Array(repeating: nil, count: width), count: height)
    asciiLines = marks
  }

  var cellX: Int { unicode ? 2 : 1 }
  var cellY: Int { unicode ? 4 : 1 }
  var dotsX: Int { width * cellX }
  var dotsY: Int { height * cellY }

  private static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

  mutating func plot(_ x: Int, _ y: Int, series: Int, glyph: Character = ".") {
    guard x >= 0, y >= 0, x < dotsX, y < dotsY else { return }
    let (cx, cy) = (x / cellX, y / cellY)
    if unicode {
      dots[cy][cx] |= Canvas.bits[x % 2][y % 4]
    } else {
      asciiLines[cy][cx] = glyph
    }
    owner[cy][cx] = series
  }

  /// A straight line between two dots (Bresenham).
  mutating func line(_ a: (x: Int, y: Int), _ b: (x: Int, y: Int), series: Int) {
    let dx = abs(b.x - a.x)
    let dy = -abs(b.y - a.y)
    let sx = a.x < b.x ? 1 : -1
    let sy = a.y < b.y ? 1 : -1
    let slope = dx == 0 ? 99.0 : Double(-dy) / Double(dx)
    let glyph: Character = slope < 0.5 ? "-" : slope > 2 ? "|" : (sy < 0) == (sx > 0) ? "/" : "\\"
    var err = dx + dy
    var (x, y) = (a.x, a.y)
    while true {
      plot(x, y, series: series, glyph: glyph)
      if x == b.x && y == b.y { break }
      let e2 = 2 * err
      if e2 >= dy {
        err += dy
        x += sx
      }
      if e2 <= dx {
        err += dx
        y += sy
      }
    }
  }

  /// A marker glyph in the cell holding the dot.
  mutating func mark(_ p: (x: Int, y: Int), _ glyph: Character, series: Int) {
    let (cx, cy) = (min(width - 1, p.x / cellX), min(height - 1, p.y / cellY))
    marks[cy][cx] = glyph
    owner[cy][cx] = series
  }

  /// The rows as text.
  func rows(color: Bool) -> [String] {
    (0..<height).map { r in
      var s = ""
      for c in 0..<width {
        let ch: Character
        if let m = marks[r][c] {
          ch = m
        } else if unicode {
          ch = dots[r][c] == 0 ? " " : Character(Unicode.Scalar(0x2800 + UInt32(dots[r][c]))!)
        } else {
          ch = asciiLines[r][c] ?? " "
        }
        s += ch == " " ? " " : ChartText.paint(String(ch), max(0, owner[r][c]), color)
      }
      return s.replacing(/\s+$/, with: "")
    }
  }
}
