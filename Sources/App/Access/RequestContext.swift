internal import FoundationEssentials
internal import Store

/// The authenticated caller of the current request, visible to handlers through a task-local
/// set by `AuthMiddleware` (so the generated protocol needs no extra parameter).
struct RequestContext: Sendable {
    var credential: Credential
    var permissions: Set<String>
    /// `X-Client-Name`, or the remote address and User-Agent: who to name in the audit log.
    var client: String
    var requestID: String

    var tenant: Int64 { credential.tenant.rowID }

    func audit(_ type: String, target: String? = nil, details: String? = nil) -> AuditEntry {
        AuditEntry(type: type, principal: credential.principalName, userID: credential.token.userID,
                   tokenID: credential.token.id, client: client, target: target, details: details)
    }

    @TaskLocal static var current: RequestContext?

    /// The context of an authenticated operation. The router only reaches a non-public
    /// handler through AuthMiddleware, so a missing context is a programming error.
    static var required: RequestContext {
        guard let current else { preconditionFailure("a protected handler ran without authentication") }
        return current
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (FoundationEssentials has no trimming).
    func trimmedSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
