import Testing
import Synchronization
import HTTPServer
import API

/// Chains are built per operation: a middleware that does not apply is never called for it.
@Suite struct MiddlewareChainTests {
    final class ProtectedOnly: APIMiddleware {
        let calls = Mutex<[String]>([])
        func applies(to operation: OperationInfo) -> Bool { !operation.isPublic }
        func intercept(_ request: HTTPRequest, operation: OperationInfo,
                       next: (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse {
            calls.withLock { $0.append(operation.id) }
            return try await next(request)
        }
    }

    @Test func publicOperationsSkipMiddlewareThatDoesNotApply() async throws {
        let middleware = ProtectedOnly()
        let responder = APIResponder(handler: StubHandler(), middleware: [middleware])
        _ = try await responder.respond(to: HTTPRequest(method: .get, path: "/v1/info"))
        _ = try await responder.respond(to: HTTPRequest(method: .get, path: "/healthz"))
        #expect(middleware.calls.withLock { $0 }.isEmpty)
        _ = try await responder.respond(to: HTTPRequest(method: .get, path: "/v1/me"))
        #expect(middleware.calls.withLock { $0 } == ["getMe"])
    }
}
