public import FoundationEssentials
public import SQLite

/// Which unit hears which meter: written by ingest in its group-commit transactions, read by the
/// installer's coverage and contact checks. A tenant only ever sees rows of its own meters, so a
/// shared unit never tells one tenant what it hears of another's.
extension Store {
    static let upsertHeardSQL = """
        INSERT INTO heard_meters (unit_id, meter_id, first_heard, last_heard, last_rssi, rssi_sum, rssi_count, count)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        ON CONFLICT (unit_id, meter_id) DO UPDATE SET
            first_heard = min(first_heard, excluded.first_heard),
            last_heard = max(last_heard, excluded.last_heard),
            last_rssi = CASE WHEN excluded.last_heard >= last_heard THEN coalesce(excluded.last_rssi, last_rssi) ELSE last_rssi END,
            rssi_sum = rssi_sum + excluded.rssi_sum,
            rssi_count = rssi_count + excluded.rssi_count,
            count = count + excluded.count
        """

    /// Adds a batch's receptions to the stored figures inside the caller's write transaction:
    /// first heard is the earliest, last heard and last RSSI come from the latest (a newer
    /// reception without RSSI keeps the previous one), sums and counts add up. One cached
    /// statement, bound per row without building arrays.
    public static func upsertHeard(_ rows: [HeardUpdate], _ conn: Connection) throws {
        guard !rows.isEmpty else { return }
        let statement = try conn.cachedStatement(upsertHeardSQL)
        for row in rows {
            try statement.bind(row.unit, at: 1)
            try statement.bind(row.meter, at: 2)
            try statement.bind(row.firstHeard, at: 3)
            try statement.bind(row.lastHeard, at: 4)
            if let rssi = row.lastRssi { try statement.bind(rssi, at: 5) } else { try statement.bindNull(at: 5) }
            try statement.bind(row.rssiSum, at: 6)
            try statement.bind(row.rssiCount, at: 7)
            try statement.bind(row.count, at: 8)
            try statement.execute()
        }
    }

    public enum HeardOrder: Sendable { case lastHeard, meter }

    /// The caller's meters the unit (owned or shared) hears. Cursors: `c<meter>` in meter
    /// order, `c<lastHeard>-<meter>` (base 36) most recent first.
    public func heardMeters(tenant: Int64, unit id: UUID, order: HeardOrder, limit: Int,
                            cursor: String?) async throws -> Page<HeardMeterRecord> {
        let position = try Store.heardCursor(cursor, order: order)
        return try await pool.read { conn in
            let unit = try Store.visibleUnit(tenant: tenant, id: id, conn)
            let select = """
                SELECT m.public_id, m.manufacturer, m.serial, h.first_heard, h.last_heard, h.last_rssi, h.rssi_sum,
                    h.rssi_count, h.count, h.meter_id
                FROM heard_meters h JOIN meters m ON m.id = h.meter_id
                WHERE h.unit_id = ?1 AND m.tenant_id = ?2 AND m.deleted_at IS NULL
                """
            let sql = switch order {
            case .meter: select + " AND h.meter_id > ?4 ORDER BY h.meter_id LIMIT ?5"
            case .lastHeard:
                select + " AND (h.last_heard < ?3 OR (h.last_heard = ?3 AND h.meter_id > ?4)) ORDER BY h.last_heard DESC, h.meter_id LIMIT ?5"
            }
            var items: [HeardMeterRecord] = []
            var last: (time: Int64, meter: Int64) = (0, 0)
            var more = false
            try conn.query(sql, [unit.rowID, tenant, position.time, position.meter, limit + 1]) { row in
                // The row beyond `limit` only tells that another page exists.
                guard items.count < limit else { more = true; return }
                let rssi: Int64? = row[5]
                let rssiCount = row.int64(7)
                items.append(HeardMeterRecord(meterID: UUID(uuidString: row.string(0)) ?? UUID(), manufacturer: row.string(1),
                                              serial: row.string(2), firstHeard: Store.seconds(row.int64(3)),
                                              lastHeard: Store.seconds(row.int64(4)), lastRSSI: rssi.map(Int.init),
                                              averageRSSI: rssiCount > 0 ? Double(row.int64(6)) / Double(rssiCount) : nil,
                                              count: row.int(8)))
                last = (row.int64(4), row.int64(9))
            }
            guard more else { return Page(items: items, nextCursor: nil) }
            let next = switch order {
            case .meter: Store.cursor(last.meter)
            case .lastHeard: Store.cursor(last.time) + "-" + String(last.meter, radix: 36)
            }
            return Page(items: items, nextCursor: next)
        }
    }

    /// Parses a heard-meters cursor for `order`; any other shape is a cursor we never gave out.
    static func heardCursor(_ cursor: String?, order: HeardOrder) throws(StoreError) -> (time: Int64, meter: Int64) {
        guard let cursor else { return (Int64.max, 0) }
        let parts = cursor.split(separator: "-", omittingEmptySubsequences: false)
        switch (order, parts.count) {
        case (.meter, 1):
            return (Int64.max, try rowID(fromCursor: cursor) ?? 0)
        case (.lastHeard, 2):
            guard let time = try rowID(fromCursor: String(parts[0])), let meter = Int64(parts[1], radix: 36), meter >= 0 else {
                throw StoreError.invalid("cursor")
            }
            return (time, meter)
        default:
            throw StoreError.invalid("cursor")
        }
    }

    /// Which of the caller's units (owned or shared) hear the caller's meter, in unit order.
    public func receptions(tenant: Int64, meter id: UUID, limit: Int, cursor: String?) async throws -> Page<ReceptionRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        return try await pool.read { conn in
            guard let meter: Int64 = try conn.scalar("SELECT id FROM meters WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                                                     [tenant, id.uuidString.lowercased()]) else {
                throw StoreError.notFound("meter")
            }
            var rows: [(ReceptionRecord, Int64)] = []
            try conn.query("""
                SELECT u.public_id, u.name, u.type, h.first_heard, h.last_heard, h.last_rssi, h.rssi_sum, h.rssi_count, h.count, u.id
                FROM heard_meters h JOIN collection_units u ON u.id = h.unit_id
                WHERE h.meter_id = ?2 AND h.unit_id > ?3 AND \(Store.visibleUnits)
                ORDER BY h.unit_id LIMIT ?4
                """, [tenant, meter, after, limit + 1]) { row in
                let rssi: Int64? = row[5]
                let rssiCount = row.int64(7)
                rows.append((ReceptionRecord(unitID: UUID(uuidString: row.string(0)) ?? UUID(), unitName: row.string(1),
                                             unitType: row.string(2), firstHeard: Store.seconds(row.int64(3)),
                                             lastHeard: Store.seconds(row.int64(4)), lastRSSI: rssi.map(Int.init),
                                             averageRSSI: rssiCount > 0 ? Double(row.int64(6)) / Double(rssiCount) : nil,
                                             count: row.int(8)), row.int64(9)))
            }
            return Store.page(rows, limit: limit)
        }
    }

    static func seconds(_ unix: Int64) -> Date { Date(timeIntervalSince1970: Double(unix)) }
}
