public import FoundationEssentials
internal import SQLite

/// Priority meters: read every 5 minutes over the fixed network. Listed through the meter list
/// with `GroupSelector.priority`.
extension Store {
    /// The product's limit (PRODUCT.md item 32: "up to 50 meters at 5-minute intervals"); the
    /// fixed network's capacity for 5-minute data, not a tuning knob.
    public static let maxPriorityMeters = 50

    /// Makes the meter a priority meter; false when it already was one (nothing changes, no audit).
    /// `.conflict` when the tenant already has the maximum.
    @discardableResult
    public func setPriority(tenant: Int64, meter id: UUID, audit: AuditEntry) async throws -> Bool {
        try await pool.write { conn in
            let meter = try Store.meter(tenant: tenant, id: id, conn)
            if meter.priority { return false }
            let count: Int = try conn.scalar("""
                SELECT count(*) FROM meters WHERE tenant_id = ? AND priority_since IS NOT NULL AND deleted_at IS NULL
                """, [tenant]) ?? 0
            guard count < Store.maxPriorityMeters else {
                throw StoreError.conflict("the tenant already has \(Store.maxPriorityMeters) priority meters, the most it may have")
            }
            let now = Store.now()
            try conn.execute("UPDATE meters SET priority_since = ?, version = version + 1, updated_at = ? WHERE id = ?",
                             [now, now, meter.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return true
        }
    }

    /// Makes the meter an ordinary one again; false when it was not a priority meter.
    @discardableResult
    public func unsetPriority(tenant: Int64, meter id: UUID, audit: AuditEntry) async throws -> Bool {
        try await pool.write { conn in
            let meter = try Store.meter(tenant: tenant, id: id, conn)
            guard meter.priority else { return false }
            try conn.execute("UPDATE meters SET priority_since = NULL, version = version + 1, updated_at = ? WHERE id = ?",
                             [Store.now(), meter.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return true
        }
    }
}
