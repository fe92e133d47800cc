import CCompression

/// gzip (and zlib) streams, by zlib: a `.gz` file is read as the file it holds.
enum Gzip {
  /// Whether the bytes start with gzip's magic number.
  static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count > 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  }

  /// The inflated bytes of every member of a gzip file.
  /// - Throws: `EngineError.malformed` when the stream is damaged, `.limit` past `byteLimit`.
  static func inflate(_ input: [UInt8], path: String, byteLimit: Int) throws(EngineError)
    -> [UInt8]
  {
    var out: [UInt8] = []
    out.reserveCapacity(input.count * 4)
    var chunk = [UInt8](repeating: 0, count: 1 << 18)
    var offset = 0
    while offset < input.count {
      var stream = z_stream()
      guard pantau_inflate_init(&stream) == Z_OK else {
        throw .malformed(path: path, line: 0, reason: "zlib could not start")
      }
      defer { inflateEnd(&stream) }
      var status: Int32 = Z_OK
      var consumed = 0
      input.withUnsafeBufferPointer { inp in
        stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress! + offset)
        stream.avail_in = UInt32(inp.count - offset)
        repeat {
          chunk.withUnsafeMutableBufferPointer { buf in
            stream.next_out = buf.baseAddress
            stream.avail_out = UInt32(buf.count)
            status = CCompression.inflate(&stream, Z_NO_FLUSH)
            let produced = buf.count - Int(stream.avail_out)
            out.append(contentsOf: buf[0..<produced])
          }
        } while status == Z_OK && out.count <= byteLimit
        consumed = inp.count - offset - Int(stream.avail_in)
      }
      if out.count > byteLimit {
        throw .limit(reason: "\"\(path)\" unpacks to more than the memory limit allows")
      }
      guard status == Z_STREAM_END else {
        throw .malformed(
          path: path, line: 0,
          reason: "the gzip data is damaged or cut short (zlib status \(status))")
      }
      offset += consumed
      // Concatenated members (as `cat a.gz b.gz` makes) are read one after another.
      while offset < input.count && input[offset] == 0 { offset += 1 }
      if offset + 1 < input.count && !(input[offset] == 0x1F && input[offset + 1] == 0x8B) { break }
    }
    return out
  }
}
