public import FoundationEssentials
internal import Metering
internal import SQLite

/// Consumption alerts and their monitored meters' states. Every change bumps the evaluator's
/// epoch through the schema's triggers, so ingest sees it with its next batch.
extension Store {
    /// The product's figure: meters a tenant may monitor at a time, across all its alerts.
    public static let maxMonitoredMeters = 5_000

    static let alertColumns = """
        a.id, a.public_id, a.name, a.register, a.limit_value, a.period, m.public_id, a.group_ref, a.starts_at, a.ends_at,
        a.version, a.created_at, a.updated_at,
        (SELECT count(*) FROM consumption_alert_meters s WHERE s.alert_id = a.id AND s.state = 1),
        EXISTS (SELECT 1 FROM consumption_alert_meters s WHERE s.alert_id = a.id AND s.state = 2)
        """
    static let alertFrom = "consumption_alerts a LEFT JOIN meters m ON m.id = a.meter_id"

    static func alert(_ row: Row) -> ConsumptionAlertRecord {
        let group: String? = row[7]
        let target: AlertTarget = if let group, let selector = GroupSelector(parameter: group) {
            .group(selector)
        } else {
            .meter(UUID(uuidString: row.isNull(6) ? "" : row.string(6)) ?? UUID())
        }
        let definition = ConsumptionAlertDefinition(
            name: row.string(2), register: Register(rawValue: UInt8(clamping: row.int64(3))) ?? .heatEnergyKWh,
            limit: row.double(4), period: AlertPeriod(rawValue: row.string(5)) ?? .day, target: target,
            start: row.int64(8), end: row[9])
        let triggered = row.int(13)
        return ConsumptionAlertRecord(
            rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), definition: definition, groupParameter: group,
            state: triggered > 0 ? .triggered : row.bool(14) ? .reset : .active, triggeredMeters: triggered,
            revision: row.int(10), createdAt: date(row.int64(11)), updatedAt: date(row.int64(12)))
    }

    static func alertPath(_ id: UUID) -> String { "/v1/consumption-alerts/\(id.uuidString.lowercased())" }

    public func consumptionAlerts(tenant: Int64, state: AlertMeterState?, limit: Int,
                                  cursor: String?) async throws -> Page<ConsumptionAlertRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        let filter = switch state {
        case nil: ""
        case .triggered?: " AND EXISTS (SELECT 1 FROM consumption_alert_meters s WHERE s.alert_id = a.id AND s.state = 1)"
        case .reset?: """
             AND NOT EXISTS (SELECT 1 FROM consumption_alert_meters s WHERE s.alert_id = a.id AND s.state = 1)
             AND EXISTS (SELECT 1 FROM consumption_alert_meters s WHERE s.alert_id = a.id AND s.state = 2)
            """
        case .active?: " AND NOT EXISTS (SELECT 1 FROM consumption_alert_meters s WHERE s.alert_id = a.id AND s.state IN (1, 2))"
        }
        return try await pool.read { conn in
            var rows: [(ConsumptionAlertRecord, Int64)] = []
            try conn.query("""
                SELECT \(Store.alertColumns) FROM \(Store.alertFrom) WHERE a.tenant_id = ? AND a.id > ?\(filter) ORDER BY a.id LIMIT ?
                """, [tenant, after, limit + 1]) { row in rows.append((Store.alert(row), row.int64(0))) }
            return Store.page(rows, limit: limit)
        }
    }

    public func consumptionAlert(tenant: Int64, id: UUID) async throws -> ConsumptionAlertRecord {
        try await pool.read { conn in try Store.alert(tenant: tenant, id: id, conn) }
    }

    static func alert(tenant: Int64, id: UUID, _ conn: Connection) throws -> ConsumptionAlertRecord {
        var found: ConsumptionAlertRecord?
        try conn.query("SELECT \(alertColumns) FROM \(alertFrom) WHERE a.tenant_id = ? AND a.public_id = ?",
                       [tenant, id.uuidString.lowercased()]) { found = alert($0) }
        guard let found else { throw StoreError.notFound("consumption alert") }
        return found
    }

    /// notFound for a meter or group that is not the tenant's; 409 beyond `maxMonitoredMeters`.
    public func createConsumptionAlert(tenant: Int64, _ definition: ConsumptionAlertDefinition,
                                       audit: AuditEntry) async throws -> ConsumptionAlertRecord {
        try await pool.write { conn in
            let (meter, group) = try Store.alertTarget(tenant: tenant, definition.target, conn)
            try Store.checkMonitoredMeters(tenant: tenant, adding: definition, replacing: nil, conn)
            let id = UUID()
            let now = Store.now()
            _ = try conn.execute("""
                INSERT INTO consumption_alerts (public_id, tenant_id, name, register, limit_value, period, meter_id, group_ref,
                    starts_at, ends_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [id.uuidString.lowercased(), tenant, definition.name, Int64(definition.register.rawValue), definition.limit,
                      definition.period.rawValue, meter, group, definition.start, definition.end, now, now])
            var entry = audit
            entry.target = Store.alertPath(id)
            try Store.insertAudit(entry, tenant: tenant, conn)
            return try Store.alert(tenant: tenant, id: id, conn)
        }
    }

    /// Replaces the definition. The monitored meters' states stay when only the name, limit or
    /// dates change; a new register, period or target starts monitoring afresh.
    public func replaceConsumptionAlert(tenant: Int64, id: UUID, _ definition: ConsumptionAlertDefinition, ifVersion: Int?,
                                        audit: AuditEntry) async throws -> ConsumptionAlertRecord {
        try await pool.write { conn in
            let current = try Store.alert(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            let (meter, group) = try Store.alertTarget(tenant: tenant, definition.target, conn)
            try Store.checkMonitoredMeters(tenant: tenant, adding: definition, replacing: current.rowID, conn)
            let old = current.definition
            if old.register != definition.register || old.period != definition.period || old.target != definition.target {
                _ = try conn.execute("DELETE FROM consumption_alert_meters WHERE alert_id = ?", [current.rowID])
            }
            _ = try conn.execute("""
                UPDATE consumption_alerts SET name = ?, register = ?, limit_value = ?, period = ?, meter_id = ?, group_ref = ?,
                    starts_at = ?, ends_at = ?, version = version + 1, updated_at = ? WHERE id = ?
                """, [definition.name, Int64(definition.register.rawValue), definition.limit, definition.period.rawValue, meter,
                      group, definition.start, definition.end, Store.now(), current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.alert(tenant: tenant, id: id, conn)
        }
    }

    public func deleteConsumptionAlert(tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let current = try Store.alert(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            _ = try conn.execute("DELETE FROM consumption_alert_meters WHERE alert_id = ?", [current.rowID])
            _ = try conn.execute("DELETE FROM consumption_alerts WHERE id = ?", [current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    /// Resets the triggered meters (all, or the one given; notFound when it is not a meter of
    /// the tenant). Returns how many were reset.
    public func resetConsumptionAlert(tenant: Int64, id: UUID, meter: UUID?, audit: AuditEntry) async throws -> Int {
        try await pool.write { conn in
            let current = try Store.alert(tenant: tenant, id: id, conn)
            let meterRow = try meter.map { try Store.liveMeter(tenant: tenant, id: $0, what: "meter", conn).rowID }
            let count = try conn.execute("""
                UPDATE consumption_alert_meters SET state = 2, reset_at = ?
                WHERE alert_id = ? AND state = 1 AND (? IS NULL OR meter_id = ?)
                """, [Store.now(), current.rowID, meterRow, meterRow])
            // The evaluator holds states in memory: tell it through the epoch.
            _ = try conn.execute("UPDATE consumption_alert_epoch SET epoch = epoch + 1")
            var entry = audit
            entry.details = #"{"reset":\#(count)}"#
            try Store.insertAudit(entry, tenant: tenant, conn)
            return count
        }
    }

    /// The alert's monitored meters (its meter, or its group's current members) with their
    /// states, in meter row order.
    public func consumptionAlertMeters(tenant: Int64, id: UUID, state: AlertMeterState?, limit: Int,
                                       cursor: String?) async throws -> Page<AlertMeterRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        return try await pool.read { conn in
            let alert = try Store.alert(tenant: tenant, id: id, conn)
            let sql: String, bindings: [(any Bindable)?]
            do {
                (sql, bindings) = try Store.monitoredMetersSQL(tenant: tenant, alert.definition.target, conn)
            } catch StoreError.notFound {
                return Page(items: [], nextCursor: nil)  // its group was deleted: nothing is monitored
            }
            var rows: [(AlertMeterRecord, Int64)] = []
            let stateFilter = state.map { " AND coalesce(s.state, 0) = \($0.rawValue)" } ?? ""
            try conn.query("""
                SELECT m.id, m.public_id, coalesce(s.state, 0), s.period_start, s.consumption, s.triggered_at, s.reset_at
                FROM meters m LEFT JOIN consumption_alert_meters s ON s.alert_id = ?1 AND s.meter_id = m.id
                WHERE m.id > ?2 AND m.id IN (\(GroupSelector.numbered(sql, from: 3)))\(stateFilter)
                ORDER BY m.id LIMIT \(limit + 1)
                """, [alert.rowID, after] + bindings) { row in
                let period: Int64? = row[3], triggered: Int64? = row[5], reset: Int64? = row[6]
                rows.append((AlertMeterRecord(
                    meterID: UUID(uuidString: row.string(1)) ?? UUID(), state: AlertMeterState(rawValue: row.int64(2)) ?? .active,
                    periodStart: period.map { Date(timeIntervalSince1970: Double($0)) }, consumption: row[4],
                    triggeredAt: triggered.map(Store.date), resetAt: reset.map(Store.date)), row.int64(0)))
            }
            return Store.page(rows, limit: limit)
        }
    }

    /// The target's columns: the meter's row id, or the group's parameter spelling (checked).
    static func alertTarget(tenant: Int64, _ target: AlertTarget, _ conn: Connection) throws -> (meter: Int64?, group: String?) {
        switch target {
        case .meter(let id):
            return (try liveMeter(tenant: tenant, id: id, what: "meter", conn).rowID, nil)
        case .group(let selector):
            _ = try selector.condition(tenant: tenant, conn)
            if case .group(let id) = selector { return (nil, id.uuidString.lowercased()) }
            return (nil, selector.virtualName)
        }
    }

    /// A SELECT of the row ids of the meters a target monitors now (anonymous `?` bindings).
    static func monitoredMetersSQL(tenant: Int64, _ target: AlertTarget, _ conn: Connection) throws -> (String, [(any Bindable)?]) {
        switch target {
        case .meter(let id):
            return ("SELECT id FROM meters WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                    [tenant, id.uuidString.lowercased()])
        case .group(let selector):
            let condition = try selector.condition(tenant: tenant, conn)
            return ("SELECT m.id FROM meters m WHERE m.tenant_id = ? AND m.deleted_at IS NULL AND " + condition.sql,
                    [tenant] + condition.bindings)
        }
    }

    /// 409 when the tenant's running alerts, with this one, would monitor more than
    /// `maxMonitoredMeters` distinct meters (a group counts its current members).
    static func checkMonitoredMeters(tenant: Int64, adding definition: ConsumptionAlertDefinition, replacing: Int64?,
                                     _ conn: Connection) throws {
        let nowSeconds = Store.now() / 1000
        if let end = definition.end, end <= nowSeconds { return }
        var meters = Set<Int64>()
        var groups: [GroupSelector] = []
        if case .group(let selector) = definition.target { groups.append(selector) }
        try conn.query("""
            SELECT a.meter_id, a.group_ref FROM consumption_alerts a LEFT JOIN meters m ON m.id = a.meter_id
            WHERE a.tenant_id = ? AND a.id <> ? AND (a.ends_at IS NULL OR a.ends_at > ?)
              AND (a.group_ref IS NOT NULL OR m.deleted_at IS NULL)
            """, [tenant, replacing ?? 0, nowSeconds]) { row in
            if let group: String = row[1] {
                if let selector = GroupSelector(parameter: group), !groups.contains(selector) { groups.append(selector) }
            } else {
                meters.insert(row.int64(0))
            }
        }
        if case .meter(let id) = definition.target {
            meters.insert(try liveMeter(tenant: tenant, id: id, what: "meter", conn).rowID)
        }
        for selector in groups {
            let sql: String, bindings: [(any Bindable)?]
            do {
                (sql, bindings) = try monitoredMetersSQL(tenant: tenant, .group(selector), conn)
            } catch StoreError.notFound {
                continue  // a deleted group monitors nothing
            }
            try conn.query(sql, bindings) { meters.insert($0.int64(0)) }
        }
        guard meters.count <= maxMonitoredMeters else {
            throw StoreError.conflict("""
                A tenant may monitor at most \(maxMonitoredMeters) meters with consumption alerts at a time; with this alert its \
                running alerts would monitor \(meters.count).
                """)
        }
    }
}
