internal import FoundationEssentials
internal import Metering
internal import SQLite

/// The `installations` table: which meter served which metering point when. Whoever changes a
/// meter's metering point changes it here in the same transaction (meter create, patch, delete,
/// import, exchange), so the point's consumption can follow it across meters.
///
/// Rules: a meter on a metering point is `installed` there, with one open installation
/// (`removed_at` NULL); a metering point has at most one installed meter (a second is 409;
/// heat and water at one address are two supply points). `installed_at` and `removed_at` are
/// Unix seconds, the clock of the readings they are compared with.
extension Store {
    /// Where a meter create or update puts the meter: the metering point (row id) it ends on,
    /// whether that point is new, and its lifecycle (nil keeps the stored one).
    struct Placement {
        var point: Int64?
        var newPointFields: MeteringPointFields?
        var updatePointFields: MeteringPointFields?
        var lifecycle: String?
    }

    /// Decides the placement before anything is written, so a refusal leaves the row untouched.
    /// `current` is the meter's point now (nil for a new meter or one off any point).
    static func placement(tenant: Int64, meter: Int64?, current: Int64?, _ f: MeterFields,
                          _ conn: Connection) throws -> Placement {
        let givesPoint = f.meteringPointID != nil || f.meteringPoint != nil
        if givesPoint, let lifecycle = f.lifecycle, lifecycle != "installed" {
            throw InvalidField("/lifecycle", "A meter on a metering point is installed there: '\(lifecycle)' cannot go with a metering point.")
        }
        var plan = Placement(point: current)
        if let id = f.meteringPointID {
            guard let row = try livePointRowID(tenant: tenant, id: id, conn) else {
                throw InvalidField("/meteringPointId", "is not a metering point of this tenant")
            }
            plan.point = row
        }
        if let fields = f.meteringPoint {
            if plan.point == nil { plan.newPointFields = fields } else { plan.updatePointFields = fields }
        }
        if let lifecycle = f.lifecycle, lifecycle != "installed" { plan.point = nil }
        if givesPoint { plan.lifecycle = "installed" } else { plan.lifecycle = f.lifecycle }
        if let point = plan.point, point != current, let holder = try installedMeter(point: point, conn), holder.rowID != meter {
            throw StoreError.conflict("Another meter (\(holder.publicID)) is installed on this metering point; exchange or remove it first.")
        }
        return plan
    }

    /// Whether a meter create or update would make a new metering point (the caller checks the
    /// tenant's limit first).
    static func createsPoint(_ f: MeterFields, hasPoint: Bool) -> Bool {
        f.meteringPoint != nil && f.meteringPointID == nil && !hasPoint && (f.lifecycle ?? "installed") == "installed"
    }

    /// Moves the meter's installation from `from` to `to` (either may be nil) at `now` (ms).
    static func moveInstallation(meter: Int64, from: Int64?, to: Int64?, now: Int64, _ conn: Connection) throws {
        guard from != to else { return }
        let seconds = now / 1000
        if from != nil { try closeInstallation(meter: meter, at: seconds, finalValues: nil, conn) }
        if let to { try openInstallation(meter: meter, point: to, at: seconds, startValues: nil, conn) }
    }

    static func openInstallation(meter: Int64, point: Int64, at seconds: Int64, startValues: [UInt8]?,
                                 _ conn: Connection) throws {
        try conn.execute("""
            INSERT INTO installations (metering_point_id, meter_id, installed_at, start_values) VALUES (?, ?, ?, ?)
            """, [point, meter, seconds, startValues])
    }

    /// Closes the meter's open installation, never before it began (an exchange may have
    /// been dated a little ahead of this clock).
    static func closeInstallation(meter: Int64, at seconds: Int64, finalValues: [UInt8]?, _ conn: Connection) throws {
        try conn.execute("""
            UPDATE installations SET removed_at = max(?, installed_at), final_values = coalesce(?, final_values)
            WHERE meter_id = ? AND removed_at IS NULL
            """, [seconds, finalValues, meter])
    }

    /// The meter installed on the point now, if any.
    static func installedMeter(point: Int64, _ conn: Connection) throws -> (rowID: Int64, publicID: String)? {
        var found: (Int64, String)?
        try conn.query("""
            SELECT m.id, m.public_id FROM installations i JOIN meters m ON m.id = i.meter_id
            WHERE i.metering_point_id = ? AND i.removed_at IS NULL LIMIT 1
            """, [point]) { found = ($0.int64(0), $0.string(1)) }
        return found
    }

    /// The meter's open installation: its point and since when (seconds).
    static func openInstallation(meter: Int64, _ conn: Connection) throws -> (point: Int64, since: Int64)? {
        var found: (Int64, Int64)?
        try conn.query("SELECT metering_point_id, installed_at FROM installations WHERE meter_id = ? AND removed_at IS NULL",
                       [meter]) { found = ($0.int64(0), $0.int64(1)) }
        return found
    }

    /// The point's installations, newest first.
    static func installations(point: Int64, _ conn: Connection) throws -> [InstallationRecord] {
        var out: [InstallationRecord] = []
        try conn.query("""
            SELECT m.public_id, i.installed_at, i.removed_at, i.start_values, i.final_values
            FROM installations i JOIN meters m ON m.id = i.meter_id
            WHERE i.metering_point_id = ? ORDER BY i.installed_at DESC, i.id DESC
            """, [point]) { row in
            out.append(InstallationRecord(meterID: UUID(uuidString: row.string(0)) ?? UUID(),
                                          installedAt: Date(timeIntervalSince1970: Double(row.int64(1))),
                                          removedAt: row.isNull(2) ? nil : Date(timeIntervalSince1970: Double(row.int64(2))),
                                          startValues: registerValues(row.isNull(3) ? nil : row.blob(3)),
                                          finalValues: registerValues(row.isNull(4) ? nil : row.blob(4))))
        }
        return out
    }

    /// Register values stored with ReadingCodec; nil when absent (or, defensively, unreadable).
    static func registerValues(_ bytes: [UInt8]?) -> RegisterValues? {
        guard let bytes, !bytes.isEmpty else { return nil }
        return try? ReadingCodec.decode(bytes).values
    }

    static func encoded(_ values: RegisterValues?) -> [UInt8]? {
        guard let values, !values.isEmpty else { return nil }
        return ReadingCodec.encode(.init(values: values))
    }
}
