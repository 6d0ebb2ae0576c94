internal import API
public import HTTPServer
internal import SQLite
public import Store

/// The one place where domain errors become problems: never SQL text, never a stack trace.
/// A conformance rather than a middleware layer, so it costs nothing on the request path.
extension StoreError: HTTPResponseError {
    public var problem: ProblemDetails {
        switch self {
        case .notFound(let what):
            ProblemDetails(status: 404, detail: "No such \(what) in this tenant.")
        case .versionMismatch:
            ProblemDetails(status: 412, detail: "If-Match does not name the current version.")
        case .conflict(let detail):
            ProblemDetails(status: 409, detail: detail)
        case .invalid("cursor"):
            ProblemDetails(status: 400, detail: "The request does not match the API contract.",
                           errors: [.init(pointer: "#/query/cursor", detail: "is not a cursor this server gave out")])
        case .invalid(let detail):
            ProblemDetails(status: 422, detail: detail)
        case .gone(let what):
            ProblemDetails(status: 410, detail: "The \(what) points before what retention kept; start again without it.")
        }
    }

    public var responseHeaders: HTTPHeaders {
        if case .versionMismatch(let current) = self { return ["ETag": ETag.format(current)] }
        return [:]
    }
}

/// A UNIQUE violation the store did not anticipate is still the client's conflict (409);
/// every other database error stays a logged 500. Innermost, on protected operations only.
struct ConstraintMapping: APIMiddleware {
    func applies(to operation: OperationInfo) -> Bool { !operation.isPublic }

    func intercept(_ request: HTTPRequest, operation: OperationInfo,
                   next: (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse {
        do {
            return try await next(request)
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw ProblemDetails(status: 409, detail: "The change collides with an existing resource.")
        }
    }
}
