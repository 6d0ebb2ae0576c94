internal import FoundationEssentials
internal import SQLite

extension Store {
    static let tenantColumns = "id, public_id, name, time_zone, max_metering_points, version, created_at, updated_at"

    static func tenant(_ row: Row) -> TenantRecord {
        TenantRecord(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), name: row.string(2),
                     timeZone: row.string(3), maxMeteringPoints: row.int(4), version: row.int(5),
                     createdAt: date(row.int64(6)), updatedAt: date(row.int64(7)))
    }

    /// A new tenant with the default role permissions. Fails with `.conflict` when the name is taken.
    public func createTenant(name: String, timeZone: String, audit: AuditEntry) async throws -> TenantRecord {
        try await pool.write { conn in
            let now = Store.now()
            do {
                _ = try conn.execute("""
                    INSERT INTO tenants (public_id, name, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                    """, [UUID().uuidString.lowercased(), name, timeZone, now, now])
            } catch let error as SQLiteError where error.isUniqueViolation {
                throw StoreError.conflict("a tenant named '\(name)' exists")
            }
            let rowID = conn.lastInsertRowID
            for (role, permissions) in DefaultPermissions.editable {
                _ = try conn.execute("INSERT INTO role_permissions (tenant_id, role, permissions) VALUES (?, ?, ?)",
                                     [rowID, role, permissions.joined(separator: ",")])
            }
            try Store.insertAudit(audit, tenant: rowID, conn)
            return try Store.tenant(rowID: rowID, conn)
        }
    }

    public func tenant(named name: String) async throws -> TenantRecord? {
        try await pool.read { conn in
            var found: TenantRecord?
            try conn.query("SELECT \(Store.tenantColumns) FROM tenants WHERE name = ?", [name]) { found = Store.tenant($0) }
            return found
        }
    }

    public func tenant(rowID: Int64) async throws -> TenantRecord {
        try await pool.read { conn in try Store.tenant(rowID: rowID, conn) }
    }

    static func tenant(rowID: Int64, _ conn: Connection) throws -> TenantRecord {
        var found: TenantRecord?
        try conn.query("SELECT \(tenantColumns) FROM tenants WHERE id = ?", [rowID]) { found = tenant($0) }
        guard let found else { throw StoreError.notFound("tenant") }
        return found
    }

    public func updateTenant(rowID: Int64, name: String?, timeZone: String?, ifVersion: Int?,
                             audit: AuditEntry) async throws -> TenantRecord {
        try await pool.write { conn in
            let current = try Store.tenant(rowID: rowID, conn)
            if let ifVersion, ifVersion != current.version { throw StoreError.versionMismatch(current: current.version) }
            do {
                _ = try conn.execute("""
                    UPDATE tenants SET name = ?, time_zone = ?, version = version + 1, updated_at = ? WHERE id = ?
                    """, [name ?? current.name, timeZone ?? current.timeZone, Store.now(), rowID])
            } catch let error as SQLiteError where error.isUniqueViolation {
                throw StoreError.conflict("a tenant named '\(name ?? "")' exists")
            }
            try Store.insertAudit(audit, tenant: rowID, conn)
            return try Store.tenant(rowID: rowID, conn)
        }
    }
}
