public import FoundationEssentials
internal import SQLite

extension Store {
    /// The row id of a live meter of this tenant, or notFound (another tenant's is not found too).
    public func meterRowID(tenant: Int64, id: UUID) async throws -> Int64 {
        let row: Int64? = try await pool.read { conn in
            try conn.scalar("SELECT id FROM meters WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                            [tenant, id.uuidString.lowercased()])
        }
        guard let row else { throw StoreError.notFound("meter") }
        return row
    }

    /// A meter's readings in time order from `from` (inclusive) to `to` (exclusive), at most
    /// `limit`; `after` continues a page (the last time seen).
    public func readings(meter: Int64, from: Int64?, to: Int64?, after: Int64?, limit: Int) async throws -> [StoredReading] {
        try await pool.read { conn in
            var out: [StoredReading] = []
            let start = max(from ?? Int64.min, after.map { $0 + 1 } ?? Int64.min)
            try conn.query("""
                SELECT time, source, receptions, data FROM reading_log
                WHERE meter_id = ? AND time >= ? AND time < ? ORDER BY time LIMIT ?
                """, [meter, start, to ?? Int64.max, limit]) { row in
                out.append(StoredReading(time: row.int64(0), source: ReadingSource(rawValue: row.int(1)) ?? .fixedNetwork,
                                         receptions: row.int(2), data: row.blob(3)))
            }
            return out
        }
    }

    public func latestReading(meter: Int64) async throws -> StoredReading? {
        try await pool.read { conn in
            var out: StoredReading?
            try conn.query("SELECT time, source, receptions, data FROM reading_log WHERE meter_id = ? ORDER BY time DESC LIMIT 1",
                           [meter]) { row in
                out = StoredReading(time: row.int64(0), source: ReadingSource(rawValue: row.int(1)) ?? .fixedNetwork,
                                    receptions: row.int(2), data: row.blob(3))
            }
            return out
        }
    }
}
