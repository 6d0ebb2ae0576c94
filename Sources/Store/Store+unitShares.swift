public import FoundationEssentials
internal import SQLite

/// Shared infrastructure: an owner hands out a one-time code, another tenant redeems it, and
/// from then on the unit's telegrams are processed for that tenant too. Every step is audited
/// in both tenants' logs; the other tenant is named, its users and tokens never are.
extension Store {
    public static let shareCodeLifetime: TimeInterval = 7 * 24 * 3600

    /// Stores a new code for the owner's unit by its SHA-256.
    public func createShareCode(tenant: Int64, unit id: UUID, hash: [UInt8], audit: AuditEntry) async throws -> ShareCodeRecord {
        try await pool.write { conn in
            let unit = try Store.ownedUnit(tenant: tenant, id: id, action: "share it", conn)
            let now = Store.now()
            let expires = now + Int64(Store.shareCodeLifetime * 1000)
            let codeID = UUID().uuidString.lowercased()
            _ = try conn.execute("""
                INSERT INTO share_codes (public_id, unit_id, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, [codeID, unit.rowID, hash, now, expires])
            var entry = audit
            entry.target = Store.unitPath(id)
            entry.details = #"{"shareCode":"\#(codeID)"}"#
            try Store.insertAudit(entry, tenant: tenant, conn)
            return ShareCodeRecord(unitID: id, expiresAt: Store.date(expires))
        }
    }

    /// Redeems a code for `tenant`. Unknown, expired, revoked, used, or for the tenant's own
    /// unit: all the same `notFound`, so a guess learns nothing. Already shared: `conflict`
    /// (and the code stays unused).
    public func redeemShareCode(tenant: Int64, hash: [UInt8], audit: AuditEntry) async throws -> CollectionUnitRecord {
        try await pool.write { conn in
            var found: (code: Int64, unit: Int64, owner: Int64, unitID: String)?
            try conn.query("""
                SELECT c.id, c.unit_id, u.tenant_id, u.public_id FROM share_codes c JOIN collection_units u ON u.id = c.unit_id
                WHERE c.hash = ? AND c.revoked_at IS NULL AND c.redeemed_at IS NULL AND c.expires_at > ? AND u.deleted_at IS NULL
                """, [hash, Store.now()]) { found = ($0.int64(0), $0.int64(1), $0.int64(2), $0.string(3)) }
            guard let found, found.owner != tenant, let unitID = UUID(uuidString: found.unitID) else {
                throw StoreError.notFound("share code")
            }
            let already: Int64? = try conn.scalar("SELECT 1 FROM unit_shares WHERE unit_id = ? AND tenant_id = ?", [found.unit, tenant])
            if already != nil { throw StoreError.conflict("This collection unit is already shared with your tenant.") }
            let now = Store.now()
            _ = try conn.execute("INSERT INTO unit_shares (unit_id, tenant_id, created_at) VALUES (?, ?, ?)", [found.unit, tenant, now])
            _ = try conn.execute("UPDATE share_codes SET redeemed_by = ?, redeemed_at = ? WHERE id = ?", [tenant, now, found.code])
            var entry = audit
            entry.target = Store.unitPath(unitID)
            try Store.insertAudit(entry, tenant: tenant, conn)
            let me = try Store.tenant(rowID: tenant, conn)
            try Store.insertAudit(Store.foreignAudit("collection-unit.shared", by: me.name, unit: unitID,
                                                     details: #"{"tenantId":"\#(me.id.uuidString.lowercased())"}"#),
                                  tenant: found.owner, conn)
            return try Store.visibleUnit(tenant: tenant, id: unitID, conn)
        }
    }

    /// The tenants the owner's unit is shared with, in tenant order.
    public func unitShares(tenant: Int64, unit id: UUID, limit: Int, cursor: String?) async throws -> Page<UnitShareRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        return try await pool.read { conn in
            let unit = try Store.ownedUnit(tenant: tenant, id: id, action: "see who shares it", conn)
            var rows: [(UnitShareRecord, Int64)] = []
            try conn.query("""
                SELECT t.public_id, t.name, s.created_at, t.id FROM unit_shares s JOIN tenants t ON t.id = s.tenant_id
                WHERE s.unit_id = ? AND s.tenant_id > ? ORDER BY s.tenant_id LIMIT ?
                """, [unit.rowID, after, limit + 1]) { row in
                rows.append((UnitShareRecord(tenantID: UUID(uuidString: row.string(0)) ?? UUID(), tenantName: row.string(1),
                                             since: Store.date(row.int64(2))), row.int64(3)))
            }
            return Store.page(rows, limit: limit)
        }
    }

    /// Ends a share: the owner may end any, a sharing tenant only its own.
    public func deleteUnitShare(tenant: Int64, unit id: UUID, sharer: UUID, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let unit = try Store.visibleUnit(tenant: tenant, id: id, conn)
            let me = try Store.tenant(rowID: tenant, conn)
            if !unit.owned && sharer != me.id {
                throw NotUnitOwner(detail: "Only the unit's owner may end another tenant's share; your tenant may end its own.")
            }
            guard let sharerRow: Int64 = try conn.scalar("""
                SELECT s.tenant_id FROM unit_shares s JOIN tenants t ON t.id = s.tenant_id WHERE s.unit_id = ? AND t.public_id = ?
                """, [unit.rowID, sharer.uuidString.lowercased()]) else { throw StoreError.notFound("share of this collection unit") }
            _ = try conn.execute("DELETE FROM unit_shares WHERE unit_id = ? AND tenant_id = ?", [unit.rowID, sharerRow])
            var entry = audit
            entry.target = Store.unitPath(id)
            entry.details = #"{"tenantId":"\#(sharer.uuidString.lowercased())"}"#
            try Store.insertAudit(entry, tenant: tenant, conn)
            // The other side's log: the sharer learns its share ended, the owner that a tenant left.
            let other = unit.owned ? sharerRow : try Store.unitTenants(unit: unit.rowID, conn)?.owner
            if let other {
                let type = unit.owned ? "collection-unit.share-ended" : "collection-unit.share-left"
                try Store.insertAudit(Store.foreignAudit(type, by: me.name, unit: id, details: entry.details), tenant: other, conn)
            }
        }
    }
}
