public import FoundationEssentials
internal import SQLite

extension Store {
    /// At most this many readings in one export; `truncated` tells when the window holds more.
    public static let customerExportReadingCap = 200_000
    /// The newest audit events naming the customer that an export holds.
    static let customerExportAuditCap = 10_000

    /// Everything held about a live customer: the record, the metering points naming it (deleted
    /// ones too: their data is still held), each point's installations with the meter, the
    /// readings of each installation inside `from..<to` (Unix seconds) and the audit events whose
    /// target is the customer. Installation and reading times are both Unix seconds.
    public func customerExport(tenant: Int64, id: UUID, from: Int64, to: Int64) async throws -> CustomerExportRecord {
        let (skeleton, meters) = try await pool.read { conn in try Store.customerExportSkeleton(tenant: tenant, id: id, conn) }
        var export = skeleton
        var remaining = Store.customerExportReadingCap
        for p in export.points.indices {
            for i in export.points[p].installations.indices {
                let installation = export.points[p].installations[i]
                let start = max(from, Int64(installation.installedAt.timeIntervalSince1970))
                let end = min(to, installation.removedAt.map { Int64($0.timeIntervalSince1970) } ?? Int64.max)
                guard start < end, !export.truncated else { continue }
                let rows = try await readings(meter: meters[p][i], from: start, to: end, after: nil, limit: remaining + 1)
                if rows.count > remaining { export.truncated = true }
                export.points[p].installations[i].readings = Array(rows.prefix(remaining))
                remaining -= min(rows.count, remaining)
            }
        }
        return export
    }

    /// The export without readings, and the meter row id of each installation (by point, by installation).
    static func customerExportSkeleton(tenant: Int64, id: UUID,
                                       _ conn: Connection) throws -> (CustomerExportRecord, [[Int64]]) {
        let customer = try Store.customer(tenant: tenant, id: id, conn)
        var points: [CustomerExportPoint] = []
        var pointRows: [Int64] = []
        try conn.query("""
            SELECT id, public_id, address, postal_code, city, latitude, longitude FROM metering_points
            WHERE tenant_id = ? AND customer_id = ? ORDER BY id
            """, [tenant, customer.rowID]) { row in
            pointRows.append(row.int64(0))
            points.append(CustomerExportPoint(id: UUID(uuidString: row.string(1)) ?? UUID(), address: row[2], postalCode: row[3],
                                              city: row[4], latitude: row[5], longitude: row[6], installations: []))
        }
        var meters: [[Int64]] = []
        for (index, pointRow) in pointRows.enumerated() {
            var rows: [Int64] = []
            try conn.query("""
                SELECT m.id, m.public_id, m.manufacturer, m.serial, m.medium, m.model, i.installed_at, i.removed_at
                FROM installations i JOIN meters m ON m.id = i.meter_id
                WHERE i.metering_point_id = ? ORDER BY i.installed_at, i.id
                """, [pointRow]) { row in
                rows.append(row.int64(0))
                let removed: Int64? = row[7]
                let seconds = { (s: Int64) in Date(timeIntervalSince1970: Double(s)) }
                points[index].installations.append(CustomerExportInstallation(
                    meterID: UUID(uuidString: row.string(1)) ?? UUID(), manufacturer: row.string(2), serial: row.string(3),
                    medium: row.string(4), model: row[5], installedAt: seconds(row.int64(6)), removedAt: removed.map(seconds),
                    readings: []))
            }
            meters.append(rows)
        }
        var audit: [AuditRecord] = []
        try conn.query("""
            SELECT id, time, type, principal, user_public_id, token_public_id, client, target, details FROM audit_events
            WHERE tenant_id = ? AND target = ? ORDER BY id DESC LIMIT ?
            """, [tenant, customerTarget(customer.id), customerExportAuditCap]) { row in
            let userID: String? = row[4]
            let tokenID: String? = row[5]
            audit.append(AuditRecord(id: row.int64(0), time: date(row.int64(1)), type: row.string(2), principal: row.string(3),
                                     userID: userID.flatMap(UUID.init(uuidString:)),
                                     tokenID: tokenID.flatMap(UUID.init(uuidString:)), client: row.string(6), target: row[7],
                                     details: row[8]))
        }
        audit.reverse()
        return (CustomerExportRecord(customer: customer, points: points, audit: audit, truncated: false), meters)
    }

    /// Records that the customer's data was exported (after it was read).
    public func auditCustomerExport(tenant: Int64, _ entry: AuditEntry) async throws {
        try await pool.write { conn in try Store.insertAudit(entry, tenant: tenant, conn) }
    }
}
