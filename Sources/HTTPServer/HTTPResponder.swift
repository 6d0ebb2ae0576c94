/// The one protocol a server needs from the application.
public protocol HTTPResponder: Sendable {
    /// Answers one request. A thrown `HTTPResponseError` is rendered as its problem;
    /// any other error becomes a 500 problem carrying only the request id.
    func respond(to request: HTTPRequest) async throws -> HTTPResponse

    /// The largest body this method and path may send, asked once the head is read so an
    /// oversized upload is refused (413) before it is received. nil: the server's default.
    func maxBodySize(method: HTTPMethod, path: String) -> Int?
}

extension HTTPResponder {
    public func maxBodySize(method: HTTPMethod, path: String) -> Int? { nil }
}
