public import FoundationEssentials
internal import SQLite

extension Store {
    /// The live meters ingest matches telegrams against: all of them, or one tenant's.
    public func ingestMeters(tenant: Int64? = nil) async throws -> [IngestMeter] {
        try await pool.read { conn in
            var out: [IngestMeter] = []
            let sql = """
                SELECT m.id, m.public_id, m.tenant_id, m.manufacturer, m.serial, m.wmbus_version, m.device_type, k.sealed,
                       m.active_info_codes
                FROM meters m LEFT JOIN meter_keys k ON k.meter_id = m.id
                WHERE m.deleted_at IS NULL
                """ + (tenant == nil ? "" : " AND m.tenant_id = ?")
            try conn.query(sql, tenant.map { [$0] } ?? []) { row in
                let version: Int64? = row[5]
                let type: Int64? = row[6]
                let sealed: [UInt8]? = row.isNull(7) ? nil : row.blob(7)
                out.append(IngestMeter(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), tenant: row.int64(2),
                                       manufacturer: row.string(3), serial: row.string(4), version: version.map(Int.init),
                                       deviceType: type.map(Int.init), sealedKey: sealed, activeInfoCodes: row.string(8)))
            }
            return out
        }
    }

    /// The collection unit a collector or field-device token speaks for, with its type and the
    /// tenants that may use it (owner first); nil when the token is bound to none or it is gone.
    public func ingestUnit(token: UUID) async throws -> (unit: Int64, id: UUID, type: String, tenants: [Int64])? {
        try await pool.read { conn in
            var found: (Int64, UUID, String, Int64)?
            try conn.query("""
                SELECT u.id, u.public_id, u.type, u.tenant_id FROM tokens t JOIN collection_units u ON u.id = t.collection_unit_id
                WHERE t.public_id = ? AND u.deleted_at IS NULL
                """, [token.uuidString.lowercased()]) { row in
                found = (row.int64(0), UUID(uuidString: row.string(1)) ?? UUID(), row.string(2), row.int64(3))
            }
            guard let (unit, id, type, owner) = found else { return nil }
            var tenants = [owner]
            try conn.query("SELECT tenant_id FROM unit_shares WHERE unit_id = ? ORDER BY tenant_id", [unit]) { row in
                tenants.append(row.int64(0))
            }
            return (unit, id, type, tenants)
        }
    }

    /// Commits decoded readings, receptions, new pending telegrams and the pending telegrams
    /// they resolve, in the shared group-commit transaction. Returns after the commit.
    public func commitIngest(readings: [IngestReading], pending: [PendingTelegram], resolved: [Int64]) async throws -> [IngestOutcome] {
        let writer = readingWriter
        do {
            let outcomes = try await pool.writeBatched { conn in
                try writer.apply(readings: readings, pending: pending, resolved: resolved, conn)
            }
            if !readings.isEmpty { eventsCommitted.signal() }
            return outcomes
        } catch {
            // The savepoint or the whole transaction rolled back: the cache may hold rows that
            // never committed.
            await writer.reset(pool)
            throw error
        }
    }

    /// Pending telegrams one tenant may act on: its own (known meter, no or wrong key) and those
    /// of no tenant heard by units it owns or shares. Oldest first; `after` is a row id.
    public func pendingTelegrams(tenant: Int64, reason: String? = nil, after: Int64? = nil,
                                 limit: Int) async throws -> [PendingRecord] {
        try await pool.read { conn in
            var out: [PendingRecord] = []
            try conn.query("""
                SELECT p.id, p.public_id, p.unit_id, u.public_id, p.tenant_id, p.kind, p.manufacturer, p.serial,
                       p.wmbus_version, p.device_type, p.frame, p.received_at, p.rssi, p.reason, p.detail, p.created_at, u.type
                FROM pending_telegrams p JOIN collection_units u ON u.id = p.unit_id
                WHERE p.id > ?1 AND (?2 IS NULL OR p.reason = ?2)
                  AND (p.tenant_id = ?3 OR (p.tenant_id IS NULL AND (u.tenant_id = ?3
                       OR EXISTS (SELECT 1 FROM unit_shares s WHERE s.unit_id = p.unit_id AND s.tenant_id = ?3))))
                ORDER BY p.id LIMIT ?4
                """, [after ?? 0, reason, tenant, limit]) { row in
                let tenantID: Int64? = row[4]
                let rssi: Int64? = row[12]
                let telegram = PendingTelegram(
                    unit: row.int64(2), tenant: tenantID, kind: row.string(5), manufacturer: row.string(6), serial: row.string(7),
                    version: row.int(8), deviceType: row.int(9), frame: row.blob(10), receivedAt: row.int64(11),
                    rssi: rssi.map(Int.init), reason: row.string(13), detail: row.string(14))
                out.append(PendingRecord(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), unit: row.int64(2),
                                         unitID: UUID(uuidString: row.string(3)) ?? UUID(), unitType: row.string(16),
                                         telegram: telegram, createdAt: Store.date(row.int64(15))))
            }
            return out
        }
    }
}

extension Store {
    /// Meters with compact frames waiting for their format: tenant, manufacturer, serial.
    public func metersWaitingForFormat() async throws -> [(tenant: Int64, manufacturer: String, serial: String)] {
        try await pool.read { conn in
            var out: [(Int64, String, String)] = []
            try conn.query("""
                SELECT DISTINCT tenant_id, manufacturer, serial FROM pending_telegrams
                WHERE reason = 'unknown-compact-format' AND tenant_id IS NOT NULL
                """) { out.append(($0.int64(0), $0.string(1), $0.string(2))) }
            return out
        }
    }
}
