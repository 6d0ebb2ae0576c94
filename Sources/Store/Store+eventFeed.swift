internal import FoundationEssentials
internal import SQLite

extension Store {
    /// Rows one feed request examines at most: with a `types` filter that matches little, a page
    /// stops early and the position still moves on, so no request scans without bound.
    static let eventScanLimit = 10_000

    /// A tenant's events after `after` (a row id; nil: from the oldest kept), oldest first.
    ///
    /// No gaps behind a position: every write runs on the single writer connection, which
    /// assigns each row id (max + 1) inside its transaction, and a reader's snapshot holds whole
    /// transactions. So when a reader sees id N, every id below N has either committed before
    /// it (and is visible) or never will exist; an id above N cannot commit before N.
    /// Throws `.gone` when retention already removed events after `after`.
    public func events(tenant: Int64, after: Int64?, types: Set<EventType>?, limit: Int) async throws -> EventPage {
        try await pool.read { conn in
            var prunedThrough: Int64 = 0
            try conn.query("SELECT pruned_through FROM event_retention WHERE id = 1") { prunedThrough = $0.int64(0) }
            if let after, after < prunedThrough { throw StoreError.gone("cursor") }
            let start = after ?? prunedThrough
            var page = EventPage(items: [], position: start)
            page.items.reserveCapacity(min(limit, 256))
            let codes = types.map { Set($0.map(\.code)) }
            // Forward over the rowid from the cursor, every tenant's rows: the tenant and type
            // filters run here so the LIMIT bounds the rows examined, not the rows returned.
            let statement = try conn.cachedStatement(
                "SELECT id, tenant_id, type, time, data, subject_id FROM events WHERE id > ? ORDER BY id LIMIT ?")
            defer { statement.reset() }
            try statement.bind(start, at: 1)
            try statement.bind(Int64(Self.eventScanLimit), at: 2)
            var scanned = 0
            while try statement.step() {
                scanned += 1
                let id = statement.int64(0)
                page.position = id
                guard statement.int64(1) == tenant else { continue }
                let code = statement.int64(2)
                guard codes?.contains(code) ?? true, let type = EventType(code: code) else { continue }
                let subject: UUID? = statement.isNull(5) ? nil
                    : try Self.publicID(of: statement.int64(5), pointNotMeter: type.isAboutMeteringPoint, conn)
                page.items.append(EventRecord(
                    rowID: id, type: type, time: statement.int64(3),
                    meterID: type.isAboutMeteringPoint ? nil : subject,
                    meteringPointID: type.isAboutMeteringPoint ? subject : nil,
                    data: statement.isNull(4) ? [] : statement.blob(4)))
                if page.items.count == limit { break }
            }
            page.more = scanned == Self.eventScanLimit && page.items.count < limit
            return page
        }
    }

    /// The public id of an event's subject (a meter, or a metering point for `meter.exchanged`).
    static func publicID(of row: Int64, pointNotMeter: Bool, _ conn: Connection) throws -> UUID? {
        let statement = try conn.cachedStatement(pointNotMeter ? "SELECT public_id FROM metering_points WHERE id = ?"
                                                               : "SELECT public_id FROM meters WHERE id = ?")
        defer { statement.reset() }
        try statement.bind(row, at: 1)
        return try statement.step() ? UUID(uuidString: statement.string(0)) : nil
    }

    /// The newest event id of any tenant (0 when none): where a live-only stream starts.
    public func lastEventID() async throws -> Int64 {
        try await pool.read { conn in
            var id: Int64 = 0
            try conn.query("SELECT ifnull(max(id), 0) FROM events") { id = $0.int64(0) }
            return id
        }
    }

    /// Removes up to `batch` of the oldest events committed before `cutoff` (Unix milliseconds),
    /// never the newest one (so ids are never reused); returns how many went.
    public func pruneEvents(before cutoff: Int64, batch: Int) async throws -> Int {
        try await pool.write { conn in
            var last: Int64?
            try conn.query("""
                SELECT max(id) FROM (SELECT id, time FROM events ORDER BY id LIMIT ?)
                WHERE time < ? AND id < (SELECT max(id) FROM events)
                """, [Int64(batch), cutoff]) { row in last = row.isNull(0) ? nil : row.int64(0) }
            guard let last else { return 0 }
            let removed = try conn.execute("DELETE FROM events WHERE id <= ?", [last])
            _ = try conn.execute("UPDATE event_retention SET pruned_through = max(pruned_through, ?) WHERE id = 1", [last])
            return removed
        }
    }
}
