/// A complete request as handed to a responder: the head plus the whole body, already
/// bounded by the server's limits.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The path part of the request target, still percent-encoded, always starting with "/".
    public var path: String
    /// The query part after "?", still percent-encoded; nil when the target has no "?".
    public var query: String?
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The id echoed in `X-Request-Id`: the client's when it sent a sane one, else generated.
    public var requestID: String
    /// "address:port" of the peer.
    public var remoteAddress: String

    public init(method: HTTPMethod, path: String, query: String? = nil, headers: HTTPHeaders = [:],
                body: [UInt8] = [], requestID: String = "test", remoteAddress: String = "127.0.0.1:0") {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }
}
