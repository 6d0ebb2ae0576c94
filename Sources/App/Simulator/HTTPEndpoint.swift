/// `http://host[:port][/base]`: where the simulator talks to. Plain HTTP only; put a TLS
/// proxy's plain side or the server's loopback address here.
struct HTTPEndpoint: Sendable, Equatable {
    var host: String
    var port: Int
    /// Without a trailing slash; "" for the root.
    var basePath: String

    /// The Host header: IPv6 literals in brackets, the port when it is not 80.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    init(url: String) throws(HTTPClientError) {
        guard url.hasPrefix("http://") else {
            throw HTTPClientError.invalidURL("'\(url)': only http:// URLs are supported")
        }
        var rest = Substring(url.dropFirst(7))
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        while path.hasSuffix("/") { path.removeLast() }
        var hostPart = rest
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw HTTPClientError.invalidURL("'\(url)': unclosed IPv6 literal") }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw HTTPClientError.invalidURL("'\(url)': junk after the IPv6 literal") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            hostPart = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw HTTPClientError.invalidURL("'\(url)' has no host") }
        var port = 80
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw HTTPClientError.invalidURL("'\(url)': the port must be 1 to 65535")
            }
            port = value
        }
        host = String(hostPart)
        self.port = port
        basePath = path
    }
}

/// Why a request failed, in words a person running `fjern simulate` can act on.
enum HTTPClientError: Error, CustomStringConvertible, Equatable {
    case invalidURL(String)
    case resolve(String)
    case connect(String)
    case timeout(String)
    /// The connection ended; `beforeResponse` when not one byte of the response had arrived
    /// (the only case that is safe to send again).
    case closed(String, beforeResponse: Bool = false)
    case malformed(String)

    var isClosedBeforeResponse: Bool {
        if case .closed(_, true) = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .invalidURL(let m), .resolve(let m), .connect(let m), .timeout(let m): m
        case .closed(let m, _): m
        case .malformed(let m): "malformed response: \(m)"
        }
    }
}
