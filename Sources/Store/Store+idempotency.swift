public import FoundationEssentials
internal import SQLite

/// The stored answer to a request made with an `Idempotency-Key`.
public struct StoredResponse: Sendable, Equatable {
    public var requestHash: [UInt8]
    public var status: Int
    /// "Name: value" lines.
    public var headers: String
    public var body: [UInt8]

    public init(requestHash: [UInt8], status: Int, headers: String, body: [UInt8]) {
        self.requestHash = requestHash
        self.status = status
        self.headers = headers
        self.body = body
    }
}

public enum IdempotencyClaim: Sendable, Equatable {
    /// First use: go ahead, then `completeIdempotency` (or `releaseIdempotency` on failure).
    case claimed
    /// Seen before with this request: replay it.
    case replay(StoredResponse)
    /// Seen before with another request body: 422.
    case mismatch
    /// The first request with this key is still running: 409.
    case inProgress
}

extension Store {
    /// Keys live a day; a claim left by a crash is abandoned after a minute and may be retried.
    static let idempotencyLifetime: Int64 = 24 * 3600 * 1000
    static let abandonedClaim: Int64 = 60 * 1000

    public func claimIdempotency(tenant: Int64, token: UUID, key: String, requestHash: [UInt8]) async throws -> IdempotencyClaim {
        try await pool.write { conn in
            let now = Store.now()
            let tokenID = token.uuidString.lowercased()
            _ = try conn.execute("DELETE FROM idempotency_keys WHERE tenant_id = ? AND created_at < ?",
                                 [tenant, now - Store.idempotencyLifetime])
            var existing: StoredResponse?
            var created: Int64 = 0
            try conn.query("""
                SELECT request_hash, status, headers, body, created_at FROM idempotency_keys
                WHERE tenant_id = ? AND token_public_id = ? AND key = ?
                """, [tenant, tokenID, key]) { row in
                existing = StoredResponse(requestHash: row.blob(0), status: row.int(1), headers: row.string(2), body: row.blob(3))
                created = row.int64(4)
            }
            if let existing {
                if existing.requestHash != requestHash { return .mismatch }
                if existing.status != 0 { return .replay(existing) }
                if now - created < Store.abandonedClaim { return .inProgress }
                _ = try conn.execute("UPDATE idempotency_keys SET created_at = ? WHERE tenant_id = ? AND token_public_id = ? AND key = ?",
                                     [now, tenant, tokenID, key])
                return .claimed
            }
            _ = try conn.execute("""
                INSERT INTO idempotency_keys (tenant_id, token_public_id, key, request_hash, status, headers, body, created_at)
                VALUES (?, ?, ?, ?, 0, '', x'', ?)
                """, [tenant, tokenID, key, requestHash, now])
            return .claimed
        }
    }

    public func completeIdempotency(tenant: Int64, token: UUID, key: String, response: StoredResponse) async throws {
        try await pool.write { conn in
            _ = try conn.execute("""
                UPDATE idempotency_keys SET status = ?, headers = ?, body = ? WHERE tenant_id = ? AND token_public_id = ? AND key = ?
                """, [response.status, response.headers, response.body, tenant, token.uuidString.lowercased(), key])
        }
    }

    /// The request failed without an answer worth keeping (5xx): the key may be used again.
    public func releaseIdempotency(tenant: Int64, token: UUID, key: String) async throws {
        try await pool.write { conn in
            _ = try conn.execute("DELETE FROM idempotency_keys WHERE tenant_id = ? AND token_public_id = ? AND key = ? AND status = 0",
                                 [tenant, token.uuidString.lowercased(), key])
        }
    }
}
