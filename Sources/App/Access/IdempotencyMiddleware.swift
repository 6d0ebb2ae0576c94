internal import API
internal import HTTPServer
internal import Crypto
internal import Store

/// `Idempotency-Key` on POST: the first answer is stored and replayed for a retry with the same
/// key and request; the same key with another request is 422. Runs inside AuthMiddleware, so
/// keys are scoped to the tenant and the token that sent them.
struct IdempotencyMiddleware: APIMiddleware {
    let store: Store
    /// Operations whose answers must not be stored: a token's secret (or a share code) is shown
    /// once, never replayed, and never kept in clear text.
    static let excluded: Set<String> = ["createToken", "createCollectionUnitToken", "createShareCode"]

    func applies(to operation: OperationInfo) -> Bool {
        operation.method == .post && !operation.isPublic && !Self.excluded.contains(operation.id)
    }

    func intercept(_ request: HTTPRequest, operation: OperationInfo,
                   next: (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse {
        guard let key = request.headers["Idempotency-Key"], !key.isEmpty, key.utf8.count <= 200,
              let context = RequestContext.current else {
            return try await next(request)
        }
        var hasher = SHA256.Hasher()
        hasher.update(Array("\(request.method.rawValue) \(request.path)?\(request.query ?? "")\n".utf8))
        hasher.update(request.body)
        let requestHash = hasher.finalize()
        let token = context.credential.token.id
        switch try await store.claimIdempotency(tenant: context.tenant, token: token, key: key, requestHash: requestHash) {
        case .replay(let stored):
            var headers = HTTPHeaders()
            for line in stored.headers.split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.add(String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst()))
            }
            headers.add("Idempotent-Replayed", "true")
            return HTTPResponse(status: stored.status, headers: headers, body: stored.body, route: operation.pathTemplate)
        case .mismatch:
            throw ProblemDetails(status: 422, detail: "This Idempotency-Key was used with another request.")
        case .inProgress:
            throw ProblemDetails(status: 409, detail: "A request with this Idempotency-Key is still being processed.")
        case .claimed:
            let response: HTTPResponse
            do {
                response = try await next(request)
            } catch let error as any HTTPResponseError where error.problem.status < 500 {
                // A refusal is an answer too: store it, so a retry gets the same one.
                let problem = error.problem.response(headers: error.responseHeaders)
                try await complete(problem, context: context, key: key, hash: requestHash)
                throw error
            } catch {
                try? await store.releaseIdempotency(tenant: context.tenant, token: token, key: key)
                throw error
            }
            if response.status >= 500 {
                try await store.releaseIdempotency(tenant: context.tenant, token: token, key: key)
            } else {
                try await complete(response, context: context, key: key, hash: requestHash)
            }
            return response
        }
    }

    private func complete(_ response: HTTPResponse, context: RequestContext, key: String, hash: [UInt8]) async throws {
        let headers = response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        try await store.completeIdempotency(tenant: context.tenant, token: context.credential.token.id, key: key,
                                            response: StoredResponse(requestHash: hash, status: response.status,
                                                                     headers: headers, body: response.body))
    }
}
