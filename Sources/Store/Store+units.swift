public import FoundationEssentials
public import SQLite

/// Collection units: a tenant's own and those shared with it. Reads see both; changes are the
/// owner's alone (a sharing tenant gets `NotUnitOwner`, another tenant `notFound`).
extension Store {
    /// Columns for `CollectionUnitRecord`; `?1` must be the caller's tenant (it decides `owned`).
    static let unitColumns = """
        u.id, u.public_id, u.type, u.name, u.capacity, u.address, u.latitude, u.longitude, u.description,
        u.tenant_id = ?1, u.version, u.created_at, u.updated_at
        """
    /// Units the tenant `?1` may see: its own and those shared with it, alive.
    static let visibleUnits = """
        u.deleted_at IS NULL AND (u.tenant_id = ?1 OR EXISTS (SELECT 1 FROM unit_shares s WHERE s.unit_id = u.id AND s.tenant_id = ?1))
        """

    static func unit(_ row: Row) -> CollectionUnitRecord {
        CollectionUnitRecord(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), type: row.string(2),
                             name: row.string(3), capacity: row.int(4), address: row[5], latitude: row[6], longitude: row[7],
                             description: row[8], owned: row.bool(9), version: row.int(10), createdAt: date(row.int64(11)),
                             updatedAt: date(row.int64(12)))
    }

    static func unitPath(_ id: UUID) -> String { "/v1/collection-units/\(id.uuidString.lowercased())" }

    public func createUnit(tenant: Int64, type: String, fields: CollectionUnitFields, audit: AuditEntry) async throws -> CollectionUnitRecord {
        guard CollectionUnitKind.types.contains(type) else { throw StoreError.invalid("unknown collection unit type '\(type)'") }
        return try await pool.write { conn in
            let id = UUID()
            let now = Store.now()
            _ = try conn.execute("""
                INSERT INTO collection_units (public_id, tenant_id, type, name, capacity, address, latitude, longitude,
                    description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [id.uuidString.lowercased(), tenant, type, fields.name ?? type,
                      fields.capacity ?? CollectionUnitKind.defaultCapacity(type), fields.address.flatMap(Store.nonEmpty),
                      fields.latitude, fields.longitude, fields.description.flatMap(Store.nonEmpty), now, now])
            var entry = audit
            entry.target = Store.unitPath(id)
            try Store.insertAudit(entry, tenant: tenant, conn)
            return try Store.visibleUnit(tenant: tenant, id: id, conn)
        }
    }

    public func unit(tenant: Int64, id: UUID) async throws -> CollectionUnitRecord {
        try await pool.read { conn in try Store.visibleUnit(tenant: tenant, id: id, conn) }
    }

    static func visibleUnit(tenant: Int64, id: UUID, _ conn: Connection) throws -> CollectionUnitRecord {
        var found: CollectionUnitRecord?
        try conn.query("SELECT \(unitColumns) FROM collection_units u WHERE u.public_id = ?2 AND \(visibleUnits)",
                       [tenant, id.uuidString.lowercased()]) { found = unit($0) }
        guard let found else { throw StoreError.notFound("collection unit") }
        return found
    }

    /// The unit, when the tenant owns it; a sharing tenant learns only that it may not.
    static func ownedUnit(tenant: Int64, id: UUID, action: String, _ conn: Connection) throws -> CollectionUnitRecord {
        let unit = try visibleUnit(tenant: tenant, id: id, conn)
        guard unit.owned else {
            throw NotUnitOwner(detail: "This collection unit is shared with your tenant; only its owner may \(action).")
        }
        return unit
    }

    /// Own and shared units in id order, filtered by type and by a substring of name or address.
    public func units(tenant: Int64, type: String?, query: String?, limit: Int, cursor: String?) async throws -> Page<CollectionUnitRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        let pattern = query.map { "%" + Store.likeEscaped($0) + "%" }
        return try await pool.read { conn in
            var rows: [(CollectionUnitRecord, Int64)] = []
            try conn.query("""
                SELECT \(Store.unitColumns) FROM collection_units u
                WHERE u.id IN (SELECT id FROM collection_units WHERE tenant_id = ?1 AND deleted_at IS NULL
                               UNION ALL SELECT unit_id FROM unit_shares WHERE tenant_id = ?1)
                  AND u.deleted_at IS NULL AND u.id > ?2 AND (?3 IS NULL OR u.type = ?3)
                  AND (?4 IS NULL OR u.name LIKE ?4 ESCAPE '\\' OR u.address LIKE ?4 ESCAPE '\\')
                ORDER BY u.id LIMIT ?5
                """, [tenant, after, type, pattern, limit + 1]) { row in
                let record = Store.unit(row)
                rows.append((record, record.rowID))
            }
            return Store.page(rows, limit: limit)
        }
    }

    /// Changes the given fields; an empty address or description clears it. The type never changes.
    public func updateUnit(tenant: Int64, id: UUID, fields: CollectionUnitFields, ifVersion: Int?,
                           audit: AuditEntry) async throws -> CollectionUnitRecord {
        try await pool.write { conn in
            let current = try Store.ownedUnit(tenant: tenant, id: id, action: "change it", conn)
            if let ifVersion, ifVersion != current.version { throw StoreError.versionMismatch(current: current.version) }
            _ = try conn.execute("""
                UPDATE collection_units SET name = ?, capacity = ?, address = ?, latitude = ?, longitude = ?, description = ?,
                    version = version + 1, updated_at = ? WHERE id = ?
                """, [fields.name ?? current.name, fields.capacity ?? current.capacity,
                      fields.address.map(Store.nonEmpty) ?? current.address, fields.latitude ?? current.latitude,
                      fields.longitude ?? current.longitude, fields.description.map(Store.nonEmpty) ?? current.description,
                      Store.now(), current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.visibleUnit(tenant: tenant, id: id, conn)
        }
    }

    /// Soft delete: the row stays (readings and receptions name it), its tokens stop working,
    /// no tenant shares it any more and no outstanding code can be redeemed.
    public func deleteUnit(tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let current = try Store.ownedUnit(tenant: tenant, id: id, action: "delete it", conn)
            if let ifVersion, ifVersion != current.version { throw StoreError.versionMismatch(current: current.version) }
            let now = Store.now()
            _ = try conn.execute("UPDATE collection_units SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                                 [now, now, current.rowID])
            _ = try conn.execute("""
                UPDATE tokens SET revoked_at = ?, key_access = 0 WHERE collection_unit_id = ? AND revoked_at IS NULL
                """, [now, current.rowID])
            _ = try conn.execute("UPDATE share_codes SET revoked_at = ? WHERE unit_id = ? AND revoked_at IS NULL AND redeemed_at IS NULL",
                                 [now, current.rowID])
            var sharers: [Int64] = []
            try conn.query("SELECT tenant_id FROM unit_shares WHERE unit_id = ?", [current.rowID]) { sharers.append($0.int64(0)) }
            _ = try conn.execute("DELETE FROM unit_shares WHERE unit_id = ?", [current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
            let owner = try Store.tenant(rowID: tenant, conn)
            for sharer in sharers {
                try Store.insertAudit(Store.foreignAudit("collection-unit.share-ended", by: owner.name, unit: id,
                                                         details: #"{"reason":"the owner deleted the unit"}"#),
                                      tenant: sharer, conn)
            }
        }
    }

    /// A token of the unit's machine role bound to it; only the owner may issue one.
    public func createUnitToken(tenant: Int64, unit id: UUID, name: String, hash: [UInt8], prefix: String, expiresAt: Date?,
                                audit: AuditEntry) async throws -> TokenRecord {
        try await pool.write { conn in
            let unit = try Store.ownedUnit(tenant: tenant, id: id, action: "issue its tokens", conn)
            return try Store.insertToken(tenant: tenant, name: name, userRowID: nil, role: CollectionUnitKind.tokenRole(unit.type),
                                         hash: hash, prefix: prefix, expiresAt: expiresAt, unit: unit.rowID, audit: audit, conn)
        }
    }

    /// The tenants a unit's telegrams are processed for: its owner and the tenants it is shared
    /// with (ascending); nil when the unit is deleted. Two primary-key lookups.
    public func unitTenants(unit: Int64) async throws -> (owner: Int64, sharers: [Int64])? {
        try await pool.read { conn in try Store.unitTenants(unit: unit, conn) }
    }

    /// The same, inside a transaction the caller already holds.
    public static func unitTenants(unit: Int64, _ conn: Connection) throws -> (owner: Int64, sharers: [Int64])? {
        guard let owner: Int64 = try conn.scalar("SELECT tenant_id FROM collection_units WHERE id = ? AND deleted_at IS NULL",
                                                 [unit]) else { return nil }
        var sharers: [Int64] = []
        try conn.query("SELECT tenant_id FROM unit_shares WHERE unit_id = ? ORDER BY tenant_id", [unit]) { sharers.append($0.int64(0)) }
        return (owner, sharers)
    }

    /// An event written into another tenant's log: it names the acting tenant, never its users or tokens.
    static func foreignAudit(_ type: String, by tenantName: String, unit: UUID, details: String? = nil) -> AuditEntry {
        AuditEntry(type: type, principal: "tenant \(tenantName)", client: "another tenant", target: unitPath(unit), details: details)
    }

    static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}
