public import FoundationEssentials
internal import Metering
internal import SQLite

/// Meter exchanges: the old meter leaves a metering point and the new one takes its place, in
/// one transaction with the installations, groups, priority flag, feed event and audit.
/// `exchanged_at` is Unix seconds like the installations it splits; `created_at` milliseconds.
extension Store {
    /// How far ahead of this server's clock an exchange may be dated (clock skew of the reporter).
    static let exchangeSkew: Int64 = 300

    static let exchangeSelect = """
        SELECT e.id, e.public_id, p.public_id, mo.public_id, mn.public_id, e.exchanged_at, e.old_final, e.new_start, e.created_at
        FROM meter_exchanges e JOIN metering_points p ON p.id = e.metering_point_id
        JOIN meters mo ON mo.id = e.old_meter_id JOIN meters mn ON mn.id = e.new_meter_id
        """

    static func exchange(_ row: Row) -> MeterExchangeRecord {
        MeterExchangeRecord(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(),
                            meteringPointID: UUID(uuidString: row.string(2)) ?? UUID(),
                            oldMeterID: UUID(uuidString: row.string(3)) ?? UUID(),
                            newMeterID: UUID(uuidString: row.string(4)) ?? UUID(),
                            exchangedAt: Date(timeIntervalSince1970: Double(row.int64(5))),
                            oldFinal: registerValues(row.isNull(6) ? nil : row.blob(6)),
                            newStart: registerValues(row.isNull(7) ? nil : row.blob(7)), createdAt: date(row.int64(8)))
    }

    static func exchangePath(_ id: UUID) -> String { "/v1/meter-exchanges/\(id.uuidString.lowercased())" }

    /// Records the exchange. notFound for a meter that is not the tenant's (live); conflict when
    /// the old meter is not installed or the new one is; invalid for the same meter twice or a
    /// time in the future, before the old installation or before the new meter's last removal.
    public func exchangeMeter(tenant: Int64, _ request: MeterExchangeRequest, audit: AuditEntry) async throws -> MeterExchangeRecord {
        guard request.oldMeterID != request.newMeterID else {
            throw InvalidField("/newMeterId", "is the old meter; an exchange puts in another meter")
        }
        let at = Int64(request.exchangedAt.timeIntervalSince1970.rounded(.down))
        // Streams and long polls of the event feed wake on the commit, not on their next re-check.
        defer { eventsCommitted.signal() }
        return try await pool.write { conn in
            let now = Store.now()
            let old = try Store.liveMeter(tenant: tenant, id: request.oldMeterID, what: "meter (oldMeterId)", conn)
            let new = try Store.liveMeter(tenant: tenant, id: request.newMeterID, what: "meter (newMeterId)", conn)
            guard at <= now / 1000 + Store.exchangeSkew else {
                throw InvalidField("/exchangedAt", "is in the future")
            }
            guard let installation = try Store.openInstallation(meter: old.rowID, conn) else {
                throw StoreError.conflict("The old meter is not installed on a metering point.")
            }
            guard at >= installation.since else {
                throw InvalidField("/exchangedAt", "is before the old meter was installed (\(Store.rfc3339(installation.since)))")
            }
            if try Store.openInstallation(meter: new.rowID, conn) != nil {
                throw StoreError.conflict("The new meter is installed on a metering point; remove it there first.")
            }
            if let removed: Int64 = try conn.scalar("SELECT max(removed_at) FROM installations WHERE meter_id = ?", [new.rowID]),
               at < removed {
                throw InvalidField("/exchangedAt", "is before the new meter was last removed (\(Store.rfc3339(removed)))")
            }
            let point = installation.point
            let oldFinal = Store.encoded(request.oldFinal)
            let newStart = Store.encoded(request.newStart)
            try Store.closeInstallation(meter: old.rowID, at: at, finalValues: oldFinal, conn)
            try Store.openInstallation(meter: new.rowID, point: point, at: at, startValues: newStart, conn)
            // The priority flag (at most 50 a tenant) moves with the place; a removed meter needs no 5-minute data.
            try conn.execute("""
                UPDATE meters SET lifecycle = 'installed', metering_point_id = ?,
                    priority_since = coalesce(priority_since, (SELECT priority_since FROM meters WHERE id = ?)),
                    version = version + 1, updated_at = ? WHERE id = ?
                """, [point, old.rowID, now, new.rowID])
            try conn.execute("""
                UPDATE meters SET lifecycle = 'removed', metering_point_id = NULL, priority_since = NULL,
                    version = version + 1, updated_at = ? WHERE id = ?
                """, [now, old.rowID])
            // The new meter joins the old one's groups; the old one stays in them for its history.
            try conn.execute("""
                INSERT OR IGNORE INTO group_members (group_id, meter_id, added_at)
                SELECT group_id, ?, ? FROM group_members WHERE meter_id = ?
                """, [new.rowID, now, old.rowID])
            let id = Store.newPublicID()
            try conn.execute("""
                INSERT INTO meter_exchanges (public_id, tenant_id, metering_point_id, old_meter_id, new_meter_id, exchanged_at,
                    old_final, new_start, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [id, tenant, point, old.rowID, new.rowID, at, oldFinal, newStart, now])
            let rowID = conn.lastInsertRowID
            try Store.appendEvent(tenant: tenant, .meterExchanged, time: now, subject: point, data: Array(id.utf8), conn)
            var found: MeterExchangeRecord?
            try conn.query(Store.exchangeSelect + " WHERE e.id = ?", [rowID]) { found = Store.exchange($0) }
            guard let record = found else { throw StoreError.notFound("meter exchange") }
            var entry = audit
            entry.target = Store.exchangePath(record.id)
            entry.details = #"{"meteringPointId":"\#(record.meteringPointID.uuidString.lowercased())","oldMeterId":"\#(old.publicID)","newMeterId":"\#(new.publicID)"}"#
            try Store.insertAudit(entry, tenant: tenant, conn)
            return record
        }
    }

    public func meterExchange(tenant: Int64, id: UUID) async throws -> MeterExchangeRecord {
        try await pool.read { conn in
            var found: MeterExchangeRecord?
            try conn.query(Store.exchangeSelect + " WHERE e.tenant_id = ? AND e.public_id = ?",
                           [tenant, id.uuidString.lowercased()]) { found = Store.exchange($0) }
            guard let found else { throw StoreError.notFound("meter exchange") }
            return found
        }
    }

    /// Ordered by time, then id; `from` inclusive, `to` exclusive. The cursor carries both keys.
    public func meterExchanges(tenant: Int64, from: Date?, to: Date?, meteringPoint: UUID?, limit: Int,
                               cursor: String?) async throws -> Page<MeterExchangeRecord> {
        let after = try Store.exchangeCursor(cursor)
        let lower = from.map { Int64($0.timeIntervalSince1970.rounded(.up)) } ?? Int64.min
        let upper = to.map { Int64($0.timeIntervalSince1970.rounded(.up)) } ?? Int64.max
        return try await pool.read { conn in
            var point: Int64?
            if let meteringPoint {
                point = try conn.scalar("SELECT id FROM metering_points WHERE tenant_id = ? AND public_id = ?",
                                        [tenant, meteringPoint.uuidString.lowercased()])
                if point == nil { throw StoreError.notFound("metering point") }
            }
            var rows: [MeterExchangeRecord] = []
            try conn.query(Store.exchangeSelect + """
                 WHERE e.tenant_id = ?1 AND e.exchanged_at >= ?2 AND e.exchanged_at < ?3
                   AND (?4 IS NULL OR e.metering_point_id = ?4) AND (e.exchanged_at, e.id) > (?5, ?6)
                 ORDER BY e.exchanged_at, e.id LIMIT ?7
                """, [tenant, lower, upper, point, after?.time ?? Int64.min, after?.id ?? 0, limit + 1]) { row in
                rows.append(Store.exchange(row))
            }
            guard rows.count > limit else { return Page(items: rows, nextCursor: nil) }
            let last = rows[limit - 1]
            let next = "c" + String(Int64(last.exchangedAt.timeIntervalSince1970), radix: 36) + "-" + String(last.rowID, radix: 36)
            return Page(items: Array(rows.prefix(limit)), nextCursor: next)
        }
    }

    /// `c<time>-<id>` in base 36 (times of exchanges are never before an installation, so not negative).
    static func exchangeCursor(_ cursor: String?) throws(StoreError) -> (time: Int64, id: Int64)? {
        guard let cursor else { return nil }
        let parts = cursor.dropFirst().split(separator: "-", omittingEmptySubsequences: false)
        guard cursor.hasPrefix("c"), parts.count == 2, let time = Int64(parts[0], radix: 36), let id = Int64(parts[1], radix: 36),
              time >= 0, id >= 0 else {
            throw StoreError.invalid("cursor")
        }
        return (time, id)
    }

    /// The tenant's live meter: row id and public id, or notFound naming `what`.
    static func liveMeter(tenant: Int64, id: UUID, what: String, _ conn: Connection) throws -> (rowID: Int64, publicID: String) {
        guard let row: Int64 = try conn.scalar("SELECT id FROM meters WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                                               [tenant, id.uuidString.lowercased()]) else {
            throw StoreError.notFound(what)
        }
        return (row, id.uuidString.lowercased())
    }

    static func rfc3339(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
    }
}
