internal import FoundationEssentials
internal import Metering
internal import SQLite

extension Store {
    /// One page of the tenant's info-code occurrences (live meters only) in `sort` order.
    /// `severityRanks` ranks the codes for `severity` sorting (the catalogue lives in MBus,
    /// which the Store does not import); unranked codes rank 0. `historySince` (Unix seconds)
    /// is where each row's `history` starts. An unknown `filter.meter` or group is notFound.
    public func infoCodeOccurrences(tenant: Int64, filter: InfoCodeFilter, sort: InfoCodeSort, severityRanks: [String: Int],
                                    limit: Int, after: InfoCodeCursor?, historySince: Int64)
        async throws -> (items: [InfoCodeOccurrenceRecord], next: InfoCodeCursor?) {
        let index = readingIndex
        return try await pool.read { conn in
            let severity = Self.severityCase(severityRanks)
            var meter: Int64?
            if let id = filter.meter {
                meter = try conn.scalar("SELECT id FROM meters WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                                        [tenant, id.uuidString.lowercased()])
                if meter == nil { throw StoreError.notFound("meter") }
            }
            var bindings: [(any Bindable)?] = [tenant, filter.active, filter.code, meter, filter.from, filter.to, limit + 1]
            var condition = ""
            if let group = filter.group, group != .all {
                let c = try group.condition(tenant: tenant, conn)
                condition += " AND " + GroupSelector.numbered(c.sql, from: bindings.count + 1)
                bindings += c.bindings
            }
            let columns: [(sql: String, descending: Bool)] = sort.keys.map {
                ($0.key == .severity ? severity : "o.raised_at", $0.descending)
            } + [("o.id", sort.keys.last?.descending ?? true)]
            if let after {
                let values = sort.keys.map { $0.key == .severity ? after.severity : after.time } + [after.row]
                var alternatives: [String] = []
                for i in columns.indices {
                    var terms: [String] = []
                    for j in 0..<i {
                        bindings.append(values[j])
                        terms.append("\(columns[j].sql) = ?\(bindings.count)")
                    }
                    bindings.append(values[i])
                    terms.append("\(columns[i].sql) \(columns[i].descending ? "<" : ">") ?\(bindings.count)")
                    alternatives.append("(" + terms.joined(separator: " AND ") + ")")
                }
                condition += " AND (" + alternatives.joined(separator: " OR ") + ")"
            }
            let order = columns.map { "\($0.sql) \($0.descending ? "DESC" : "ASC")" }.joined(separator: ", ")
            var items: [InfoCodeOccurrenceRecord] = []
            var ranks: [Int64] = []
            try conn.query("""
                SELECT o.id, o.public_id, o.code, o.raw_bits, o.bits, o.raised_at, o.cleared_at, o.last_seen, m.id,
                       m.public_id, m.manufacturer, m.serial, p.address, \(severity)
                FROM info_code_occurrences o JOIN meters m ON m.id = o.meter_id
                LEFT JOIN metering_points p ON p.id = m.metering_point_id
                WHERE o.tenant_id = ?1 AND m.deleted_at IS NULL AND (?2 IS NULL OR (o.cleared_at IS NULL) = ?2)
                  AND (?3 IS NULL OR o.code = ?3) AND (?4 IS NULL OR o.meter_id = ?4)
                  AND (?5 IS NULL OR o.cleared_at IS NULL OR o.cleared_at > ?5) AND (?6 IS NULL OR o.raised_at < ?6)\(condition)
                ORDER BY \(order) LIMIT ?7
                """, bindings) { row in
                let item = InfoCodeOccurrenceRecord(
                    rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), code: row.string(2), rawBits: row[3],
                    bits: row.int64(4), raisedAt: row.int64(5), clearedAt: row[6], lastSeen: row.int64(7),
                    meterID: UUID(uuidString: row.string(9)) ?? UUID(), manufacturer: row.string(10), serial: row.string(11),
                    address: row[12], history: [], meterRowID: row.int64(8))
                items.append(item)
                ranks.append(row.int64(13))
            }
            var next: InfoCodeCursor?
            if items.count > limit {
                items.removeLast(items.count - limit)
                let last = items[limit - 1]
                next = InfoCodeCursor(severity: ranks[limit - 1], time: last.raisedAt, row: last.rowID)
            }
            try Self.completeInfoCodes(&items, since: historySince, index: index, conn)
            return (items, next)
        }
    }

    /// `CASE o.code WHEN 'leak' THEN 4 ... ELSE 0 END`. The codes are the catalogue's own
    /// (lowercase letters, digits, dashes); anything else is left out rather than quoted.
    static func severityCase(_ ranks: [String: Int]) -> String {
        let whens = ranks.sorted { $0.key < $1.key }.filter { entry in
            entry.key.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }.map { "WHEN '\($0.key)' THEN \($0.value)" }
        return whens.isEmpty ? "0" : "(CASE o.code " + whens.joined(separator: " ") + " ELSE 0 END)"
    }

    /// Fills `lastSeen` of active rows with the meter's latest reading time, and each row's
    /// history within the window: one query per meter of the page.
    private static func completeInfoCodes(_ items: inout [InfoCodeOccurrenceRecord], since: Int64, index: ReadingLogIndex,
                                          _ conn: Connection) throws {
        var latest: [Int64: Int64] = [:]
        var history: [Int64: [String: [InfoCodeHistory.Interval]]] = [:]
        for meter in Set(items.map(\.meterRowID)) {
            let blocked: Int64? = try conn.scalar("SELECT max(last_time) FROM reading_blocks WHERE meter_id = ?", [meter])
            latest[meter] = max(index.latest(meter: meter)?.time ?? .min, blocked ?? .min)
            var byCode: [String: [InfoCodeHistory.Interval]] = [:]
            try conn.query("""
                SELECT code, raised_at, cleared_at FROM info_code_occurrences
                WHERE meter_id = ? AND (cleared_at IS NULL OR cleared_at >= ?)
                """, [meter, since]) { row in
                byCode[row.string(0), default: []].append(InfoCodeHistory.Interval(raised: row.int64(1), cleared: row[2]))
            }
            history[meter] = byCode
        }
        for i in items.indices {
            let meter = items[i].meterRowID
            if items[i].clearedAt == nil, let time = latest[meter], time > items[i].lastSeen { items[i].lastSeen = time }
            items[i].history = history[meter]?[items[i].code] ?? []
        }
    }
}
