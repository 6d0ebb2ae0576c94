internal import Glibc

/// A small blocking HTTP/1.1 client over one POSIX socket, for the simulator and the ingest
/// benchmark: keep-alive, `Content-Length` request bodies, responses with `Content-Length`,
/// chunked encoding or read-to-close, socket timeouts. One instance per thread. A request on
/// a reused connection that the server had closed (idle timeout) is sent again once on a new
/// connection, but only when no byte of its response arrived, so nothing is half-applied.
final class HTTPClient {
    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let endpoint: HTTPEndpoint
    let timeoutSeconds: Double
    private var fd: Int32 = -1
    /// Requests answered on the current connection: a failure on a fresh one is not retried.
    private var servedOnConnection = 0
    private var buffer: [UInt8] = []
    private var readStart = 0
    /// Connections opened so far (tests check reuse).
    private(set) var connectionsOpened = 0

    init(url: String, timeoutSeconds: Double = 30) throws(HTTPClientError) {
        endpoint = try HTTPEndpoint(url: url)
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        servedOnConnection = 0
        buffer.removeAll(keepingCapacity: true)
        readStart = 0
    }

    /// Sends one request and reads its response. `path` starts with `/` and is appended to the
    /// URL's base path.
    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) throws(HTTPClientError) -> Response {
        let head = requestHead(method, path, headers: headers, bodyLength: body?.count)
        for attempt in 0..<2 {
            if fd < 0 { try connect() }
            let reused = servedOnConnection > 0
            do {
                try send(head, body ?? [])
                let response = try readResponse(headOnly: method == "HEAD")
                servedOnConnection += 1
                if response.header("Connection")?.lowercased() == "close" { close() }
                return response
            } catch let error {
                close()
                guard attempt == 0, reused, error.isClosedBeforeResponse else { throw error }
            }
        }
        throw HTTPClientError.closed("the connection closed twice before a response")
    }

    private func requestHead(_ method: String, _ path: String, headers: [(String, String)], bodyLength: Int?) -> [UInt8] {
        var head = "\(method) \(endpoint.basePath)\(path) HTTP/1.1\r\nHost: \(endpoint.hostHeader)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let bodyLength { head += "Content-Length: \(bodyLength)\r\n" }
        head += "\r\n"
        return Array(head.utf8)
    }

    // MARK: socket

    private func connect() throws(HTTPClientError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard rc == 0, let first = list else {
            throw HTTPClientError.resolve("cannot resolve \(endpoint.host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastErrno: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let socketFD = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard socketFD >= 0 else { lastErrno = errno; continue }
            setTimeouts(socketFD)
            var one: Int32 = 1
            setsockopt(socketFD, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(socketFD, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                fd = socketFD
                servedOnConnection = 0
                connectionsOpened += 1
                return
            }
            lastErrno = errno
            Glibc.close(socketFD)
        }
        throw HTTPClientError.connect("cannot connect to \(endpoint.host):\(endpoint.port): \(Self.describe(lastErrno))")
    }

    private func setTimeouts(_ socketFD: Int32) {
        let whole = Int(timeoutSeconds)
        var timeout = timeval(tv_sec: whole, tv_usec: Int((timeoutSeconds - Double(whole)) * 1_000_000))
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketFD, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Head and body in one `sendmsg` where the kernel takes it, without copying them together.
    private func send(_ head: [UInt8], _ body: [UInt8]) throws(HTTPClientError) {
        var sent = 0
        let total = head.count + body.count
        while sent < total {
            let n = head.withUnsafeBytes { h in
                body.withUnsafeBytes { b in
                    var vectors = [iovec](), skip = sent
                    if skip < h.count {
                        vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: h.baseAddress! + skip), iov_len: h.count - skip))
                        skip = 0
                    } else {
                        skip -= h.count
                    }
                    if b.count > skip {
                        vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: b.baseAddress! + skip), iov_len: b.count - skip))
                    }
                    return vectors.withUnsafeMutableBufferPointer { v in
                        var message = msghdr()
                        message.msg_iov = v.baseAddress
                        message.msg_iovlen = v.count
                        return sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
                    }
                }
            }
            if n > 0 { sent += n; continue }
            let code = errno
            if n < 0, code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { throw HTTPClientError.timeout("sending the request took over \(timeoutSeconds) s") }
            throw HTTPClientError.closed("send failed: \(Self.describe(code))", beforeResponse: true)
        }
    }

    /// Reads more bytes into the buffer; false at EOF.
    private func fill() throws(HTTPClientError) -> Bool {
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: 65_536))
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + old, 65_536, 0) }
            if n > 0 {
                buffer.removeLast(65_536 - n)
                return true
            }
            let code = errno
            if n < 0, code == EINTR { continue }
            buffer.removeLast(65_536)
            if n == 0 || code == ECONNRESET { return false }
            if code == EAGAIN || code == EWOULDBLOCK { throw HTTPClientError.timeout("no response within \(timeoutSeconds) s") }
            throw HTTPClientError.closed("recv failed: \(Self.describe(code))")
        }
    }

    // MARK: response

    private func readResponse(headOnly: Bool) throws(HTTPClientError) -> Response {
        // Drop the previous response's bytes; keep any that already belong to this one.
        if readStart > 0 {
            buffer.removeFirst(readStart)
            readStart = 0
        }
        let firstByte = readStart
        var headEnd: Int?
        var searchFrom = readStart
        while headEnd == nil {
            headEnd = Self.find([13, 10, 13, 10], in: buffer, from: max(readStart, searchFrom - 3))
            if headEnd != nil { break }
            guard buffer.count - readStart < 64 * 1024 else { throw HTTPClientError.malformed("response head over 64 KiB") }
            searchFrom = buffer.count
            guard try fill() else {
                throw HTTPClientError.closed("the server closed the connection before a response",
                                             beforeResponse: buffer.count == firstByte)
            }
        }
        let end = headEnd!
        let (status, headers) = try parseHead(buffer[readStart..<end])
        readStart = end + 4
        var response = Response(status: status, headers: headers, body: [])
        if headOnly || status == 204 || status == 304 || (100..<200).contains(status) { return response }
        if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            response.body = try readChunked()
        } else if let length = response.header("Content-Length") {
            guard let count = Int(length.trimmingSpaces), count >= 0 else { throw HTTPClientError.malformed("bad Content-Length '\(length)'") }
            response.body = try readExactly(count)
        } else {
            while try fill() {}
            response.body = Array(buffer[readStart...])
            readStart = buffer.count
            response.headers.append((name: "Connection", value: "close"))
        }
        return response
    }

    private func parseHead(_ bytes: ArraySlice<UInt8>) throws(HTTPClientError) -> (Int, [(name: String, value: String)]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let statusLine = lines.popFirst() else { throw HTTPClientError.malformed("empty response head") }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...599).contains(status) else {
            throw HTTPClientError.malformed("bad status line '\(statusLine.prefix(80))'")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPClientError.malformed("bad header line '\(line.prefix(80))'") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        return (status, headers)
    }

    private func readExactly(_ count: Int) throws(HTTPClientError) -> [UInt8] {
        while buffer.count - readStart < count {
            guard try fill() else { throw HTTPClientError.closed("the connection closed inside a response body") }
        }
        let body = Array(buffer[readStart..<(readStart + count)])
        readStart += count
        return body
    }

    private func readLine() throws(HTTPClientError) -> String {
        while true {
            if let end = Self.find([13, 10], in: buffer, from: readStart) {
                let line = String(decoding: buffer[readStart..<end], as: UTF8.self)
                readStart = end + 2
                return line
            }
            guard buffer.count - readStart < 8192 else { throw HTTPClientError.malformed("chunk line over 8 KiB") }
            guard try fill() else { throw HTTPClientError.closed("the connection closed inside a chunked body") }
        }
    }

    private func readChunked() throws(HTTPClientError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine()
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingSpaces } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw HTTPClientError.malformed("bad chunk size '\(line.prefix(40))'") }
            if size == 0 {
                while try !readLine().isEmpty {}  // trailers
                return body
            }
            body += try readExactly(size)
            guard try readLine().isEmpty else { throw HTTPClientError.malformed("chunk not followed by CRLF") }
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] {
                var match = true
                for k in 1..<needle.count where haystack[i + k] != needle[k] { match = false; break }
                if match { return i }
            }
            i += 1
        }
        return nil
    }

    static func describe(_ code: Int32) -> String { "\(String(cString: strerror(code))) (errno \(code))" }
}

fileprivate extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let c = slice.first, c == " " || c == "\t" { slice.removeFirst() }
        while let c = slice.last, c == " " || c == "\t" { slice.removeLast() }
        return String(slice)
    }
}
