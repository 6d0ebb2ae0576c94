internal import API
internal import HTTPServer
internal import Crypto
internal import FoundationEssentials
internal import Store
internal import Synchronization

/// Authentication and authorisation for every operation that is not public: the bearer token
/// names the tenant and the role, the operation's `x-permission` names what it needs. Because
/// this runs for every routed operation, no handler can forget the check.
final class AuthMiddleware: APIMiddleware {
    let store: Store
    let throttle: AuthThrottle
    let permissions: PermissionCache
    private let lastTouched = Mutex<[UUID: Int64]>([:])

    init(store: Store, throttle: AuthThrottle, permissions: PermissionCache) {
        self.store = store
        self.throttle = throttle
        self.permissions = permissions
    }

    func applies(to operation: OperationInfo) -> Bool { !operation.isPublic }

    func intercept(_ request: HTTPRequest, operation: OperationInfo,
                   next: (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse {
        let address = AuthThrottle.address(of: request.remoteAddress)
        let client = Self.client(of: request)
        guard let secret = Self.bearer(request.headers["Authorization"]) else {
            return try await reject(address: address, client: client, tenant: nil, reason: "no bearer token", request: request)
        }
        guard TokenSecret.isWellFormed(secret) else {
            return try await reject(address: address, client: client, tenant: nil, reason: "unknown token", request: request)
        }
        let hash = TokenSecret.hash(secret)
        guard let credential = try await store.credential(hash: hash), ConstantTime.equals(credential.hash, hash) else {
            return try await reject(address: address, client: client, tenant: nil, reason: "unknown token", request: request)
        }
        let now = Date()
        if credential.token.revokedAt != nil {
            return try await reject(address: address, client: client, tenant: credential, reason: "revoked token", request: request)
        }
        if let expires = credential.token.expiresAt, expires <= now {
            return try await reject(address: address, client: client, tenant: credential, reason: "expired token", request: request)
        }
        var granted = try await permissions.permissions(role: credential.token.role, tenant: credential.tenant.rowID, store: store)
        if credential.token.keyAccess { granted.insert("read-keys") }
        if let needed = operation.permission, !granted.contains(needed) {
            throw ProblemDetails(status: 403, detail: "The role '\(credential.token.role)' lacks the permission '\(needed)'.")
        }
        try await touch(credential.token.id, now: now)
        let context = RequestContext(credential: credential, permissions: granted, client: client, requestID: request.requestID)
        return try await RequestContext.$current.withValue(context) { try await next(request) }
    }

    /// 401, audited in the token's tenant when the token is known (revoked, expired), else in none.
    /// Only failed authentications are throttled: a valid token from the same address (a NAT, a
    /// proxy, the billing system beside a misconfigured script) is never slowed, and guessing a
    /// 256-bit token gains nothing from being answered. An address past the block limit gets 429
    /// without another audit row, so a flood cannot fill the audit log.
    private func reject(address: String, client: String, tenant credential: Credential?, reason: String,
                        request: HTTPRequest) async throws -> HTTPResponse {
        switch throttle.check(address) {
        case .allow: break
        case .delay(let ms): try await Task.sleep(for: .milliseconds(ms))
        case .block(let seconds):
            throw HeaderedProblem(ProblemDetails(status: 429, detail: "Too many failed authentications from this address."),
                                  headers: ["Retry-After": String(seconds)])
        }
        throttle.recordFailure(address)
        let entry = AuditEntry(type: "auth.failed", principal: credential?.principalName ?? "anonymous",
                               userID: credential?.token.userID, tokenID: credential?.token.id, client: client,
                               target: request.path, details: #"{"reason":"\#(reason)"}"#)
        try await store.recordAudit(entry, tenant: credential?.tenant.rowID)
        throw HeaderedProblem(ProblemDetails(status: 401, detail: "A valid bearer token is required (\(reason))."),
                              headers: ["WWW-Authenticate": #"Bearer realm="fjern""#])
    }

    /// `lastUsedAt` is written at most once a minute per token: a write per request would cost
    /// more than the request.
    private func touch(_ token: UUID, now: Date) async throws {
        let millis = Int64(now.timeIntervalSince1970 * 1000)
        let due = lastTouched.withLock { table -> Bool in
            if let last = table[token], millis - last < 60_000 { return false }
            if table.count > 100_000 { table.removeAll() }
            table[token] = millis
            return true
        }
        if due { try await store.touchToken(id: token, at: now) }
    }

    static func bearer(_ header: String?) -> String? {
        guard let header, header.count > 7 else { return nil }
        let scheme = header.prefix(7)
        guard scheme.lowercased() == "bearer " else { return nil }
        let token = String(header.dropFirst(7)).trimmedSpaces()
        return token.isEmpty ? nil : token
    }

    /// Who to name in the audit log: the client's own name when it gives one, else its address and agent.
    static func client(of request: HTTPRequest) -> String {
        if let name = request.headers["X-Client-Name"], !name.isEmpty { return String(name.prefix(100)) }
        let agent = request.headers["User-Agent"].map { " " + $0.prefix(100) } ?? ""
        return request.remoteAddress + agent
    }
}

/// A problem with response headers (`WWW-Authenticate`, `Retry-After`).
struct HeaderedProblem: HTTPResponseError {
    var problem: ProblemDetails
    var responseHeaders: HTTPHeaders
    init(_ problem: ProblemDetails, headers: HTTPHeaders) {
        self.problem = problem
        responseHeaders = headers
    }
}
