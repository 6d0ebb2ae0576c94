/// Incremental decoder of a chunked request body (RFC 9112 7.1). Trailer fields are read
/// within the header limit and dropped: nothing in this server uses them.
struct ChunkedDecoder {
    enum Result: Equatable {
        /// Everything given was used; more bytes are needed.
        case needMore
        /// The body ended after `consumed` bytes of the given buffer.
        case done(consumed: Int)
        case failure(HTTPParseError)
    }

    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
    }

    private var state = State.size
    private var line: [UInt8] = []
    private var trailerBytes = 0
    let limits: HTTPLimits
    let maxBody: Int

    init(limits: HTTPLimits, maxBody: Int) {
        self.limits = limits
        self.maxBody = maxBody
    }

    /// Appends decoded bytes to `body`. Call with each newly received slice.
    mutating func decode(_ buf: UnsafeRawBufferPointer, into body: inout [UInt8]) -> Result {
        var i = 0
        while i < buf.count {
            switch state {
            case .size:
                let byte = buf[i]
                i += 1
                if byte == UInt8(ascii: "\n") {
                    guard line.last == UInt8(ascii: "\r") else { return .failure(HTTPParseError(400, "Bare LF in a chunk-size line.")) }
                    line.removeLast()
                    switch parseSize() {
                    case .failure(let error): return .failure(error)
                    case .success(0): state = .trailers
                    case .success(let size):
                        guard body.count + size <= maxBody else {
                            return .failure(HTTPParseError(413, "The request body is larger than \(maxBody) bytes."))
                        }
                        state = .data(remaining: size)
                    }
                    line.removeAll(keepingCapacity: true)
                } else {
                    line.append(byte)
                    if line.count > limits.maxChunkLine {
                        return .failure(HTTPParseError(400, "A chunk-size line is longer than \(limits.maxChunkLine) bytes."))
                    }
                }
            case .data(let remaining):
                let n = min(remaining, buf.count - i)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i..<(i + n)]))
                i += n
                state = remaining == n ? .dataEnd : .data(remaining: remaining - n)
            case .dataEnd:
                line.append(buf[i])
                i += 1
                if line.count == 2 {
                    guard line == [0x0D, 0x0A] else { return .failure(HTTPParseError(400, "A chunk is not followed by CRLF.")) }
                    line.removeAll(keepingCapacity: true)
                    state = .size
                }
            case .trailers:
                let byte = buf[i]
                i += 1
                trailerBytes += 1
                if trailerBytes > limits.maxHeaderBytes {
                    return .failure(HTTPParseError(431, "The trailer section is larger than \(limits.maxHeaderBytes) bytes."))
                }
                if byte == UInt8(ascii: "\n") {
                    guard line.last == UInt8(ascii: "\r") else { return .failure(HTTPParseError(400, "Bare LF in the trailer section.")) }
                    if line.count == 1 { return .done(consumed: i) }
                    line.removeAll(keepingCapacity: true)
                } else {
                    if byte == 0 { return .failure(HTTPParseError(400, "NUL in the trailer section.")) }
                    line.append(byte)
                }
            }
        }
        return .needMore
    }

    /// chunk-size [ chunk-ext ]: hex digits, then optional ";ext" (ignored), with optional
    /// whitespace before the ";" only.
    private func parseSize() -> Swift.Result<Int, HTTPParseError> {
        var size = 0
        var digits = 0
        var index = 0
        while index < line.count, let value = hexValue(line[index]) {
            guard digits < 15 else { return .failure(HTTPParseError(400, "A chunk size is too large.")) }
            size = size << 4 | value
            digits += 1
            index += 1
        }
        guard digits > 0 else { return .failure(HTTPParseError(400, "Invalid chunk size.")) }
        while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        if index < line.count {
            guard line[index] == UInt8(ascii: ";") else { return .failure(HTTPParseError(400, "Invalid chunk size.")) }
            guard line[index...].allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) else {
                return .failure(HTTPParseError(400, "Invalid chunk extension."))
            }
        }
        return .success(size)
    }

    private func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b - 0x30)
        case 0x41...0x46: Int(b - 0x41 + 10)
        case 0x61...0x66: Int(b - 0x61 + 10)
        default: nil
        }
    }
}
