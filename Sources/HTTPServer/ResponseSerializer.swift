/// Writes a response head and body into a connection's output buffer, so the kernel gets
/// head and body in one write.
enum ResponseSerializer {
    struct Framing {
        var keepAlive: Bool
        var isHEAD: Bool
        var isHTTP11: Bool
        var requestID: String
        /// How a streamed body is delimited; `.none` for a whole body (Content-Length).
        var stream = StreamFraming.none
    }

    enum StreamFraming { case none, chunked, untilClose }

    static func append(_ response: HTTPResponse, framing: Framing, date: [UInt8], to out: inout [UInt8]) {
        let bodyAllowed = !(response.status < 200 || response.status == 204 || response.status == 304)
        out.reserveCapacity(out.count + 160 + response.headers.count * 40 + response.body.count)
        appendStatusLine(response.status, to: &out)
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\n".utf8)
        for field in response.headers where !isServerOwned(field.name) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            appendSanitised(field.value, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        if framing.stream == .chunked {
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        } else if framing.stream == .untilClose {
            // HTTP/1.0 has no chunked encoding: the body ends when the connection does.
        } else if bodyAllowed {
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !framing.keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if !framing.isHTTP11 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "X-Request-Id: ".utf8)
        out.append(contentsOf: framing.requestID.utf8)
        out.append(contentsOf: "\r\n\r\n".utf8)
        if bodyAllowed && !framing.isHEAD && framing.stream == .none {
            out.append(contentsOf: response.body)
        }
    }

    /// The server alone frames messages: a responder's own framing headers would desynchronise them.
    private static func isServerOwned(_ name: String) -> Bool {
        // Cheap first-byte filter: most headers (Content-Type, ETag, ...) are rejected here.
        switch name.utf8.first.map({ $0 | 0x20 }) {
        case UInt8(ascii: "c"), UInt8(ascii: "t"), UInt8(ascii: "d"), UInt8(ascii: "x"): break
        default: return false
        }
        return name.asciiCaseInsensitiveEquals("content-length") || name.asciiCaseInsensitiveEquals("transfer-encoding")
            || name.asciiCaseInsensitiveEquals("connection") || name.asciiCaseInsensitiveEquals("date")
            || name.asciiCaseInsensitiveEquals("x-request-id")
    }

    /// Header injection guard: CR and LF (and other controls) in a value become spaces.
    private static func appendSanitised(_ value: String, to out: inout [UInt8]) {
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) {
            out.append(contentsOf: value.utf8)
            return
        }
        for byte in value.utf8 {
            out.append(byte < 0x20 && byte != 0x09 || byte == 0x7F ? 0x20 : byte)
        }
    }

    /// One chunk of a chunked body: size in hex, CRLF, the bytes, CRLF.
    static func appendChunk(_ chunk: [UInt8], to out: inout [UInt8]) {
        let hex = Array(String(chunk.count, radix: 16).utf8)
        out.reserveCapacity(out.count + hex.count + chunk.count + 4)
        out.append(contentsOf: hex)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: chunk)
        out.append(contentsOf: "\r\n".utf8)
    }

    static func appendStatusLine(_ status: Int, to out: inout [UInt8]) {
        switch status {
        case 200: out.append(contentsOf: "HTTP/1.1 200 OK\r\n".utf8)
        case 404: out.append(contentsOf: "HTTP/1.1 404 Not Found\r\n".utf8)
        default:
            out.append(contentsOf: "HTTP/1.1 ".utf8)
            appendDecimal(status, to: &out)
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: HTTPStatusText.reason(status).utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(truncatingIfNeeded: 0x30 + value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[n] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                v /= 10
                n += 1
            }
            while n > 0 {
                n -= 1
                out.append(d[n])
            }
        }
    }
}
