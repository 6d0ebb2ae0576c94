/// Parses one request head from the front of a byte buffer. Resumable: it remembers how far it
/// has searched, so a head trickling in a byte at a time is scanned once, not quadratically.
/// Strict on purpose (RFC 9112): anything ambiguous about framing is refused, because an
/// intermediary may read it differently (request smuggling).
struct HTTPHeadParser {
    enum Result: Equatable {
        case needMore
        /// `consumed` bytes (leading blank lines, request line, fields, final CRLF) belong to the head.
        case complete(consumed: Int)
        case failure(HTTPParseError)
    }

    private(set) var head: HTTPRequestHead?
    // Resume state: how far the search got, where the current line began, where the request line ended.
    private var scanned = 0
    private var skipped = 0
    private var lineStart = -1
    private var requestLineEnd = -1
    let limits: HTTPLimits

    init(limits: HTTPLimits) { self.limits = limits }

    mutating func reset() {
        head = nil
        scanned = 0
        skipped = 0
        lineStart = -1
        requestLineEnd = -1
    }

    mutating func parse(_ buf: UnsafeRawBufferPointer) -> Result {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        // RFC 9112 2.2: ignore empty lines before the request line (clients send stray CRLF after bodies).
        while skipped + 1 < buf.count, buf[skipped] == cr, buf[skipped + 1] == lf, skipped < 64 { skipped += 2 }
        if scanned < skipped { scanned = skipped }
        let start = skipped
        if lineStart < start { lineStart = start }
        var i = scanned
        // Find CRLF CRLF, refusing bare LF / bare CR as we go.
        while i < buf.count {
            let byte = buf[i]
            if byte == lf {
                return .failure(HTTPParseError(400, "Bare LF in the request head; lines must end with CRLF."))
            }
            if byte == cr {
                guard i + 1 < buf.count else { break }
                guard buf[i + 1] == lf else {
                    return .failure(HTTPParseError(400, "Bare CR in the request head."))
                }
                if requestLineEnd < 0 && lineStart == start { requestLineEnd = i }
                if i == lineStart && lineStart != start {
                    // Empty line: the head ends here.
                    scanned = i
                    return finish(buf, start: start, end: i + 2)
                }
                i += 2
                lineStart = i
                continue
            }
            i += 1
        }
        scanned = max(start, i)
        // Not complete yet: enforce limits on what has arrived.
        let requestLineLength = requestLineEnd >= 0 ? requestLineEnd - start : buf.count - start
        if requestLineLength > limits.maxRequestLine {
            return .failure(HTTPParseError(414, "The request line is longer than \(limits.maxRequestLine) bytes."))
        }
        if requestLineEnd >= 0, buf.count - requestLineEnd - 2 > limits.maxHeaderBytes {
            return .failure(HTTPParseError(431, "The header block is larger than \(limits.maxHeaderBytes) bytes."))
        }
        if requestLineEnd < 0, skipped >= 64 {
            return .failure(HTTPParseError(400, "Too many empty lines before the request line."))
        }
        return .needMore
    }

    private mutating func finish(_ buf: UnsafeRawBufferPointer, start: Int, end: Int) -> Result {
        do {
            head = try HTTPHeadParser.parseHead(UnsafeRawBufferPointer(rebasing: buf[start..<(end - 2)]), limits: limits)
            return .complete(consumed: end)
        } catch {
            return .failure(error)
        }
    }
}
