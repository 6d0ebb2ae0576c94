public import HTTPServer

/// Runs around every routed operation, after routing and before input validation, so it
/// can refuse a request (401/403) before its contents are looked at.
public protocol APIMiddleware: Sendable {
    func intercept(_ request: HTTPRequest, operation: OperationInfo,
                   next: (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse

    /// Whether it runs for `operation` at all. Asked once per operation when the responder is
    /// built, so an operation's chain holds only the middleware that concerns it.
    func applies(to operation: OperationInfo) -> Bool
}

extension APIMiddleware {
    public func applies(to operation: OperationInfo) -> Bool { true }
}
