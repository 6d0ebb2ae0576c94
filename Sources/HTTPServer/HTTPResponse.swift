/// A complete response. The server adds `Date`, `Content-Length`, `Connection` and
/// `X-Request-Id`; a responder sets everything else.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The route template that answered ("/v1/meters/{id}"), for the request log; nil when none matched.
    public var route: String?

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], route: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.route = route
    }

    public static func json(_ status: Int, _ body: [UInt8], route: String? = nil) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body, route: route)
    }
}
