internal import API
internal import HTTPServer
internal import SQLite
internal import FoundationEssentials
internal import Store

/// The one place where domain and database errors become problems: never SQL text, never a
/// stack trace. Outermost middleware, so it sees everything the handlers and the other
/// middleware throw.
struct ErrorMapping: APIMiddleware {
    func intercept(_ request: HTTPRequest, operation: OperationInfo,
                   next: (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse {
        do {
            return try await next(request)
        } catch let error as StoreError {
            throw Self.problem(for: error)
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw ProblemDetails(status: 409, detail: "The change collides with an existing resource.")
        }
    }

    static func problem(for error: StoreError) -> any HTTPResponseError {
        switch error {
        case .notFound(let what):
            return ProblemDetails(status: 404, detail: "No such \(what) in this tenant.")
        case .versionMismatch(let current):
            return HeaderedProblem(ProblemDetails(status: 412, detail: "If-Match does not name the current version."),
                                   headers: ["ETag": ETag.format(current)])
        case .conflict(let detail):
            return ProblemDetails(status: 409, detail: detail)
        case .invalid("cursor"):
            return ProblemDetails(status: 400, detail: "The request does not match the API contract.",
                                  errors: [.init(pointer: "#/query/cursor", detail: "is not a cursor this server gave out")])
        case .invalid(let detail):
            return ProblemDetails(status: 422, detail: detail)
        }
    }
}

/// Strong ETags from row versions: `"7"`.
enum ETag {
    static func format(_ version: Int) -> String { "\"\(version)\"" }

    /// nil: no precondition (`If-Match` absent or `*`). A value that is not one of ours can never
    /// match, so it becomes an impossible version (and the change is refused with 412).
    static func required(_ ifMatch: String?) -> Int? {
        guard let ifMatch else { return nil }
        let trimmed = ifMatch.trimmedSpaces()
        if trimmed == "*" { return nil }
        var text = Substring(trimmed)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        guard text.count >= 3, text.first == "\"", text.last == "\"", let version = Int(text.dropFirst().dropLast()) else {
            return -1
        }
        return version
    }
}
