internal import FoundationEssentials
internal import Metering
internal import SQLite
internal import Synchronization

/// Ingest's side of the writer connection: turns decoded telegrams into readings, receptions
/// and heard-meter figures inside the group-commit transaction.
///
/// The same transmission heard by two units, or repeated by linkIQ-style redundancy, carries
/// the same values: a reading whose values equal the meter's latest one within
/// `duplicateWindow` seconds is that reading again (one more reception), not a new reading.
/// The latest reading per meter is cached; only the writer touches the cache, so its lock
/// is never contended. A failed transaction clears it (it is only a cache of the database).
final class ReadingWriter: Sendable {
    static let duplicateWindow: Int64 = 120

    struct Latest {
        /// Nil once the compactor moved the reading into a block: a late duplicate of it is
        /// still recognised, but its reception is then not counted on the reading.
        var rowID: Int64?
        var time: Int64
        var data: [UInt8]
    }

    private let latest = Mutex<[Int64: Latest]>([:])
    /// The info codes last written to each meter's row, so the row is written only on a change.
    private let writtenInfo = Mutex<[Int64: String]>([:])
    let index: ReadingLogIndex
    /// Consumption alerts, evaluated on each new reading in the same transaction.
    let alerts: ConsumptionAlertMonitor

    init(index: ReadingLogIndex) {
        self.index = index
        alerts = ConsumptionAlertMonitor(index: index)
    }

    /// After a failed transaction: the cache and the log index may name rows that never committed.
    /// The index is rebuilt on the writer connection, after every batch queued before it: a
    /// reader's snapshot could miss a batch committing meanwhile, whose rows would then never
    /// be listed or compacted.
    func reset(_ pool: DatabasePool) async {
        latest.withLock { $0.removeAll(keepingCapacity: true) }
        writtenInfo.withLock { $0.removeAll(keepingCapacity: true) }
        alerts.reset()
        let index = index
        try? await pool.write { conn in try index.rebuild(conn) }
    }

    /// After compaction: cached rows of these meters now live in blocks.
    func forgetRows(meters: [Int64], throughRow row: Int64) {
        latest.withLock { cache in
            for meter in meters {
                if let id = cache[meter]?.rowID, id <= row { cache[meter]?.rowID = nil }
            }
        }
    }

    func apply(readings: [IngestReading], pending: [PendingTelegram], resolved: [Int64],
               _ conn: Connection) throws -> [IngestOutcome] {
        var outcomes: [IngestOutcome] = []
        outcomes.reserveCapacity(readings.count)
        var heard: [HeardKey: HeardFigures] = [:]
        // Each meter's info codes as the readings of this batch move them on, in reading order.
        var infoNow: [Int64: String] = [:]
        let now = Store.now()
        let insert = try conn.cachedStatement("INSERT INTO reading_log (meter_id, time, source, receptions, data) VALUES (?, ?, ?, 1, ?)")
        let event = try conn.cachedStatement(Store.insertEventSQL)
        let readInfo = try conn.cachedStatement("SELECT active_info_codes FROM meters WHERE id = ?")
        let bump = try conn.cachedStatement("UPDATE reading_log SET receptions = receptions + 1 WHERE id = ?")
        let merge = try conn.cachedStatement("UPDATE reading_log SET receptions = receptions + 1, data = ? WHERE id = ?")
        if !readings.isEmpty { try alerts.beginBatch(conn) }
        try latest.withLock { cache in
            for r in readings {
                let last = try cache[r.meter] ?? loadLatest(meter: r.meter, conn)
                if let last, abs(r.time - last.time) <= Self.duplicateWindow, last.data == r.data {
                    if let row = last.rowID {
                        try bump.bind(row, at: 1)
                        _ = try bump.step()
                        bump.reset()
                    }
                    outcomes.append(.duplicate)
                } else if let last, let row = last.rowID, r.time == last.time {
                    // A partial telegram (alarm or hourly package) of the same second: one reading.
                    let merged = Self.merge(last.data, r.data)
                    try merge.bind(merged, at: 1)
                    try merge.bind(row, at: 2)
                    _ = try merge.step()
                    merge.reset()
                    cache[r.meter] = Latest(rowID: row, time: last.time, data: merged)
                    try alerts.observe(tenant: r.tenant, meter: r.meter, time: r.time, data: merged, previous: nil, conn)
                    outcomes.append(.stored)
                } else {
                    try insert.bind(r.meter, at: 1)
                    try insert.bind(r.time, at: 2)
                    try insert.bind(Int64(r.source.rawValue), at: 3)
                    try insert.bind(r.data, at: 4)
                    _ = try insert.step()
                    insert.reset()
                    let row = conn.lastInsertRowID
                    index.add(meter: r.meter, time: r.time, row: row)
                    if last == nil || r.time >= last!.time {
                        cache[r.meter] = Latest(rowID: row, time: r.time, data: r.data)
                    }
                    // Only a new row is a new reading: a duplicate or a same-second merge is not.
                    try Self.append(event, tenant: r.tenant, .readingCreated, time: now, subject: r.meter,
                                    data: EventPayload.reading(time: r.time, source: r.source, data: r.data))
                    try alerts.observe(tenant: r.tenant, meter: r.meter, time: r.time, data: r.data,
                                       previous: last.map { ($0.time, $0.data) }, conn)
                    outcomes.append(.stored)
                }
                heard[HeardKey(unit: r.unit, meter: r.meter), default: HeardFigures()].add(r.receivedAt, r.rssi)
                let before = try infoNow[r.meter] ?? writtenCodes(meter: r.meter, readInfo)
                if before != r.infoCodes {
                    try Self.appendInfoEvents(event, tenant: r.tenant, meter: r.meter, from: before, to: r.infoCodes, time: now)
                    try InfoCodeOccurrenceWriter.apply(r, from: before, previousReading: last?.time, conn)
                }
                infoNow[r.meter] = r.infoCodes
            }
        }
        try Store.upsertHeard(heard.map { key, f in
            HeardUpdate(unit: key.unit, meter: key.meter, firstHeard: f.first, lastHeard: f.last, lastRssi: f.lastRSSI.map(Int64.init),
                        rssiSum: f.rssiSum, rssiCount: f.rssiCount, count: f.count)
        }, conn)
        let info = try conn.cachedStatement("UPDATE meters SET active_info_codes = ? WHERE id = ? AND active_info_codes <> ?")
        let changed = writtenInfo.withLock { written in
            infoNow.filter { meter, codes in
                guard written[meter] != codes else { return false }
                written[meter] = codes
                return true
            }
        }
        for (meter, codes) in changed {
            try info.bind(codes, at: 1)
            try info.bind(meter, at: 2)
            try info.bind(codes, at: 3)
            _ = try info.step()
            info.reset()
        }
        try Self.insertPending(pending, conn)
        let delete = try conn.cachedStatement("DELETE FROM pending_telegrams WHERE id = ?")
        for id in resolved {
            try delete.bind(id, at: 1)
            _ = try delete.step()
            delete.reset()
        }
        return outcomes
    }

    /// The info codes the meter's row holds, read once per meter and then kept (only this
    /// writer changes them).
    private func writtenCodes(meter: Int64, _ select: Statement) throws -> String {
        if let codes = writtenInfo.withLock({ $0[meter] }) { return codes }
        try select.bind(meter, at: 1)
        defer { select.reset() }
        let codes = try select.step() ? select.string(0) : ""
        writtenInfo.withLock { $0[meter] = codes }
        return codes
    }

    private static func append(_ statement: Statement, tenant: Int64, _ type: EventType, time: Int64, subject: Int64,
                               data: [UInt8]) throws {
        try statement.bind(tenant, at: 1)
        try statement.bind(type.code, at: 2)
        try statement.bind(time, at: 3)
        try statement.bind(subject, at: 4)
        try statement.bind(data, at: 5)
        _ = try statement.step()
        statement.reset()
    }

    /// One event per code raised or cleared; the sets are the comma-separated normalised names.
    private static func appendInfoEvents(_ statement: Statement, tenant: Int64, meter: Int64, from old: String, to new: String,
                                         time: Int64) throws {
        let before = old.isEmpty ? [] : old.split(separator: ",")
        let after = new.isEmpty ? [] : new.split(separator: ",")
        for code in after where !before.contains(code) {
            try append(statement, tenant: tenant, .infoCodeRaised, time: time, subject: meter, data: Array(code.utf8))
        }
        for code in before where !after.contains(code) {
            try append(statement, tenant: tenant, .infoCodeCleared, time: time, subject: meter, data: Array(code.utf8))
        }
    }

    private func loadLatest(meter: Int64, _ conn: Connection) throws -> Latest? {
        var found: Latest?
        if let entry = index.latest(meter: meter) {
            try conn.query("SELECT data FROM reading_log WHERE id = ? AND meter_id = ?", [entry.row, meter]) { row in
                found = Latest(rowID: entry.row, time: entry.time, data: row.blob(0))
            }
            if found != nil { return found }
        }
        guard let last = try ReadingBlocks.last(meter: meter, conn) else { return nil }
        return Latest(rowID: nil, time: last.time, data: ReadingCodec.encode(last.reading))
    }

    private static func merge(_ old: [UInt8], _ new: [UInt8]) -> [UInt8] {
        guard let a = try? ReadingCodec.decode(old), let b = try? ReadingCodec.decode(new) else { return new }
        return ReadingCodec.encode(a.merging(b))
    }

    static func insertPending(_ pending: [PendingTelegram], _ conn: Connection) throws {
        guard !pending.isEmpty else { return }
        let statement = try conn.cachedStatement("""
            INSERT INTO pending_telegrams (public_id, unit_id, tenant_id, kind, manufacturer, serial, wmbus_version, device_type,
                frame, received_at, rssi, reason, detail, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let now = Store.now()
        for p in pending {
            try statement.bind([UUID().uuidString.lowercased(), p.unit, p.tenant, p.kind, p.manufacturer, p.serial, p.version, p.deviceType,
                                p.frame, p.receivedAt, p.rssi, p.reason, p.detail, now])
            _ = try statement.step()
            statement.reset()
        }
    }

    struct HeardKey: Hashable {
        var unit: Int64
        var meter: Int64
    }

    struct HeardFigures {
        var first = Int64.max
        var last = Int64.min
        var lastRSSI: Int?
        var rssiSum: Int64 = 0
        var rssiCount: Int64 = 0
        var count: Int64 = 0

        mutating func add(_ time: Int64, _ rssi: Int?) {
            first = min(first, time)
            if time >= last {
                last = time
                if let rssi { lastRSSI = rssi }
            }
            if let rssi {
                rssiSum += Int64(rssi)
                rssiCount += 1
            }
            count += 1
        }
    }
}
