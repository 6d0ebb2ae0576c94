public import FoundationEssentials
internal import SQLite

extension Store {
    static let meterColumns = """
        SELECT m.id, m.public_id, m.manufacturer, m.serial, m.wmbus_version, m.device_type, m.model, m.medium, m.paths,
               m.primary_address, m.secondary_address, m.lifecycle, m.label, m.active_info_codes, m.version,
               m.created_at, m.updated_at, p.public_id, p.address, p.postal_code, p.city, p.latitude, p.longitude,
               coalesce(c.customer_number, p.customer_number), k.meter_id IS NOT NULL, m.priority_since IS NOT NULL
        """
    static let meterJoins = """
        LEFT JOIN metering_points p ON p.id = m.metering_point_id LEFT JOIN meter_keys k ON k.meter_id = m.id
        LEFT JOIN customers c ON c.id = p.customer_id AND c.deleted_at IS NULL
        """
    static let meterSelect = meterColumns + " FROM meters m " + meterJoins

    static func meter(_ row: Row) -> MeterRecord {
        var point: MeteringPointRecord?
        if !row.isNull(17) {
            point = MeteringPointRecord(id: UUID(uuidString: row.string(17)) ?? UUID(), address: row[18], postalCode: row[19],
                                        city: row[20], latitude: row[21], longitude: row[22], customerNumber: row[23])
        }
        return MeterRecord(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), manufacturer: row.string(2),
                           serial: row.string(3), version: row[4], deviceType: row[5], model: row[6], medium: row.string(7),
                           paths: list(row.string(8)), primaryAddress: row[9], secondaryAddress: row[10],
                           lifecycle: row.string(11), meteringPoint: point, label: row[12], hasKey: row.bool(24),
                           activeInfoCodes: list(row.string(13)), revision: row.int(14), createdAt: date(row.int64(15)),
                           updatedAt: date(row.int64(16)), priority: row.bool(25))
    }

    static func list(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: ",").map(String.init) }

    public func meters(tenant: Int64, filter: MeterFilter, limit: Int, cursor: String?) async throws -> Page<MeterRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        let pattern = filter.query.map { "%" + Store.likeEscaped($0) + "%" }
        return try await pool.read { conn in
            var bindings: [(any Bindable)?] = [tenant, after, filter.medium, filter.lifecycle, filter.hasActiveInfoCodes,
                                               pattern, limit + 1]
            // A group's page is driven by its membership (primary key order = meter order), so a
            // page costs the same in a group of 10 or 10,000; the virtual groups' conditions
            // match partial indexes of the meters table.
            var from = "FROM meters m"
            var order = "m.id"
            var condition = ""
            switch filter.group {
            case nil, .all?:
                break
            case .group(let id)?:
                bindings.append(try GroupSelector.groupRowID(tenant: tenant, id: id, conn))
                from = "FROM group_members gm CROSS JOIN meters m ON m.id = gm.meter_id"
                order = "gm.meter_id"
                condition = " AND gm.group_id = ?8 AND gm.meter_id > ?2"
            case let selector?:
                let c = try selector.condition(tenant: tenant, conn)
                condition = " AND " + GroupSelector.numbered(c.sql, from: 8)
                bindings += c.bindings
            }
            var rows: [(MeterRecord, Int64)] = []
            try conn.query(Store.meterColumns + " \(from) " + Store.meterJoins + """
                 WHERE m.tenant_id = ?1 AND m.deleted_at IS NULL AND m.id > ?2\(condition)
                   AND (?3 IS NULL OR m.medium = ?3) AND (?4 IS NULL OR m.lifecycle = ?4)
                   AND (?5 IS NULL OR (m.active_info_codes <> '') = ?5)
                   AND (?6 IS NULL OR m.manufacturer LIKE ?6 ESCAPE '\\' OR m.serial LIKE ?6 ESCAPE '\\'
                        OR m.model LIKE ?6 ESCAPE '\\' OR m.label LIKE ?6 ESCAPE '\\' OR p.address LIKE ?6 ESCAPE '\\'
                        OR p.postal_code LIKE ?6 ESCAPE '\\' OR p.city LIKE ?6 ESCAPE '\\'
                        OR coalesce(c.customer_number, p.customer_number) LIKE ?6 ESCAPE '\\')
                 ORDER BY \(order) LIMIT ?7
                """, bindings) { row in
                let meter = Store.meter(row)
                rows.append((meter, meter.rowID))
            }
            return Store.page(rows, limit: limit)
        }
    }

    public func meter(tenant: Int64, id: UUID) async throws -> MeterRecord {
        try await pool.read { conn in try Store.meter(tenant: tenant, id: id, conn) }
    }

    static func meter(tenant: Int64, id: UUID, _ conn: Connection) throws -> MeterRecord {
        var found: MeterRecord?
        try conn.query(meterSelect + " WHERE m.tenant_id = ? AND m.public_id = ? AND m.deleted_at IS NULL",
                       [tenant, id.uuidString.lowercased()]) { found = meter($0) }
        guard let found else { throw StoreError.notFound("meter") }
        return found
    }

    static func meter(rowID: Int64, _ conn: Connection) throws -> MeterRecord {
        var found: MeterRecord?
        try conn.query(meterSelect + " WHERE m.id = ?", [rowID]) { found = meter($0) }
        guard let found else { throw StoreError.notFound("meter") }
        return found
    }

    /// Creates the meter (and its metering point, installation and key) in one transaction.
    /// `.conflict` when the tenant has a live meter with the same address, its metering-point
    /// limit is reached or the named metering point has a meter installed.
    public func createMeter(tenant: Int64, fields: MeterFields, sealer: any MeterKeySealing,
                            audit: AuditEntry) async throws -> MeterRecord {
        try await pool.write { conn in
            let now = Store.now()
            if Store.createsPoint(fields, hasPoint: false) {
                try Store.requireMeteringPointCapacity(tenant: tenant, adding: 1, conn)
            }
            let plan = try Store.placement(tenant: tenant, meter: nil, current: nil, fields, conn)
            let point = try Store.writePoint(tenant: tenant, plan, now: now, conn)
            let rowID = try Store.insertMeter(tenant: tenant, fields, meteringPoint: point, now: now, conn)
            try Store.moveInstallation(meter: rowID, from: nil, to: point, now: now, conn)
            if let key = fields.key {
                try Store.storeKey(meter: rowID, sealed: sealer.seal(key, meter: rowID), source: "api", now: now, conn)
            }
            let meter = try Store.meter(rowID: rowID, conn)
            var entry = audit
            entry.target = "/v1/meters/\(meter.id.uuidString.lowercased())"
            try Store.insertAudit(entry, tenant: tenant, conn)
            return meter
        }
    }

    public func updateMeter(tenant: Int64, id: UUID, fields: MeterFields, ifVersion: Int?, sealer: any MeterKeySealing,
                            audit: AuditEntry) async throws -> MeterRecord {
        try await pool.write { conn in
            let current = try Store.meter(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            let now = Store.now()
            if Store.createsPoint(fields, hasPoint: current.meteringPoint != nil) {
                try Store.requireMeteringPointCapacity(tenant: tenant, adding: 1, conn)
            }
            let plan = try Store.placement(tenant: tenant, meter: current.rowID,
                                           current: try Store.pointRowID(meter: current.rowID, conn), fields, conn)
            try Store.applyUpdate(tenant: tenant, meter: current.rowID, plan, fields, now: now, conn)
            if let key = fields.key {
                try Store.storeKey(meter: current.rowID, sealed: sealer.seal(key, meter: current.rowID), source: "api",
                                   now: now, conn)
            }
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.meter(rowID: current.rowID, conn)
        }
    }

    /// Soft delete: the row stays for readings and audit; the key is destroyed and its
    /// installation closes (the metering point stays, with its history).
    public func deleteMeter(tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let current = try Store.meter(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            let now = Store.now()
            try Store.closeInstallation(meter: current.rowID, at: now / 1000, finalValues: nil, conn)
            try conn.execute("""
                UPDATE meters SET deleted_at = ?, metering_point_id = NULL, version = version + 1, updated_at = ? WHERE id = ?
                """, [now, now, current.rowID])
            try conn.execute("DELETE FROM meter_keys WHERE meter_id = ?", [current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    // MARK: Row writers shared with the import

    static func insertMeter(tenant: Int64, _ f: MeterFields, meteringPoint: Int64?, now: Int64,
                            _ conn: Connection) throws -> Int64 {
        let lifecycle = f.lifecycle ?? (meteringPoint == nil ? "in-stock" : "installed")
        do {
            try conn.execute("""
                INSERT INTO meters (public_id, tenant_id, manufacturer, serial, wmbus_version, device_type, model, medium, paths,
                    primary_address, secondary_address, lifecycle, metering_point_id, label, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [Store.newPublicID(), tenant, f.manufacturer ?? "", f.serial ?? "", f.version, f.deviceType,
                      f.model, f.medium ?? "", (f.paths ?? []).joined(separator: ","), f.primaryAddress, f.secondaryAddress,
                      lifecycle, meteringPoint, f.label, now, now])
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw StoreError.conflict(duplicateDetail(f))
        }
        return conn.lastInsertRowID
    }

    static func duplicateDetail(_ f: MeterFields) -> String {
        "a meter \(f.manufacturer ?? "") \(f.serial ?? "") with version \(f.version.map(String.init) ?? "none")"
            + " and device type \(f.deviceType.map(String.init) ?? "none") exists"
    }

    /// Writes the given fields over the meter's (nil keeps) and puts it where `plan` says: its
    /// metering point's fields updated or a new point made (the caller has checked the tenant's
    /// limit), installations closed and opened. Bumps the row version.
    static func applyUpdate(tenant: Int64, meter rowID: Int64, _ plan: Placement, _ f: MeterFields, now: Int64,
                            _ conn: Connection) throws {
        let current = try pointRowID(meter: rowID, conn)
        let point = try writePoint(tenant: tenant, plan, now: now, conn)
        try moveInstallation(meter: rowID, from: current, to: point, now: now, conn)
        do {
            try conn.execute("""
                UPDATE meters SET manufacturer = coalesce(?, manufacturer), serial = coalesce(?, serial),
                    wmbus_version = coalesce(?, wmbus_version), device_type = coalesce(?, device_type), model = coalesce(?, model),
                    medium = coalesce(?, medium), paths = coalesce(?, paths), primary_address = coalesce(?, primary_address),
                    secondary_address = coalesce(?, secondary_address), lifecycle = coalesce(?, lifecycle),
                    metering_point_id = ?, label = coalesce(?, label),
                    version = version + 1, updated_at = ?
                WHERE id = ?
                """, [f.manufacturer, f.serial, f.version, f.deviceType, f.model, f.medium, f.paths?.joined(separator: ","),
                      f.primaryAddress, f.secondaryAddress, plan.lifecycle, point, f.label, now, rowID])
        } catch let error as SQLiteError where error.isUniqueViolation {
            var merged = try meter(rowID: rowID, conn)
            merged.manufacturer = f.manufacturer ?? merged.manufacturer
            merged.serial = f.serial ?? merged.serial
            var described = MeterFields()
            described.manufacturer = merged.manufacturer
            described.serial = merged.serial
            described.version = f.version ?? merged.version
            described.deviceType = f.deviceType ?? merged.deviceType
            throw StoreError.conflict(duplicateDetail(described))
        }
    }

    /// The point `plan` ends on: a new one inserted, or the named one with the given fields written.
    static func writePoint(tenant: Int64, _ plan: Placement, now: Int64, _ conn: Connection) throws -> Int64? {
        if let fields = plan.newPointFields { return try insertMeteringPoint(tenant: tenant, fields, now: now, conn) }
        if let point = plan.point, let p = plan.updatePointFields {
            try conn.execute("""
                UPDATE metering_points SET address = coalesce(?, address), postal_code = coalesce(?, postal_code),
                    city = coalesce(?, city), latitude = coalesce(?, latitude), longitude = coalesce(?, longitude),
                    customer_number = coalesce(?, customer_number), version = version + 1, updated_at = ?
                WHERE id = ?
                """, [p.address, p.postalCode, p.city, p.latitude, p.longitude, p.customerNumber, now, point])
        }
        return plan.point
    }

    static func pointRowID(meter: Int64, _ conn: Connection) throws -> Int64? {
        try conn.scalar("SELECT metering_point_id FROM meters WHERE id = ?", [meter])
    }

    static func insertMeteringPoint(tenant: Int64, _ f: MeteringPointFields, now: Int64, _ conn: Connection) throws -> Int64 {
        try conn.execute("""
            INSERT INTO metering_points (public_id, tenant_id, address, postal_code, city, latitude, longitude, customer_number,
                created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [Store.newPublicID(), tenant, f.address, f.postalCode, f.city, f.latitude, f.longitude,
                  f.customerNumber, now, now])
        return conn.lastInsertRowID
    }

    /// A random (version 4) UUID as lowercase text. `getrandom` through the standard generator:
    /// a bulk import makes 200,000 of these and `UUID()` costs a file read each here.
    static func newPublicID() -> String {
        var generator = SystemRandomNumberGenerator()
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        high = (high & ~0xF000) | 0x4000
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)
        // Written straight into the string's storage: building it by appending characters was
        // 15% of a 100,000-customer import's CPU.
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var i = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[i] = UInt8(ascii: "-")
                    i += 1
                }
                let word = nibble < 16 ? high : low
                let digit = UInt8(truncatingIfNeeded: word >> (UInt64(15 - nibble % 16) * 4)) & 0xF
                buffer[i] = digit < 10 ? 0x30 + digit : 0x57 + digit
                i += 1
            }
            return i
        }
    }

    // MARK: Capacity

    /// Metering points in use: the tenant's live ones, with or without a meter (PRODUCT: the
    /// limit counts metering points). Deleting a point frees its place; deleting a meter does not.
    static func meteringPointsInUse(tenant: Int64, _ conn: Connection) throws -> Int {
        try conn.scalar("SELECT count(*) FROM metering_points WHERE tenant_id = ? AND deleted_at IS NULL", [tenant]) ?? 0
    }

    static func meteringPointLimit(tenant: Int64, _ conn: Connection) throws -> Int {
        try conn.scalar("SELECT max_metering_points FROM tenants WHERE id = ?", [tenant]) ?? 0
    }

    static func capacityDetail(_ limit: Int) -> String {
        "the tenant's limit of \(limit) metering points is reached"
    }

    static func requireMeteringPointCapacity(tenant: Int64, adding: Int, _ conn: Connection) throws {
        let limit = try meteringPointLimit(tenant: tenant, conn)
        guard try meteringPointsInUse(tenant: tenant, conn) + adding <= limit else {
            throw StoreError.conflict(capacityDetail(limit))
        }
    }

    /// Changes the tenant's metering-point limit (`fjern admin`, tests).
    public func setMaxMeteringPoints(tenant: Int64, _ limit: Int, audit: AuditEntry) async throws {
        try await pool.write { conn in
            try conn.execute("UPDATE tenants SET max_metering_points = ?, version = version + 1, updated_at = ? WHERE id = ?",
                             [limit, Store.now(), tenant])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }
}
