import Foundation

/// Where `--connect` goes: a PostgreSQL server, the role, the database and how to secure
/// the link. Read from a URL (`postgres://user@host:port/db?sslmode=prefer`) or from
/// libpq's keyword form (`host=… port=… user=… dbname=…`).
///
/// The password is never part of `description`: it is what the user typed, the
/// `PGPASSWORD` variable, or the matching line of `~/.pgpass`, in that order.
public struct ConnectionTarget: Sendable, Equatable, CustomStringConvertible {
  /// How TLS is used (libpq's `sslmode`, the three values pantau knows).
  public enum TLSMode: String, Sendable {
    /// Never.
    case disable
    /// When the server offers it (the default, as in libpq).
    case prefer
    /// Always; the connection fails if the server refuses.
    case require
  }

  public var host = "localhost"
  public var port = 5432
  public var user: String
  public var database: String
  public var password: String?
  public var tls = TLSMode.prefer
  /// libpq's `options`: server settings for the session, e.g. `-c search_path=census`.
  public var options: String?
  /// A Unix socket folder (`host=/var/run/postgresql`), when the host is a path.
  public var socketDirectory: String? {
    host.hasPrefix("/") ? host : nil
  }

  /// The target without its password, as `.tables` and messages show it.
  public var description: String {
    "postgres://\(user)@\(host.hasPrefix("/") ? "[\(host)]" : host):\(port)/\(database)"
  }

  /// Reads a URL or keyword string; `environment` supplies `PGUSER`, `PGPASSWORD`,
  /// `PGHOST`, `PGPORT`, `PGDATABASE` and `HOME` (for `~/.pgpass`) where the text is silent.
  public static func parse(_ text: String, environment: [String: String]) throws(RemoteError)
    -> ConnectionTarget
  {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    var fields: [String: String] = [:]
    if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
      fields = try urlFields(trimmed)
    } else if trimmed.contains("=") {
      fields = try keywordFields(trimmed)
    } else {
      throw RemoteError(
        "cannot read the connection \"\(trimmed)\"",
        hint: "use postgres://USER@HOST:PORT/DATABASE or host=… port=… user=… dbname=…")
    }
    let user = fields["user"] ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
    var target = ConnectionTarget(
      user: user, database: fields["dbname"] ?? environment["PGDATABASE"] ?? user)
    target.host = fields["host"] ?? environment["PGHOST"] ?? "localhost"
    if let p = fields["port"] ?? environment["PGPORT"] {
      guard let n = Int(p), (1...65535).contains(n) else {
        throw RemoteError(
          "the port \"\(p)\" is not a number from 1 to 65535", hint: "e.g. postgres://me@db:5432/x")
      }
      target.port = n
    }
    if let mode = fields["sslmode"] {
      switch mode {
      case "disable": target.tls = .disable
      case "allow", "prefer": target.tls = .prefer
      case "require", "verify-ca", "verify-full": target.tls = .require
      default:
        throw RemoteError(
          "unknown sslmode \"\(mode)\"", hint: "use sslmode=disable, prefer or require")
      }
    }
    target.options = fields["options"]
    target.password =
      fields["password"] ?? environment["PGPASSWORD"]
      ?? PasswordFile.lookup(target, environment: environment)
    return target
  }

  /// `postgres://[user[:password]@][host][:port][/database][?key=value&…]`.
  static func urlFields(_ text: String) throws(RemoteError) -> [String: String] {
    guard let scheme = text.range(of: "://") else { return [:] }
    var rest = text[scheme.upperBound...]
    var fields: [String: String] = [:]
    if let q = rest.firstIndex(of: "?") {
      for pair in rest[rest.index(after: q)...].split(separator: "&") {
        let kv = pair.split(separator: "=", maxSplits: 1)
        guard kv.count == 2 else {
          throw RemoteError(
            "cannot read \"\(pair)\" in the connection URL", hint: "options are key=value")
        }
        fields[decode(kv[0])] = decode(kv[1])
      }
      rest = rest[..<q]
    }
    if let slash = rest.firstIndex(of: "/") {
      let db = decode(rest[rest.index(after: slash)...])
      if !db.isEmpty { fields["dbname"] = db }
      rest = rest[..<slash]
    }
    if let at = rest.lastIndex(of: "@") {
      let credentials = rest[..<at]
      if let colon = credentials.firstIndex(of: ":") {
        fields["user"] = decode(credentials[..<colon])
        fields["password"] = decode(credentials[credentials.index(after: colon)...])
      } else if !credentials.isEmpty {
        fields["user"] = decode(credentials)
      }
      rest = rest[rest.index(after: at)...]
    }
    if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
      fields["port"] = String(rest[rest.index(after: colon)...])
      rest = rest[..<colon]
    }
    let host = decode(rest.trimmingPrefix("[")).trimmingCharacters(in: ["]"])
    if !host.isEmpty { fields["host"] = host }
    return fields
  }

  /// `key=value key='quoted value'`, as libpq reads them.
  static func keywordFields(_ text: String) throws(RemoteError) -> [String: String] {
    var fields: [String: String] = [:]
    var chars = Array(text)[...]
    func skipSpaces() { while chars.first?.isWhitespace == true { chars.removeFirst() } }
    skipSpaces()
    while !chars.isEmpty {
      var key = ""
      while let c = chars.first, c != "=", !c.isWhitespace {
        key.append(c)
        chars.removeFirst()
      }
      skipSpaces()
      guard chars.first == "=" else {
        throw RemoteError("\"\(key)\" has no value", hint: "write \(key)=VALUE")
      }
      chars.removeFirst()
      skipSpaces()
      var value = ""
      if chars.first == "'" {
        chars.removeFirst()
        while let c = chars.first, c != "'" {
          chars.removeFirst()
          if c == "\\", let next = chars.first {
            value.append(next)
            chars.removeFirst()
          } else {
            value.append(c)
          }
        }
        guard chars.first == "'" else {
          throw RemoteError(
            "the value of \(key) has no closing quote", hint: "write \(key)='…'")
        }
        chars.removeFirst()
      } else {
        while let c = chars.first, !c.isWhitespace {
          value.append(c)
          chars.removeFirst()
        }
      }
      fields[key] = value
      skipSpaces()
    }
    return fields
  }

  /// Percent-decoding for URL parts.
  static func decode<S: StringProtocol>(_ s: S) -> String {
    String(s).removingPercentEncoding ?? String(s)
  }
}

/// `~/.pgpass` (or `PGPASSFILE`): lines `host:port:database:user:password`, `*` matching
/// anything, `\:` and `\\` escaping. As in libpq, a file others can read is ignored.
enum PasswordFile {
  static func lookup(_ target: ConnectionTarget, environment: [String: String]) -> String? {
    guard
      let path = environment["PGPASSFILE"]
        ?? environment["HOME"].map({ $0 + "/.pgpass" }),
      let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
      let text = try? String(contentsOfFile: path, encoding: .utf8)
    else { return nil }
    let wanted = [
      target.host, String(target.port), target.database, target.user,
    ]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let parts = fields(line)
      guard parts.count == 5 else { continue }
      let matches = zip(parts, wanted).allSatisfy { pattern, value in
        pattern == "*" || pattern == value
          || (value.hasPrefix("/") && pattern == "localhost")
      }
      if matches { return parts[4] }
    }
    return nil
  }

  static func fields(_ line: Substring) -> [String] {
    var parts: [String] = []
    var current = ""
    var escaped = false
    for c in line {
      if escaped {
        current.append(c)
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else if c == ":" && parts.count < 4 {
        parts.append(current)
        current = ""
      } else {
        current.append(c)
      }
    }
    parts.append(current)
    return parts
  }
}

/// A failure to connect to, or to run on, a server: a message and a hint, never the
/// password.
public struct RemoteError: Error, Sendable, Equatable {
  public var message: String
  public var hint: String?
  /// Set when the statement was cancelled (Ctrl-C), which the shell reports as such.
  public var cancelled = false
  /// The server's SQLSTATE, when the server refused.
  public var sqlState: String?

  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }
}
