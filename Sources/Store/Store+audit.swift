public import FoundationEssentials
internal import SQLite

extension Store {
    /// The tenant's audit log, newest first, filtered by time, type and user.
    public func auditEvents(tenant: Int64, from: Date?, to: Date?, type: String?, user: UUID?, limit: Int,
                            cursor: String?) async throws -> Page<AuditRecord> {
        let before = try Store.rowID(fromCursor: cursor) ?? Int64.max
        return try await pool.read { conn in
            var rows: [(AuditRecord, Int64)] = []
            try conn.query("""
                SELECT id, time, type, principal, user_public_id, token_public_id, client, target, details
                FROM audit_events
                WHERE tenant_id = ?1 AND id < ?2 AND time >= ?3 AND time < ?4
                  AND (?5 IS NULL OR type = ?5) AND (?6 IS NULL OR user_public_id = ?6)
                ORDER BY id DESC LIMIT ?7
                """,
                [tenant, before, from.map(Store.millis) ?? Int64.min, to.map(Store.millis) ?? Int64.max, type,
                 user?.uuidString.lowercased(), limit + 1]) { row in
                let userID: String? = row[4]
                let tokenID: String? = row[5]
                let record = AuditRecord(id: row.int64(0), time: Store.date(row.int64(1)), type: row.string(2),
                                         principal: row.string(3), userID: userID.flatMap(UUID.init(uuidString:)),
                                         tokenID: tokenID.flatMap(UUID.init(uuidString:)), client: row.string(6),
                                         target: row[7], details: row[8])
                rows.append((record, record.id))
            }
            return Store.page(rows, limit: limit)
        }
    }
}
