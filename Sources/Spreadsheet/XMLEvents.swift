import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A workbook part's XML, read by the toolchain's streaming parser (libxml2 underneath):
/// each element's start with its attributes, the text inside it, and its end, by local
/// name (a `x:` prefix, which some producers write, is dropped).
final class XMLEvents: NSObject, XMLParserDelegate {
  /// What to do at an element's start: its local name and attributes.
  var onStart: (String, [String: String]) -> Void = { _, _ in }
  /// What to do at an element's end, with the text gathered since its start when the
  /// element is one of `textElements`.
  var onEnd: (String, String) -> Void = { _, _ in }
  /// Elements whose text is gathered (`v`, `t`, …); other text is ignored.
  let textElements: Set<String>
  private var text = ""
  private var gathering = 0
  private var failure: String?

  init(textElements: Set<String>) {
    self.textElements = textElements
  }

  /// Parses `data`; a part that is not well-formed XML is an error naming the part.
  func run(_ data: Data, part: String) throws(SpreadsheetError) {
    let parser = XMLParser(stream: InputStream(data: data))
    parser.delegate = self
    parser.shouldProcessNamespaces = false
    parser.shouldResolveExternalEntities = false
    if !parser.parse() || failure != nil {
      let line = parser.lineNumber
      let reason = failure ?? parser.parserError.map { "\($0.localizedDescription)" } ?? "bad XML"
      throw .damaged("\(part) is not well-formed XML at line \(line): \(reason)")
    }
  }

  private static func local(_ name: String) -> String {
    guard let colon = name.lastIndex(of: ":") else { return name }
    return String(name[name.index(after: colon)...])
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
  ) {
    let name = Self.local(elementName)
    if textElements.contains(name) {
      gathering += 1
      text = ""
    }
    onStart(name, attributeDict)
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if gathering > 0 { text += string }
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    let name = Self.local(elementName)
    if textElements.contains(name) {
      gathering -= 1
      onEnd(name, text)
      text = ""
    } else {
      onEnd(name, "")
    }
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
    if failure == nil { failure = "\(parseError.localizedDescription)" }
  }
}

/// Why a workbook cannot be read or written.
public enum SpreadsheetError: Error, Equatable, Sendable {
  /// The file is not a workbook, or a part of it is missing or broken.
  case damaged(String)
  /// A sheet asked for by name or number that the workbook does not have.
  case noSheet(String)
  /// A workbook bigger than the memory limit allows.
  case tooBig(String)

  /// The reason, for the user.
  public var reason: String {
    switch self {
    case .damaged(let s), .noSheet(let s), .tooBig(let s): s
    }
  }
}
