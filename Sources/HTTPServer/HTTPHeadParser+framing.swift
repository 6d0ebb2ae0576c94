/// Body framing, persistence and expectations (RFC 9112 6 and 9, RFC 9110 10.1.1).
extension HTTPHeadParser {
    static func applyFraming(_ head: inout HTTPRequestHead) throws(HTTPParseError) {
        var contentLength: Int?
        var transferEncoding: [String] = []
        var hosts = 0
        var connectionTokens: [String] = []
        var expect: String?
        for field in head.headers {
            let name = field.name
            // Only five names matter for framing; their lengths differ, so most fields are
            // dismissed by a length check instead of a string comparison.
            switch name.utf8.count {
            case 4, 6, 10, 14, 17: break
            default: continue
            }
            if name.asciiCaseInsensitiveEquals("content-length") {
                guard contentLength == nil else {
                    throw HTTPParseError(400, "More than one Content-Length header field.")
                }
                contentLength = try parseContentLength(field.value)
            } else if name.asciiCaseInsensitiveEquals("transfer-encoding") {
                transferEncoding += tokens(field.value)
            } else if name.asciiCaseInsensitiveEquals("host") {
                hosts += 1
            } else if name.asciiCaseInsensitiveEquals("connection") {
                connectionTokens += tokens(field.value)
            } else if name.asciiCaseInsensitiveEquals("expect") {
                guard expect == nil else { throw HTTPParseError(400, "More than one Expect header field.") }
                expect = field.value.lowercased()
            }
        }
        if head.isHTTP11 && hosts == 0 { throw HTTPParseError(400, "HTTP/1.1 requests must carry a Host header field.") }
        if hosts > 1 { throw HTTPParseError(400, "More than one Host header field.") }
        if !transferEncoding.isEmpty {
            guard contentLength == nil else {
                throw HTTPParseError(400, "Content-Length and Transfer-Encoding together are refused (request smuggling).")
            }
            guard head.isHTTP11 else {
                throw HTTPParseError(400, "Transfer-Encoding is not allowed in HTTP/1.0.")
            }
            guard transferEncoding == ["chunked"] else {
                throw HTTPParseError(501, "Only the chunked transfer coding is supported.")
            }
            head.isChunked = true
        }
        head.contentLength = contentLength
        if connectionTokens.contains("close") {
            head.keepAlive = false
        } else if !head.isHTTP11 {
            head.keepAlive = connectionTokens.contains("keep-alive")
        }
        if let expect {
            guard expect == "100-continue" else {
                throw HTTPParseError(417, "Only 'Expect: 100-continue' is supported.")
            }
            head.expectContinue = head.isHTTP11
        }
    }

    /// 1*DIGIT and nothing else: no sign, no list ("5, 5"), no spaces, no overflow.
    static func parseContentLength(_ value: String) throws(HTTPParseError) -> Int {
        guard !value.isEmpty, value.utf8.allSatisfy(isDigit) else {
            throw HTTPParseError(400, "Content-Length must be a single non-negative decimal number.")
        }
        guard value.utf8.count <= 18, let length = Int(value) else {
            throw HTTPParseError(400, "Content-Length is too large to be a valid length.")
        }
        return length
    }

    private static func tokens(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
