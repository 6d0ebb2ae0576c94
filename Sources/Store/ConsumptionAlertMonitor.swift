internal import FoundationEssentials
// IANA zones need the ICU-backed TimeZone.
internal import FoundationInternationalization
internal import Metering
internal import SQLite
internal import Synchronization

/// Evaluates consumption alerts as readings commit, inside ingest's write transaction.
///
/// Everything it needs is held in memory and loaded lazily: each tenant's alerts and zone, the
/// members of group alerts, and per (alert, meter) the period's consumption (`PeriodConsumption`)
/// and the stored state. The database is read only when something is first needed (or after a
/// change) and written only when a meter's state changes (a trigger). Changes elsewhere reach it
/// through `consumption_alert_epoch`, which the schema's triggers bump; it is read once a batch.
/// Only the writer calls it, so its lock is never contended.
final class ConsumptionAlertMonitor: Sendable {
    struct Alert {
        var rowID: Int64
        var version: Int64
        /// The public id as the event's data (UTF-8).
        var publicID: [UInt8]
        var register: Register
        var limit: Double
        var period: AlertPeriod
        var start: Int64
        var end: Int64?
        var meter: Int64?
        var group: GroupSelector?
    }

    struct TenantAlerts {
        var zone: TimeZone
        var alerts: [Alert] = []
        /// Meter alerts by meter row id (indexes into `alerts`).
        var byMeter: [Int64: [Int]] = [:]
        /// Group alerts (indexes) and, once resolved, their members.
        var groupAlerts: [Int] = []
        var members: [Int: Set<Int64>] = [:]
    }

    struct Key: Hashable {
        var alert: Int64
        var meter: Int64
    }

    struct Tracker {
        var version: Int64
        var consumption: PeriodConsumption?
        var stateLoaded = false
        var state = AlertMeterState.active
        /// The period that last triggered (its start): at most one trigger per period.
        var triggeredPeriod: Int64?
    }

    /// A period's bounds are the same for every time in one UTC quarter hour (every zone's offset
    /// is a whole number of quarter hours), so they are computed once per tenant, period and
    /// quarter: asking the zone costs microseconds, a lookup nanoseconds.
    struct BoundsKey: Hashable {
        var tenant: Int64
        var period: AlertPeriod
        var quarter: Int64
    }

    private struct State {
        var epoch: Int64 = -1
        var bounds: [BoundsKey: Range<Int64>] = [:]
        var anyAlerts = false
        var tenants: [Int64: TenantAlerts] = [:]
        var trackers: [Key: Tracker] = [:]
    }

    private let state = Mutex(State())
    private let index: ReadingLogIndex

    init(index: ReadingLogIndex) {
        self.index = index
    }

    /// After a failed transaction: states in memory may never have committed.
    func reset() {
        state.withLock { $0 = State() }
    }

    /// Once per write batch: reloads what changed since the last one.
    func beginBatch(_ conn: Connection) throws {
        let statement = try conn.cachedStatement("SELECT epoch FROM consumption_alert_epoch WHERE id = 1")
        defer { statement.reset() }
        let epoch = try statement.step() ? statement.int64(0) : 0
        try state.withLock { s in
            guard s.epoch != epoch else { return }
            var versions: [Int64: Int64] = [:]
            try conn.query("SELECT id, version FROM consumption_alerts") { versions[$0.int64(0)] = $0.int64(1) }
            s.trackers = s.trackers.filter { versions[$0.key.alert] == $0.value.version }
            for key in s.trackers.keys { s.trackers[key]?.stateLoaded = false }
            s.tenants.removeAll(keepingCapacity: true)
            s.bounds.removeAll(keepingCapacity: true)
            s.anyAlerts = !versions.isEmpty
            s.epoch = epoch
        }
    }

    /// Evaluates one reading (`data`: ReadingCodec bytes) of a meter. `previous` is the meter's
    /// latest reading before this one, when the writer knows it.
    func observe(tenant: Int64, meter: Int64, time: Int64, data: [UInt8], previous: (time: Int64, data: [UInt8])?,
                 _ conn: Connection) throws {
        try state.withLock { s in
            guard s.anyAlerts else { return }
            if s.tenants[tenant] == nil { s.tenants[tenant] = try Self.load(tenant: tenant, conn) }
            guard var alerts = s.tenants[tenant], !alerts.alerts.isEmpty else { return }
            var applicable = alerts.byMeter[meter] ?? []
            if !alerts.groupAlerts.isEmpty {
                for i in alerts.groupAlerts {
                    if alerts.members[i] == nil {
                        alerts.members[i] = try Self.members(tenant: tenant, alerts.alerts[i].group!, conn)
                        s.tenants[tenant] = alerts
                    }
                    if alerts.members[i]!.contains(meter) { applicable.append(i) }
                }
            }
            guard !applicable.isEmpty, let reading = try? ReadingCodec.decode(data) else { return }
            for i in applicable {
                let alert = alerts.alerts[i]
                guard let value = reading.values[alert.register], time >= alert.start, alert.end.map({ time < $0 }) ?? true
                else { continue }
                let key = Key(alert: alert.rowID, meter: meter)
                var tracker = s.trackers[key].flatMap { $0.version == alert.version ? $0 : nil } ?? Tracker(version: alert.version)
                if s.bounds.count > 100_000 { s.bounds.removeAll(keepingCapacity: true) }
                try evaluate(&tracker, alert, tenant: tenant, meter: meter, time: time, value: value, previous: previous,
                             zone: alerts.zone, bounds: &s.bounds, conn)
                s.trackers[key] = tracker
            }
        }
    }

    private func evaluate(_ tracker: inout Tracker, _ alert: Alert, tenant: Int64, meter: Int64, time: Int64, value: Double,
                          previous: (time: Int64, data: [UInt8])?, zone: TimeZone, bounds cache: inout [BoundsKey: Range<Int64>],
                          _ conn: Connection) throws {
        if !tracker.stateLoaded {
            let select = try conn.cachedStatement("SELECT state, period_start FROM consumption_alert_meters WHERE alert_id = ? AND meter_id = ?")
            defer { select.reset() }
            try select.bind(alert.rowID, at: 1)
            try select.bind(meter, at: 2)
            if try select.step() {
                tracker.state = AlertMeterState(rawValue: select.int64(0)) ?? .active
                tracker.triggeredPeriod = select.isNull(1) ? nil : select.int64(1)
            } else {
                tracker.state = .active
                tracker.triggeredPeriod = nil
            }
            tracker.stateLoaded = true
        }
        if let current = tracker.consumption, current.period.contains(time) {
            tracker.consumption!.add(time: time, value: value)
        } else {
            // A new period (or the first reading seen).
            let key = BoundsKey(tenant: tenant, period: alert.period, quarter: time >= 0 ? time / 900 : (time - 899) / 900)
            let known = cache[key]
            guard let bounds = known ?? alert.period.bounds(containing: key.quarter * 900, timeZone: zone) else { return }
            if known == nil { cache[key] = bounds }
            let period = max(bounds.lowerBound, alert.start)..<bounds.upperBound
            if var current = tracker.consumption {
                guard time >= current.period.upperBound else { return }  // a late reading of an earlier period
                current.advance(to: period)
                tracker.consumption = current
            } else {
                let base = try baseline(meter: meter, alert.register, atOrBefore: period.lowerBound, previous: previous, conn)
                    ?? firstReading(meter: meter, alert.register, from: period.lowerBound, through: time, conn)
                    ?? (time, value)
                tracker.consumption = PeriodConsumption(period: period, baseline: base.value, baselineTime: base.time)
            }
            tracker.consumption!.add(time: time, value: value)
        }
        guard let current = tracker.consumption, current.consumption > alert.limit, tracker.state != .triggered,
              tracker.triggeredPeriod != current.period.lowerBound else { return }
        let now = Store.now()
        let upsert = try conn.cachedStatement("""
            INSERT INTO consumption_alert_meters (alert_id, meter_id, state, period_start, consumption, triggered_at)
            VALUES (?1, ?2, 1, ?3, ?4, ?5)
            ON CONFLICT (alert_id, meter_id) DO UPDATE SET state = 1, period_start = ?3, consumption = ?4, triggered_at = ?5
            """)
        _ = try upsert.execute([alert.rowID, meter, current.period.lowerBound, current.consumption, now])
        try Store.appendEvent(tenant: tenant, .consumptionAlertTriggered, time: now, subject: meter, data: alert.publicID, conn)
        tracker.state = .triggered
        tracker.triggeredPeriod = current.period.lowerBound
    }

    /// The register at the period start: the meter's last reading at or before `t` that has it.
    private func baseline(meter: Int64, _ register: Register, atOrBefore t: Int64, previous: (time: Int64, data: [UInt8])?,
                          _ conn: Connection) throws -> (time: Int64, value: Double)? {
        // The writer's latest reading, when it is before the start, is the answer (nothing after it).
        if let previous, previous.time <= t, let value = (try? ReadingCodec.decode(previous.data))?.values[register] {
            return (previous.time, value)
        }
        var best: (time: Int64, value: Double)?
        let fetch = try conn.cachedStatement("SELECT data FROM reading_log WHERE id = ? AND meter_id = ?")
        for entry in index.entries(meter: meter, from: .min, to: t &+ 1).reversed().prefix(32) {
            defer { fetch.reset() }
            try fetch.bind(entry.row, at: 1)
            try fetch.bind(meter, at: 2)
            if try fetch.step(), let value = (try? ReadingCodec.decode(fetch.blob(0)))?.values[register] {
                best = (entry.time, value)
                break
            }
        }
        try conn.query("""
            SELECT first_time, data FROM reading_blocks WHERE meter_id = ? AND first_time <= ? ORDER BY first_time DESC LIMIT 2
            """, [meter, t]) { row in
            guard let entries = try? BlockCodec.decode(row.blob(1), firstTime: row.int64(0)) else { return }
            for entry in entries.reversed() where entry.time <= t {
                guard let value = entry.reading.values[register] else { continue }
                if entry.time > best?.time ?? .min { best = (entry.time, value) }
                break
            }
        }
        return best
    }

    /// Without a reading before the period: its first reading that has the register.
    private func firstReading(meter: Int64, _ register: Register, from start: Int64, through end: Int64,
                              _ conn: Connection) throws -> (time: Int64, value: Double)? {
        var best: (time: Int64, value: Double)?
        let fetch = try conn.cachedStatement("SELECT data FROM reading_log WHERE id = ? AND meter_id = ?")
        for entry in index.entries(meter: meter, from: start, to: end &+ 1).prefix(32) {
            defer { fetch.reset() }
            try fetch.bind(entry.row, at: 1)
            try fetch.bind(meter, at: 2)
            if try fetch.step(), let value = (try? ReadingCodec.decode(fetch.blob(0)))?.values[register] {
                best = (entry.time, value)
                break
            }
        }
        try conn.query("""
            SELECT first_time, data FROM reading_blocks WHERE meter_id = ? AND last_time >= ? AND first_time <= ?
            ORDER BY first_time LIMIT 2
            """, [meter, start, end]) { row in
            guard let entries = try? BlockCodec.decode(row.blob(1), firstTime: row.int64(0)) else { return }
            for entry in entries where entry.time >= start && entry.time <= end {
                guard let value = entry.reading.values[register] else { continue }
                if entry.time < best?.time ?? .max { best = (entry.time, value) }
                break
            }
        }
        return best
    }

    private static func load(tenant: Int64, _ conn: Connection) throws -> TenantAlerts {
        var zoneName = "UTC"
        try conn.query("SELECT time_zone FROM tenants WHERE id = ?", [tenant]) { zoneName = $0.string(0) }
        var out = TenantAlerts(zone: TimeZone(identifier: zoneName) ?? TimeZone(identifier: "UTC")!)
        try conn.query("""
            SELECT id, version, public_id, register, limit_value, period, meter_id, group_ref, starts_at, ends_at
            FROM consumption_alerts WHERE tenant_id = ? ORDER BY id
            """, [tenant]) { row in
            guard let register = Register(rawValue: UInt8(clamping: row.int64(3))), let period = AlertPeriod(rawValue: row.string(5))
            else { return }
            let group: String? = row[7]
            let alert = Alert(rowID: row.int64(0), version: row.int64(1), publicID: Array(row.string(2).utf8), register: register,
                              limit: row.double(4), period: period, start: row.int64(8), end: row[9], meter: row[6],
                              group: group.flatMap(GroupSelector.init(parameter:)))
            if let meter = alert.meter {
                out.byMeter[meter, default: []].append(out.alerts.count)
            } else if alert.group != nil {
                out.groupAlerts.append(out.alerts.count)
            }
            out.alerts.append(alert)
        }
        return out
    }

    private static func members(tenant: Int64, _ group: GroupSelector, _ conn: Connection) throws -> Set<Int64> {
        var members = Set<Int64>()
        do {
            let (sql, bindings) = try Store.monitoredMetersSQL(tenant: tenant, .group(group), conn)
            try conn.query(sql, bindings) { members.insert($0.int64(0)) }
        } catch StoreError.notFound {
            // The group was deleted: the alert monitors nothing.
        }
        return members
    }
}
