public import FoundationEssentials
internal import SQLite

/// Metering points as their own resource. A point counts against the tenant's limit from its
/// creation until it is deleted; it cannot be deleted while a meter is installed on it.
extension Store {
    static let pointSelect = """
        SELECT p.id, p.public_id, p.address, p.postal_code, p.city, p.latitude, p.longitude, c.public_id, c.customer_number,
               c.name, (SELECT m.public_id FROM installations i JOIN meters m ON m.id = i.meter_id
                        WHERE i.metering_point_id = p.id AND i.removed_at IS NULL LIMIT 1),
               p.version, p.created_at, p.updated_at
        FROM metering_points p LEFT JOIN customers c ON c.id = p.customer_id AND c.deleted_at IS NULL
        """

    static func point(_ row: Row) -> MeteringPointDetails {
        var customer: CustomerReference?
        if !row.isNull(7) {
            customer = CustomerReference(id: UUID(uuidString: row.string(7)) ?? UUID(), customerNumber: row.string(8), name: row[9])
        }
        let meter: String? = row[10]
        return MeteringPointDetails(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), address: row[2],
                                    postalCode: row[3], city: row[4], latitude: row[5], longitude: row[6], customer: customer,
                                    meterID: meter.flatMap(UUID.init(uuidString:)), installations: nil, revision: row.int(11),
                                    createdAt: date(row.int64(12)), updatedAt: date(row.int64(13)))
    }

    static func pointPath(_ id: UUID) -> String { "/v1/metering-points/\(id.uuidString.lowercased())" }

    /// The row id of the tenant's live metering point with this public id.
    static func livePointRowID(tenant: Int64, id: UUID, _ conn: Connection) throws -> Int64? {
        try conn.scalar("SELECT id FROM metering_points WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                        [tenant, id.uuidString.lowercased()])
    }

    /// The row id of the tenant's live customer with this public id (the customers API owns the rest).
    static func customerRowID(tenant: Int64, id: UUID, _ conn: Connection) throws -> Int64? {
        try conn.scalar("SELECT id FROM customers WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                        [tenant, id.uuidString.lowercased()])
    }

    static func requireCustomer(tenant: Int64, id: UUID, _ conn: Connection) throws -> Int64 {
        guard let row = try customerRowID(tenant: tenant, id: id, conn) else {
            throw InvalidField("/customerId", "is not a customer of this tenant")
        }
        return row
    }

    /// In id order; `query` is a case-insensitive substring of the address, postal code, city,
    /// or the customer's number or name.
    public func meteringPoints(tenant: Int64, query: String?, limit: Int, cursor: String?) async throws -> Page<MeteringPointDetails> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        let pattern = query.map { "%" + Store.likeEscaped($0) + "%" }
        return try await pool.read { conn in
            var rows: [(MeteringPointDetails, Int64)] = []
            try conn.query(Store.pointSelect + """
                 WHERE p.tenant_id = ?1 AND p.deleted_at IS NULL AND p.id > ?2
                   AND (?3 IS NULL OR p.address LIKE ?3 ESCAPE '\\' OR p.postal_code LIKE ?3 ESCAPE '\\'
                        OR p.city LIKE ?3 ESCAPE '\\' OR p.customer_number LIKE ?3 ESCAPE '\\'
                        OR c.customer_number LIKE ?3 ESCAPE '\\' OR c.name LIKE ?3 ESCAPE '\\')
                 ORDER BY p.id LIMIT ?4
                """, [tenant, after, pattern, limit + 1]) { row in
                let point = Store.point(row)
                rows.append((point, point.rowID))
            }
            return Store.page(rows, limit: limit)
        }
    }

    /// One point with its installation history.
    public func meteringPoint(tenant: Int64, id: UUID) async throws -> MeteringPointDetails {
        try await pool.read { conn in
            var point = try Store.point(tenant: tenant, id: id, conn)
            point.installations = try Store.installations(point: point.rowID, conn)
            return point
        }
    }

    static func point(tenant: Int64, id: UUID, _ conn: Connection) throws -> MeteringPointDetails {
        var found: MeteringPointDetails?
        try conn.query(pointSelect + " WHERE p.tenant_id = ? AND p.public_id = ? AND p.deleted_at IS NULL",
                       [tenant, id.uuidString.lowercased()]) { found = point($0) }
        guard let found else { throw StoreError.notFound("metering point") }
        return found
    }

    public func createMeteringPoint(tenant: Int64, fields: MeteringPointChanges, audit: AuditEntry) async throws -> MeteringPointDetails {
        try await pool.write { conn in
            try Store.requireMeteringPointCapacity(tenant: tenant, adding: 1, conn)
            var customer: Int64?
            if case .set(let id) = fields.customer { customer = try Store.requireCustomer(tenant: tenant, id: id, conn) }
            let now = Store.now()
            let id = Store.newPublicID()
            try conn.execute("""
                INSERT INTO metering_points (public_id, tenant_id, address, postal_code, city, latitude, longitude, customer_id,
                    created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [id, tenant, fields.address.flatMap(Store.nonEmpty), fields.postalCode.flatMap(Store.nonEmpty),
                      fields.city.flatMap(Store.nonEmpty), fields.latitude, fields.longitude, customer, now, now])
            let point = try Store.point(tenant: tenant, id: UUID(uuidString: id) ?? UUID(), conn)
            var entry = audit
            entry.target = Store.pointPath(point.id)
            try Store.insertAudit(entry, tenant: tenant, conn)
            return point
        }
    }

    /// Changes the given fields: an empty text clears it, `.remove` drops the customer.
    public func updateMeteringPoint(tenant: Int64, id: UUID, fields: MeteringPointChanges, ifVersion: Int?,
                                    audit: AuditEntry) async throws -> MeteringPointDetails {
        try await pool.write { conn in
            let current = try Store.point(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            var customer: Int64?
            var changeCustomer = false
            switch fields.customer {
            case .keep: break
            case .remove: changeCustomer = true
            case .set(let id):
                changeCustomer = true
                customer = try Store.requireCustomer(tenant: tenant, id: id, conn)
            }
            try conn.execute("""
                UPDATE metering_points SET address = ?, postal_code = ?, city = ?, latitude = ?, longitude = ?,
                    customer_id = CASE WHEN ? THEN ? ELSE customer_id END, version = version + 1, updated_at = ?
                WHERE id = ?
                """, [fields.address.map(Store.nonEmpty) ?? current.address,
                      fields.postalCode.map(Store.nonEmpty) ?? current.postalCode,
                      fields.city.map(Store.nonEmpty) ?? current.city, fields.latitude ?? current.latitude,
                      fields.longitude ?? current.longitude, changeCustomer, customer, Store.now(), current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
            var point = try Store.point(tenant: tenant, id: id, conn)
            point.installations = try Store.installations(point: point.rowID, conn)
            return point
        }
    }

    /// Soft delete: installations and exchanges keep naming it. Refused while a meter is installed.
    public func deleteMeteringPoint(tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let current = try Store.point(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            if let meter = current.meterID {
                throw StoreError.conflict("Meter \(meter.uuidString.lowercased()) is installed on this metering point; remove or move it first.")
            }
            let now = Store.now()
            try conn.execute("UPDATE metering_points SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                             [now, now, current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }
}
