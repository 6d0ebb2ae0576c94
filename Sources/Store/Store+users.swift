public import FoundationEssentials
internal import SQLite

extension Store {
    static let userColumns = "public_id, name, email, role, version, created_at, updated_at"

    static func user(_ row: Row) -> UserRecord {
        UserRecord(id: UUID(uuidString: row.string(0)) ?? UUID(), name: row.string(1), email: row.string(2),
                   role: row.string(3), version: row.int(4), createdAt: date(row.int64(5)), updatedAt: date(row.int64(6)))
    }

    public func createUser(tenant: Int64, name: String, email: String, role: String, audit: AuditEntry) async throws -> UserRecord {
        try await pool.write { conn in
            let id = UUID()
            let now = Store.now()
            do {
                _ = try conn.execute("""
                    INSERT INTO users (public_id, tenant_id, name, email, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [id.uuidString.lowercased(), tenant, name, email, role, now, now])
            } catch let error as SQLiteError where error.isUniqueViolation {
                throw StoreError.conflict("a user with the e-mail '\(email)' exists")
            }
            var entry = audit
            entry.target = "/v1/users/\(id.uuidString.lowercased())"
            try Store.insertAudit(entry, tenant: tenant, conn)
            return try Store.user(tenant: tenant, id: id, conn)
        }
    }

    public func user(tenant: Int64, id: UUID) async throws -> UserRecord {
        try await pool.read { conn in try Store.user(tenant: tenant, id: id, conn) }
    }

    static func user(tenant: Int64, id: UUID, _ conn: Connection) throws -> UserRecord {
        var found: UserRecord?
        try conn.query("SELECT \(userColumns) FROM users WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                       [tenant, id.uuidString.lowercased()]) { found = user($0) }
        guard let found else { throw StoreError.notFound("user") }
        return found
    }

    public func users(tenant: Int64, limit: Int, cursor: String?) async throws -> Page<UserRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        return try await pool.read { conn in
            var rows: [(UserRecord, Int64)] = []
            try conn.query("""
                SELECT \(Store.userColumns), id FROM users WHERE tenant_id = ? AND deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?
                """, [tenant, after, limit + 1]) { rows.append((Store.user($0), $0.int64(7))) }
            return Store.page(rows, limit: limit)
        }
    }

    public func updateUser(tenant: Int64, id: UUID, name: String?, email: String?, role: String?, ifVersion: Int?,
                           audit: AuditEntry) async throws -> UserRecord {
        try await pool.write { conn in
            let current = try Store.user(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.version { throw StoreError.versionMismatch(current: current.version) }
            if let role, role != "administrator", current.role == "administrator" {
                try Store.requireAnotherAdministrator(tenant: tenant, besides: id, conn)
            }
            do {
                _ = try conn.execute("""
                    UPDATE users SET name = ?, email = ?, role = ?, version = version + 1, updated_at = ?
                    WHERE tenant_id = ? AND public_id = ?
                    """, [name ?? current.name, email ?? current.email, role ?? current.role, Store.now(), tenant,
                          id.uuidString.lowercased()])
            } catch let error as SQLiteError where error.isUniqueViolation {
                throw StoreError.conflict("a user with the e-mail '\(email ?? "")' exists")
            }
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.user(tenant: tenant, id: id, conn)
        }
    }

    /// Marks the user deleted and revokes their tokens, in one transaction.
    public func deleteUser(tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let current = try Store.user(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.version { throw StoreError.versionMismatch(current: current.version) }
            if current.role == "administrator" {
                try Store.requireAnotherAdministrator(tenant: tenant, besides: id, conn)
            }
            let now = Store.now()
            _ = try conn.execute("UPDATE users SET deleted_at = ?, version = version + 1 WHERE tenant_id = ? AND public_id = ?",
                                 [now, tenant, id.uuidString.lowercased()])
            _ = try conn.execute("""
                UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL
                AND user_id = (SELECT id FROM users WHERE public_id = ?)
                """, [now, id.uuidString.lowercased()])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    /// A tenant must never lose its last administrator: nobody could manage it any more.
    static func requireAnotherAdministrator(tenant: Int64, besides id: UUID, _ conn: Connection) throws {
        let others: Int = try conn.scalar("""
            SELECT count(*) FROM users WHERE tenant_id = ? AND role = 'administrator' AND deleted_at IS NULL AND public_id <> ?
            """, [tenant, id.uuidString.lowercased()]) ?? 0
        guard others > 0 else { throw StoreError.conflict("the tenant's last administrator cannot be removed or demoted") }
    }
}
