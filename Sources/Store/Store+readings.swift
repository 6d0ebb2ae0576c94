public import FoundationEssentials
internal import Metering
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
    /// `limit`; `after` continues a page (the last time seen). Blocks and log together.
    public func readings(meter: Int64, from: Int64?, to: Int64?, after: Int64?, limit: Int) async throws -> [StoredReading] {
        let start = max(from ?? Int64.min, after.map { $0 + 1 } ?? Int64.min)
        let end = to ?? Int64.max
        let index = readingIndex
        return try await pool.read { conn in
            let fetch = try conn.cachedStatement("SELECT time, source, receptions, data FROM reading_log WHERE id = ? AND meter_id = ?")
            var logged: [BlockCodec.Entry] = []
            for entry in index.entries(meter: meter, from: start, to: end) {
                try fetch.bind(entry.row, at: 1)
                try fetch.bind(meter, at: 2)
                if try fetch.step() {
                    logged.append(.init(time: fetch.int64(0), source: UInt8(clamping: fetch.int64(1)), receptions: Int(fetch.int64(2)),
                                        reading: try ReadingCodec.decode(fetch.blob(3))))
                }
                fetch.reset()
                if logged.count > limit { break }
            }
            // Blocks are read a window at a time: a long history is not decoded for one page.
            var blocked: [BlockCodec.Entry] = []
            try conn.query("""
                SELECT first_time, data FROM reading_blocks WHERE meter_id = ? AND last_time >= ? AND first_time < ?
                ORDER BY first_time
                """, [meter, start, end]) { row in
                guard blocked.count <= limit else { return }
                blocked += try BlockCodec.decode(row.blob(1), firstTime: row.int64(0)).filter { $0.time >= start && $0.time < end }
            }
            return ReadingBlocks.merge(blocked, logged).prefix(limit).map {
                StoredReading(time: $0.time, source: ReadingSource(rawValue: Int($0.source)) ?? .fixedNetwork,
                              receptions: $0.receptions, data: ReadingCodec.encode($0.reading))
            }
        }
    }

    public func latestReading(meter: Int64) async throws -> StoredReading? {
        let index = readingIndex
        return try await pool.read { conn in
            var out: StoredReading?
            if let entry = index.latest(meter: meter) {
                try conn.query("SELECT time, source, receptions, data FROM reading_log WHERE id = ? AND meter_id = ?",
                               [entry.row, meter]) { row in
                    out = StoredReading(time: row.int64(0), source: ReadingSource(rawValue: row.int(1)) ?? .fixedNetwork,
                                        receptions: row.int(2), data: row.blob(3))
                }
            }
            if let out { return out }
            guard let last = try ReadingBlocks.last(meter: meter, conn) else { return nil }
            return StoredReading(time: last.time, source: ReadingSource(rawValue: Int(last.source)) ?? .fixedNetwork,
                                 receptions: last.receptions, data: ReadingCodec.encode(last.reading))
        }
    }

    /// Readings still in the log (not yet compacted).
    public var loggedReadings: Int { readingIndex.count }
    public var lastLoggedRow: Int64 { readingIndex.maxRow }

    /// Moves log rows up to `throughRow` into per-meter blocks, at most `meterLimit` meters in
    /// one (group-commit) transaction so ingest keeps flowing; returns how many meters it did.
    public func compactReadings(throughRow: Int64, meterLimit: Int = 1000) async throws -> Int {
        let index = readingIndex
        let meters = Array(index.meters(throughRow: throughRow).prefix(meterLimit))
        guard !meters.isEmpty else { return 0 }
        let work = meters.map { meter in (meter, index.entries(meter: meter, from: .min, to: .max).filter { $0.row <= throughRow }.map(\.row)) }
        try await pool.writeBatched { conn in
            for (meter, rows) in work { try ReadingBlocks.compact(meter: meter, rows: rows, conn) }
        }
        index.remove(meters: meters, throughRow: throughRow)
        readingWriter.forgetRows(meters: meters, throughRow: throughRow)
        return meters.count
    }

    /// Hands freed pages back to the file system (the database was created with incremental
    /// auto-vacuum), so compaction shrinks the file instead of only its content.
    public func releaseFreePages() async throws {
        try await pool.writeWithoutTransaction { conn in try conn.execute("PRAGMA incremental_vacuum") }
    }
}
