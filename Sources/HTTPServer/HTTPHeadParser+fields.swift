/// Request line and header fields, from a head already split off at CRLF CRLF.
extension HTTPHeadParser {
    static func parseHead(_ buf: UnsafeRawBufferPointer, limits: HTTPLimits) throws(HTTPParseError) -> HTTPRequestHead {
        let cr = UInt8(ascii: "\r")
        var lineEnd = 0
        while lineEnd < buf.count && buf[lineEnd] != cr { lineEnd += 1 }
        if lineEnd > limits.maxRequestLine {
            throw HTTPParseError(414, "The request line is longer than \(limits.maxRequestLine) bytes.")
        }
        if buf.count - lineEnd - 2 > limits.maxHeaderBytes {
            throw HTTPParseError(431, "The header block is larger than \(limits.maxHeaderBytes) bytes.")
        }
        var head = try parseRequestLine(UnsafeRawBufferPointer(rebasing: buf[0..<lineEnd]))
        var position = lineEnd + 2
        var fields: [HTTPHeaders.Element] = []
        while position < buf.count {
            var end = position
            while buf[end] != cr { end += 1 }
            if fields.count == limits.maxHeaderCount {
                throw HTTPParseError(431, "More than \(limits.maxHeaderCount) header fields.")
            }
            fields.append(try parseField(UnsafeRawBufferPointer(rebasing: buf[position..<end])))
            position = end + 2
        }
        head.headers = HTTPHeaders(fields)
        try applyFraming(&head)
        return head
    }

    private static func parseRequestLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPRequestHead {
        let sp = UInt8(ascii: " ")
        guard let firstSpace = line.firstIndex(of: sp), firstSpace > 0 else {
            throw HTTPParseError(400, "Malformed request line: expected METHOD SP TARGET SP VERSION.")
        }
        guard let secondSpace = line[(firstSpace + 1)...].firstIndex(of: sp), secondSpace > firstSpace + 1 else {
            throw HTTPParseError(400, "Malformed request line: expected METHOD SP TARGET SP VERSION.")
        }
        let method = line[0..<firstSpace]
        let target = line[(firstSpace + 1)..<secondSpace]
        let version = line[(secondSpace + 1)...]
        guard method.allSatisfy(isTokenByte) else {
            throw HTTPParseError(400, "The method is not a valid token.")
        }
        let isHTTP11: Bool
        if version.elementsEqual("HTTP/1.1".utf8) {
            isHTTP11 = true
        } else if version.elementsEqual("HTTP/1.0".utf8) {
            isHTTP11 = false
        } else if version.count == 8, version.starts(with: "HTTP/".utf8),
                  isDigit(version[version.startIndex + 5]), version[version.startIndex + 6] == UInt8(ascii: "."),
                  isDigit(version[version.startIndex + 7]) {
            throw HTTPParseError(505, "Only HTTP/1.0 and HTTP/1.1 are served.")
        } else {
            throw HTTPParseError(400, "Malformed HTTP version.")
        }
        guard target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTPParseError(400, "The request target contains a space, a control or a non-ASCII byte.")
        }
        let (path, query) = try splitTarget(UnsafeRawBufferPointer(rebasing: target))
        return HTTPRequestHead(
            method: HTTPMethod(rawValue: String(decoding: method, as: UTF8.self)),
            path: path, query: query, isHTTP11: isHTTP11, headers: HTTPHeaders(),
            contentLength: nil, isChunked: false, keepAlive: isHTTP11, expectContinue: false)
    }

    /// origin-form ("/a?b") or absolute-form ("http://host/a?b", RFC 9112 3.2.2: servers must accept it).
    private static func splitTarget(_ target: UnsafeRawBufferPointer) throws(HTTPParseError) -> (String, String?) {
        var from = 0
        if target.first != UInt8(ascii: "/") {
            let lower = String(decoding: target.prefix(8), as: UTF8.self).lowercased()
            let scheme = lower.hasPrefix("http://") ? 7 : lower.hasPrefix("https://") ? 8 : -1
            guard scheme > 0 else {
                throw HTTPParseError(400, "The request target must be an absolute path (origin-form).")
            }
            guard let slash = target[scheme...].firstIndex(of: UInt8(ascii: "/")) else {
                return ("/", nil)
            }
            from = slash
        }
        let rest = target[from...]
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            return (String(decoding: target[from..<question], as: UTF8.self),
                    String(decoding: target[(question + 1)...], as: UTF8.self))
        }
        return (String(decoding: rest, as: UTF8.self), nil)
    }

    private static func parseField(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPHeaders.Element {
        guard let first = line.first else { throw HTTPParseError(400, "Empty header line.") }
        if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            throw HTTPParseError(400, "Obsolete line folding in header fields is not accepted.")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw HTTPParseError(400, "A header field has no colon.")
        }
        let name = line[0..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            throw HTTPParseError(400, "A header field name is not a valid token (no spaces before the colon, ASCII only).")
        }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        // Visible ASCII, space and tab only: NUL, other controls and non-ASCII bytes are refused.
        guard value.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) else {
            throw HTTPParseError(400, "A header field value contains a control character or a non-ASCII byte.")
        }
        return (name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// RFC 9110 tchar.
    @inline(__always) static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x30...0x39: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }
}
