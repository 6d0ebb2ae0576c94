public import HTTPServer

/// Runs around every routed operation, after routing and before input validation, so it
/// can refuse a request (401/403) before its contents are looked at.
public protocol APIMiddleware: Sendable {
    func intercept(_ request: HTTPRequest, operation: OperationInfo,
                   next: (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse
}
