/// A complete response, or a head and a streamed body. The server adds `Date`,
/// `Content-Length` (or `Transfer-Encoding`), `Connection` and `X-Request-Id`; a responder
/// sets everything else.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The route template that answered ("/v1/meters/{id}"), for the request log; nil when none matched.
    public var route: String?
    /// When set, the body is streamed from it (chunked) and `body` is ignored; the connection
    /// closes when the stream ends. Beyond `HTTPServerConfiguration.maxStreams` open streams
    /// the server answers 503 instead.
    public var stream: (any HTTPBodyStream)?

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], route: String? = nil,
                stream: (any HTTPBodyStream)? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.route = route
        self.stream = stream
    }

    public static func json(_ status: Int, _ body: [UInt8], route: String? = nil) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body, route: route)
    }
}
