public import FoundationEssentials
internal import SQLite

extension Store {
    /// Columns for `TokenRecord`; the role is the machine role or, for a human token, the user's.
    static let tokenColumns = """
        t.public_id, t.name, coalesce(t.role, u.role), u.public_id, t.prefix, t.key_access,
        t.created_at, t.expires_at, t.last_used_at, t.revoked_at, t.id, t.collection_unit_id
        """
    static let tokenFrom = " FROM tokens t LEFT JOIN users u ON u.id = t.user_id"
    static let tokenSelect = "SELECT " + tokenColumns + tokenFrom

    static func token(_ row: Row) -> TokenRecord {
        let userID: String? = row[3]
        let expires: Int64? = row[7]
        let lastUsed: Int64? = row[8]
        let revoked: Int64? = row[9]
        let unit: Int64? = row[11]
        return TokenRecord(id: UUID(uuidString: row.string(0)) ?? UUID(), name: row.string(1), role: row.string(2),
                           userID: userID.flatMap(UUID.init(uuidString:)), prefix: row.string(4), keyAccess: row.bool(5),
                           createdAt: date(row.int64(6)), expiresAt: expires.map(date), lastUsedAt: lastUsed.map(date),
                           revokedAt: revoked.map(date), collectionUnitID: unit)
    }

    /// Stores a token by the SHA-256 of its secret: a person's (`user`) or a service's (`role`).
    public func createToken(tenant: Int64, name: String, user: UUID?, role: String?, hash: [UInt8], prefix: String,
                            expiresAt: Date?, audit: AuditEntry) async throws -> TokenRecord {
        try await pool.write { conn in
            var userRowID: Int64?
            if let user {
                userRowID = try conn.scalar("SELECT id FROM users WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                                            [tenant, user.uuidString.lowercased()])
                guard userRowID != nil else { throw StoreError.invalid("no such user in this tenant") }
            }
            return try Store.insertToken(tenant: tenant, name: name, userRowID: userRowID, role: role, hash: hash, prefix: prefix,
                                         expiresAt: expiresAt, unit: nil, audit: audit, conn)
        }
    }

    /// Inserts a token (bound to a collection unit when `unit` is given) with its audit event.
    static func insertToken(tenant: Int64, name: String, userRowID: Int64?, role: String?, hash: [UInt8], prefix: String,
                            expiresAt: Date?, unit: Int64?, audit: AuditEntry, _ conn: Connection) throws -> TokenRecord {
        let id = UUID()
        _ = try conn.execute("""
            INSERT INTO tokens (public_id, tenant_id, user_id, role, name, hash, prefix, created_at, expires_at, collection_unit_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id.uuidString.lowercased(), tenant, userRowID, role, name, hash, prefix, Store.now(),
                  expiresAt.map(Store.millis), unit])
        var entry = audit
        entry.target = "/v1/tokens/\(id.uuidString.lowercased())"
        try Store.insertAudit(entry, tenant: tenant, conn)
        return try Store.token(tenant: tenant, id: id, conn)
    }

    public func token(tenant: Int64, id: UUID) async throws -> TokenRecord {
        try await pool.read { conn in try Store.token(tenant: tenant, id: id, conn) }
    }

    static func token(tenant: Int64, id: UUID, _ conn: Connection) throws -> TokenRecord {
        var found: TokenRecord?
        try conn.query(tokenSelect + " WHERE t.tenant_id = ? AND t.public_id = ?", [tenant, id.uuidString.lowercased()]) {
            found = token($0)
        }
        guard let found else { throw StoreError.notFound("token") }
        return found
    }

    public func tokens(tenant: Int64, limit: Int, cursor: String?) async throws -> Page<TokenRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        return try await pool.read { conn in
            var rows: [(TokenRecord, Int64)] = []
            try conn.query(Store.tokenSelect + " WHERE t.tenant_id = ? AND t.id > ? ORDER BY t.id LIMIT ?",
                           [tenant, after, limit + 1]) { rows.append((Store.token($0), $0.int64(10))) }
            return Store.page(rows, limit: limit)
        }
    }

    public func updateToken(tenant: Int64, id: UUID, name: String?, keyAccess: Bool?, audit: AuditEntry) async throws -> TokenRecord {
        try await pool.write { conn in
            let current = try Store.token(tenant: tenant, id: id, conn)
            if keyAccess == true && current.role != "field-device" {
                throw StoreError.invalid("only field-device tokens can be given key access")
            }
            if current.revokedAt != nil { throw StoreError.conflict("the token is revoked") }
            _ = try conn.execute("UPDATE tokens SET name = ?, key_access = ? WHERE tenant_id = ? AND public_id = ?",
                                 [name ?? current.name, keyAccess ?? current.keyAccess, tenant, id.uuidString.lowercased()])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.token(tenant: tenant, id: id, conn)
        }
    }

    /// Revokes; revoking twice is not an error (and is audited once each).
    public func revokeToken(tenant: Int64, id: UUID, audit: AuditEntry) async throws {
        try await pool.write { conn in
            _ = try Store.token(tenant: tenant, id: id, conn)
            _ = try conn.execute("""
                UPDATE tokens SET revoked_at = coalesce(revoked_at, ?), key_access = 0 WHERE tenant_id = ? AND public_id = ?
                """, [Store.now(), tenant, id.uuidString.lowercased()])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    /// The credential whose secret hashes to `hash`, whatever its state: the caller decides
    /// about expiry and revocation (and audits the failure in the right tenant).
    public func credential(hash: [UInt8]) async throws -> Credential? {
        try await pool.read { conn in
            var found: (TokenRecord, Int64, String, [UInt8])?
            // A deleted user's name still identifies the principal in audit events of failed attempts.
            try conn.query("SELECT " + Store.tokenColumns + ", t.tenant_id, coalesce(u.name, t.name), t.hash"
                           + Store.tokenFrom + " WHERE t.hash = ?", [hash]) { row in
                found = (Store.token(row), row.int64(12), row.string(13), row.blob(14))
            }
            guard let (token, tenantRowID, principal, stored) = found else { return nil }
            return Credential(hash: stored, token: token, tenant: try Store.tenant(rowID: tenantRowID, conn), principalName: principal)
        }
    }

    public func touchToken(id: UUID, at time: Date) async throws {
        try await pool.write { conn in
            _ = try conn.execute("UPDATE tokens SET last_used_at = ? WHERE public_id = ?", [Store.millis(time), id.uuidString.lowercased()])
        }
    }

    /// Audit events that are not part of a change (failed authentication, key reads, exports).
    public func recordAudit(_ entry: AuditEntry, tenant: Int64?) async throws {
        try await pool.write { conn in try Store.insertAudit(entry, tenant: tenant, conn) }
    }
}
