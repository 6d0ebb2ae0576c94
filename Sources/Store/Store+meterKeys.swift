public import FoundationEssentials
internal import SQLite

extension Store {
    static func storeKey(meter rowID: Int64, sealed: [UInt8], source: String, now: Int64, _ conn: Connection) throws {
        try conn.execute("""
            INSERT INTO meter_keys (meter_id, sealed, source, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (meter_id) DO UPDATE SET sealed = excluded.sealed, source = excluded.source, updated_at = excluded.updated_at
            """, [rowID, sealed, source, now])
    }

    /// Sets or replaces the key; the meter's version moves on (`hasKey` is part of it).
    public func setMeterKey(tenant: Int64, id: UUID, key: [UInt8], sealer: any MeterKeySealing, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let meter = try Store.meter(tenant: tenant, id: id, conn)
            let now = Store.now()
            try Store.storeKey(meter: meter.rowID, sealed: sealer.seal(key, meter: meter.rowID), source: "api", now: now, conn)
            try conn.execute("UPDATE meters SET version = version + 1, updated_at = ? WHERE id = ?", [now, meter.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    /// Destroys the key; without one this changes nothing but is still audited.
    public func deleteMeterKey(tenant: Int64, id: UUID, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let meter = try Store.meter(tenant: tenant, id: id, conn)
            if try conn.execute("DELETE FROM meter_keys WHERE meter_id = ?", [meter.rowID]) > 0 {
                try conn.execute("UPDATE meters SET version = version + 1, updated_at = ? WHERE id = ?", [Store.now(), meter.rowID])
            }
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    /// nil when the meter has no key; `.notFound` when the tenant has no such meter.
    public func meterKeyStatus(tenant: Int64, id: UUID) async throws -> MeterKeyStatusRecord? {
        try await pool.read { conn in
            var meterRow: Int64?
            var status: MeterKeyStatusRecord?
            try conn.query("""
                SELECT m.id, k.source, k.updated_at FROM meters m LEFT JOIN meter_keys k ON k.meter_id = m.id
                WHERE m.tenant_id = ? AND m.public_id = ? AND m.deleted_at IS NULL
                """, [tenant, id.uuidString.lowercased()]) { row in
                meterRow = row.int64(0)
                if !row.isNull(1) { status = MeterKeyStatusRecord(source: row.string(1), updatedAt: Store.date(row.int64(2))) }
            }
            guard meterRow != nil else { throw StoreError.notFound("meter") }
            return status
        }
    }

    /// A page of the tenant's live meters that have keys, in meter order, still sealed. The read
    /// is audited (`audit`) in its own transaction before the keys are handed out.
    public func sealedMeterKeys(tenant: Int64, limit: Int, cursor: String?, audit: AuditEntry) async throws -> Page<SealedMeterKey> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        let page = try await pool.read { conn in
            var rows: [(SealedMeterKey, Int64)] = []
            try conn.query("""
                SELECT m.id, m.public_id, m.manufacturer, m.serial, m.wmbus_version, m.device_type, k.sealed
                FROM meters m JOIN meter_keys k ON k.meter_id = m.id
                WHERE m.tenant_id = ? AND m.deleted_at IS NULL AND m.id > ? ORDER BY m.id LIMIT ?
                """, [tenant, after, limit + 1]) { row in
                let key = SealedMeterKey(rowID: row.int64(0), meterID: UUID(uuidString: row.string(1)) ?? UUID(),
                                         manufacturer: row.string(2), serial: row.string(3), version: row[4],
                                         deviceType: row[5], sealed: row.blob(6))
                rows.append((key, key.rowID))
            }
            return Store.page(rows, limit: limit)
        }
        var entry = audit
        entry.details = #"{"keys":\#(page.items.count)}"#
        try await recordAudit(entry, tenant: tenant)
        return page
    }
}
