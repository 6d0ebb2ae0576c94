internal import FoundationEssentials
internal import SQLite

extension Store {
    /// Creates or updates each row's meter, matched by manufacturer, serial, version and device
    /// type, all in one transaction with one audit event; the meters written become the tenant's
    /// "last-imported" group (`rejectedBefore`: rows the caller
    /// already refused, for the event's summary). Rows that would take the tenant past its
    /// metering-point limit are refused and reported; the others are written.
    public func importMeters(tenant: Int64, rows: [MeterImportRow], rejectedBefore: Int, sealer: any MeterKeySealing,
                             audit: AuditEntry) async throws -> MeterImportOutcome {
        try await pool.write { conn in
            // 100,000 rows touch more index pages (random UUIDs) than the default cache holds;
            // spilling them mid-transaction costs more than the rows. Back to normal afterwards.
            let cacheSize: Int = try conn.scalar("PRAGMA cache_size") ?? -2000
            try conn.execute("PRAGMA cache_size = -131072")
            defer { try? conn.execute("PRAGMA cache_size = \(cacheSize)") }
            var outcome = MeterImportOutcome()
            let now = Store.now()
            let limit = try Store.meteringPointLimit(tenant: tenant, conn)
            var inUse = try Store.meteringPointsInUse(tenant: tenant, conn)
            // The "last-imported" group: this import's number, stamped on every meter it writes.
            // Taken now and kept only if the import writes a meter (the transaction is one).
            let importNumber: Int64 = (try conn.scalar("SELECT last_import_number FROM tenants WHERE id = ?", [tenant]) ?? 0) + 1
            let stamp = try conn.cachedStatement("UPDATE meters SET import_number = ?1 WHERE id = ?2")
            for row in rows {
                let f = row.fields
                let existing = try Store.liveMeter(tenant: tenant, manufacturer: f.manufacturer ?? "", serial: f.serial ?? "",
                                                   version: f.version, deviceType: f.deviceType, conn)
                let current = try existing.flatMap { $0.hasPoint ? try Store.pointRowID(meter: $0.rowID, conn) : nil }
                let needsPoint = Store.createsPoint(f, hasPoint: current != nil)
                if needsPoint && inUse >= limit {
                    outcome.rejected.append((row.index, Store.capacityDetail(limit)))
                    continue
                }
                // Placement is decided before anything is written: a refused row leaves no trace.
                let plan: Placement
                do {
                    plan = try Store.placement(tenant: tenant, meter: existing?.rowID, current: current, f, conn)
                } catch let error as InvalidField {
                    outcome.rejected.append((row.index, "\(error.pointer.dropFirst()): \(error.detail)"))
                    continue
                } catch StoreError.conflict(let reason) {
                    outcome.rejected.append((row.index, reason))
                    continue
                }
                if needsPoint { inUse += 1 }
                let rowID: Int64
                if let existing {
                    try Store.applyUpdate(tenant: tenant, meter: existing.rowID, plan, f, now: now, conn)
                    rowID = existing.rowID
                    outcome.updated += 1
                } else {
                    let point = try Store.writePoint(tenant: tenant, plan, now: now, conn)
                    rowID = try Store.insertMeter(tenant: tenant, f, meteringPoint: point, now: now, conn)
                    try Store.moveInstallation(meter: rowID, from: nil, to: point, now: now, conn)
                    outcome.created += 1
                }
                if let key = f.key {
                    try Store.storeKey(meter: rowID, sealed: sealer.seal(key, meter: rowID), source: "import", now: now, conn)
                }
                try stamp.bind(importNumber, at: 1)
                try stamp.bind(rowID, at: 2)
                try stamp.execute()
            }
            // An import that wrote nothing leaves the previous one's meters as "last imported".
            if outcome.created + outcome.updated > 0 {
                try conn.execute("UPDATE tenants SET last_import_number = ? WHERE id = ?", [importNumber, tenant])
            }
            var entry = audit
            entry.target = "/v1/meters"
            entry.details = #"{"created":\#(outcome.created),"updated":\#(outcome.updated),"rejected":\#(rejectedBefore + outcome.rejected.count)}"#
            try Store.insertAudit(entry, tenant: tenant, conn)
            return outcome
        }
    }

    /// The tenant's live meter with this address (the unique index's key), if any.
    static func liveMeter(tenant: Int64, manufacturer: String, serial: String, version: Int?, deviceType: Int?,
                          _ conn: Connection) throws -> (rowID: Int64, hasPoint: Bool)? {
        var found: (Int64, Bool)?
        try conn.query("""
            SELECT id, metering_point_id IS NOT NULL FROM meters
            WHERE tenant_id = ? AND manufacturer = ? AND serial = ? AND ifnull(wmbus_version, -1) = ?
              AND ifnull(device_type, -1) = ? AND deleted_at IS NULL
            """, [tenant, manufacturer, serial, version ?? -1, deviceType ?? -1]) { found = ($0.int64(0), $0.bool(1)) }
        return found
    }
}
