/// A parsed request head with the framing facts the connection needs.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var query: String?
    public var isHTTP11: Bool
    public var headers: HTTPHeaders
    /// Declared body length; nil when the body is chunked or absent.
    public var contentLength: Int?
    public var isChunked: Bool
    public var keepAlive: Bool
    public var expectContinue: Bool

    public var hasBody: Bool { isChunked || (contentLength ?? 0) > 0 }
}

/// Why a request cannot be served; answered with `status` and a problem, then the connection closes.
public struct HTTPParseError: Error, Equatable, Sendable {
    public var status: Int
    public var detail: String
    public init(_ status: Int, _ detail: String) {
        self.status = status
        self.detail = detail
    }
}

/// The limits the parser and the connection enforce; each is configurable.
public struct HTTPLimits: Sendable {
    /// Longest request line (414 beyond).
    public var maxRequestLine = 8 * 1024
    /// Largest header block after the request line (431 beyond).
    public var maxHeaderBytes = 64 * 1024
    /// Most header fields (431 beyond).
    public var maxHeaderCount = 100
    /// Default largest body; a responder may raise or lower it per route (413 beyond).
    public var maxBodySize = 16 * 1024 * 1024
    /// Longest chunk-size line, extensions included.
    public var maxChunkLine = 1024

    public init() {}
}
