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

/// Zstandard streams, by libzstd: a `.zst` file is read as the file it holds.
enum Zstd {
  /// Whether the bytes start with a zstd frame's magic number.
  static func isZstd(_ bytes: [UInt8]) -> Bool {
    bytes.count > 4 && bytes[0] == 0x28 && bytes[1] == 0xB5 && bytes[2] == 0x2F
      && bytes[3] == 0xFD
  }

  /// The decompressed bytes of every frame.
  /// - Throws: `EngineError.malformed` when the data is damaged, `.limit` past `byteLimit`.
  static func decompress(_ input: [UInt8], path: String, byteLimit: Int) throws(EngineError)
    -> [UInt8]
  {
    guard let stream = ZSTD_createDStream() else {
      throw .malformed(path: path, line: 0, reason: "zstd could not start")
    }
    defer { ZSTD_freeDStream(stream) }
    var out: [UInt8] = []
    out.reserveCapacity(input.count * 4)
    var chunk = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
    var last = 0
    input.withUnsafeBufferPointer { inp in
      var inBuffer = ZSTD_inBuffer(src: inp.baseAddress, size: inp.count, pos: 0)
      while inBuffer.pos < inBuffer.size && out.count <= byteLimit {
        chunk.withUnsafeMutableBufferPointer { buf in
          var outBuffer = ZSTD_outBuffer(dst: buf.baseAddress, size: buf.count, pos: 0)
          last = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
          out.append(contentsOf: buf[0..<outBuffer.pos])
        }
        if ZSTD_isError(last) != 0 { break }
      }
    }
    if out.count > byteLimit {
      throw .limit(reason: "\"\(path)\" unpacks to more than the memory limit allows")
    }
    if ZSTD_isError(last) != 0 {
      let name = String(cString: ZSTD_getErrorName(last))
      throw .malformed(path: path, line: 0, reason: "the zstd data is damaged (\(name))")
    }
    if last != 0 {
      throw .malformed(path: path, line: 0, reason: "the zstd data is cut short")
    }
    return out
  }
}
