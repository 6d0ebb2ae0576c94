public import FoundationEssentials
public import Metering
internal import SQLite

/// One meter's stay on a metering point (a row of `installations`), times in Unix seconds, with
/// the row ids the readings are stored under.
public struct StayRecord: Sendable, Equatable {
    public var meter: Int64
    public var meterID: UUID
    public var installedAt: Int64
    /// nil while the meter is installed.
    public var removedAt: Int64?
    /// The register values an exchange gave for the hand-over, when it gave them.
    public var startValues: RegisterValues?
    public var finalValues: RegisterValues?
}

/// A stay with the meter's readings over the asked range.
public struct MeterStay: Sendable {
    public var installation: StayRecord
    public var series: RegisterSeries
}

extension Store {
    /// The row id of a live metering point of this tenant; notFound otherwise (another tenant's too).
    static func meteringPointRow(tenant: Int64, id: UUID, _ conn: Connection) throws -> Int64 {
        let row: Int64? = try conn.scalar("""
            SELECT id FROM metering_points WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL
            """, [tenant, id.uuidString.lowercased()])
        guard let row else { throw StoreError.notFound("metering point") }
        return row
    }

    /// The stays of meters on `point` that overlap `from...to` (seconds), oldest first.
    static func stayRecords(point: Int64, from: Int64, to: Int64, _ conn: Connection) throws -> [StayRecord] {
        var out: [StayRecord] = []
        try conn.query("""
            SELECT i.meter_id, m.public_id, i.installed_at, i.removed_at, i.start_values, i.final_values
            FROM installations i JOIN meters m ON m.id = i.meter_id
            WHERE i.metering_point_id = ? AND i.installed_at <= ? AND (i.removed_at IS NULL OR i.removed_at >= ?)
            ORDER BY i.installed_at, i.id
            """, [point, to, from]) { row in
            out.append(StayRecord(
                meter: row.int64(0), meterID: UUID(uuidString: row.string(1)) ?? UUID(),
                installedAt: row.int64(2), removedAt: row.isNull(3) ? nil : row.int64(3),
                startValues: row.isNull(4) ? nil : try? ReadingCodec.decode(row.blob(4)).values,
                finalValues: row.isNull(5) ? nil : try? ReadingCodec.decode(row.blob(5)).values))
        }
        return out
    }

    /// A metering point's stays overlapping `from..<to`, each with its meter's readings of
    /// `registers` inside the stay and range (plus the nearest one on either side), in one
    /// snapshot.
    public func meteringPointHistory(tenant: Int64, id: UUID, registers: [Register], from: Int64, to: Int64,
                                     infoCodes: Bool = false) async throws -> [MeterStay] {
        let index = readingIndex
        return try await pool.read { conn in
            let point = try Store.meteringPointRow(tenant: tenant, id: id, conn)
            return try Store.stays(point: point, registers: registers, from: from, to: to, infoCodes: infoCodes,
                                   index: index, conn)
        }
    }

    static func stays(point: Int64, registers: [Register], from: Int64, to: Int64, infoCodes: Bool,
                      index: ReadingLogIndex, _ conn: Connection) throws -> [MeterStay] {
        try stayRecords(point: point, from: from, to: to, conn).map { stay in
            // Readings outside the stay are not the point's; the neighbours fetched around the
            // clamped range still let the math interpolate at the stay's and the range's edges.
            let start = max(from, stay.installedAt)
            let end = min(to, stay.removedAt.map { $0 + 1 } ?? to)
            let series = try registerSeries(meter: stay.meter, registers: registers, from: start, to: max(start, end),
                                            infoCodes: infoCodes, index: index, conn)
            return MeterStay(installation: stay, series: series)
        }
    }
}
