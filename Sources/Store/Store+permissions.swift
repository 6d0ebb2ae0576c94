internal import SQLite

extension Store {
    /// Permissions of every role in the tenant (fixed roles included), with the stored version of
    /// the editable ones for ETags.
    public func rolePermissions(tenant: Int64) async throws -> [String: (permissions: [String], version: Int)] {
        try await pool.read { conn in try Store.rolePermissions(tenant: tenant, conn) }
    }

    static func rolePermissions(tenant: Int64, _ conn: Connection) throws -> [String: (permissions: [String], version: Int)] {
        var result: [String: (permissions: [String], version: Int)] = [:]
        for role in AccessModel.roles {
            if let fixed = AccessModel.fixedPermissions(of: role) { result[role] = (fixed, 1) }
        }
        try conn.query("SELECT role, permissions, version FROM role_permissions WHERE tenant_id = ?", [tenant]) { row in
            let list = row.string(1).split(separator: ",").map(String.init)
            result[row.string(0)] = (list, row.int(2))
        }
        return result
    }

    /// Replaces an editable role's permissions. The caller has validated role and permissions.
    public func setRolePermissions(tenant: Int64, role: String, permissions: [String], ifVersion: Int?,
                                   audit: AuditEntry) async throws -> (permissions: [String], version: Int) {
        try await pool.write { conn in
            guard let current = try Store.rolePermissions(tenant: tenant, conn)[role] else {
                throw StoreError.notFound("role")
            }
            if let ifVersion, ifVersion != current.version { throw StoreError.versionMismatch(current: current.version) }
            let sorted = Array(Set(permissions)).sorted { AccessModel.catalogue.firstIndex(of: $0)! < AccessModel.catalogue.firstIndex(of: $1)! }
            _ = try conn.execute("""
                UPDATE role_permissions SET permissions = ?, version = version + 1 WHERE tenant_id = ? AND role = ?
                """, [sorted.joined(separator: ","), tenant, role])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return (sorted, current.version + 1)
        }
    }
}
