public import FoundationEssentials
internal import SQLite

extension Store {
    static let customerSelect = """
        SELECT id, public_id, customer_number, name, phone, email, address, postal_code, city, version, created_at, updated_at
        FROM customers
        """

    static func customer(_ row: Row) -> CustomerRecord {
        CustomerRecord(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), customerNumber: row.string(2),
                       name: row[3], phone: row[4], email: row[5], address: row[6], postalCode: row[7], city: row[8],
                       revision: row.int(9), createdAt: date(row.int64(10)), updatedAt: date(row.int64(11)))
    }

    /// The tenant's live customers in creation order; `query` is a case-insensitive substring of
    /// the number, name, e-mail, phone, address, postal code or city.
    public func customers(tenant: Int64, query: String?, limit: Int, cursor: String?) async throws -> Page<CustomerRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        let pattern = query.map { "%" + Store.likeEscaped($0) + "%" }
        return try await pool.read { conn in
            var rows: [(CustomerRecord, Int64)] = []
            try conn.query(Store.customerSelect + """
                 WHERE tenant_id = ?1 AND deleted_at IS NULL AND id > ?2
                   AND (?3 IS NULL OR customer_number LIKE ?3 ESCAPE '\\' OR name LIKE ?3 ESCAPE '\\'
                        OR email LIKE ?3 ESCAPE '\\' OR phone LIKE ?3 ESCAPE '\\' OR address LIKE ?3 ESCAPE '\\'
                        OR postal_code LIKE ?3 ESCAPE '\\' OR city LIKE ?3 ESCAPE '\\')
                 ORDER BY id LIMIT ?4
                """, [tenant, after, pattern, limit + 1]) { row in
                let customer = Store.customer(row)
                rows.append((customer, customer.rowID))
            }
            return Store.page(rows, limit: limit)
        }
    }

    public func customer(tenant: Int64, id: UUID) async throws -> CustomerRecord {
        try await pool.read { conn in try Store.customer(tenant: tenant, id: id, conn) }
    }

    /// A live customer of this tenant; another tenant's (or a deleted one) is not found.
    static func customer(tenant: Int64, id: UUID, _ conn: Connection) throws -> CustomerRecord {
        var found: CustomerRecord?
        try conn.query(customerSelect + " WHERE tenant_id = ? AND public_id = ? AND deleted_at IS NULL",
                       [tenant, id.uuidString.lowercased()]) { found = customer($0) }
        guard let found else { throw StoreError.notFound("customer") }
        return found
    }

    static func customer(rowID: Int64, _ conn: Connection) throws -> CustomerRecord {
        var found: CustomerRecord?
        try conn.query(customerSelect + " WHERE id = ?", [rowID]) { found = customer($0) }
        guard let found else { throw StoreError.notFound("customer") }
        return found
    }

    /// `.conflict` when the tenant has a live customer with the same number.
    public func createCustomer(tenant: Int64, fields: CustomerFields, audit: AuditEntry) async throws -> CustomerRecord {
        try await pool.write { conn in
            let rowID = try Store.insertCustomer(tenant: tenant, fields, now: Store.now(), conn)
            let customer = try Store.customer(rowID: rowID, conn)
            var entry = audit
            entry.target = Store.customerTarget(customer.id)
            try Store.insertAudit(entry, tenant: tenant, conn)
            return customer
        }
    }

    public func updateCustomer(tenant: Int64, id: UUID, fields: CustomerFields, ifVersion: Int?,
                               audit: AuditEntry) async throws -> CustomerRecord {
        try await pool.write { conn in
            let current = try Store.customer(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            try Store.applyCustomerUpdate(current.rowID, fields, now: Store.now(), conn)
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.customer(rowID: current.rowID, conn)
        }
    }

    /// Soft delete: the row stays for the audit trail and its number is free again; the metering
    /// points that named the customer no longer do.
    public func deleteCustomer(tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let current = try Store.customer(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            let now = Store.now()
            try conn.execute("UPDATE customers SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                             [now, now, current.rowID])
            try conn.execute("""
                UPDATE metering_points SET customer_id = NULL, version = version + 1, updated_at = ?
                WHERE customer_id = ? AND tenant_id = ?
                """, [now, current.rowID, tenant])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    public static func customerTarget(_ id: UUID) -> String { "/v1/customers/\(id.uuidString.lowercased())" }

    // MARK: Row writers shared with the import

    static func insertCustomer(tenant: Int64, _ f: CustomerFields, now: Int64, _ conn: Connection) throws -> Int64 {
        let number = f.customerNumber ?? ""
        do {
            try conn.execute("""
                INSERT INTO customers (public_id, tenant_id, customer_number, name, phone, email, address, postal_code, city,
                    created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [Store.newPublicID(), tenant, number, f.name, f.phone, f.email, f.address, f.postalCode, f.city, now, now])
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw StoreError.conflict(duplicateCustomerDetail(number))
        }
        return conn.lastInsertRowID
    }

    static func duplicateCustomerDetail(_ number: String) -> String { "a customer with the number \(number) exists" }

    /// Writes the given fields over the customer's: nil keeps, "" clears (the number cannot be
    /// cleared). Bumps the row version.
    static func applyCustomerUpdate(_ rowID: Int64, _ f: CustomerFields, now: Int64, _ conn: Connection) throws {
        do {
            try conn.execute("""
                UPDATE customers SET customer_number = coalesce(nullif(?1, ''), customer_number),
                    name = CASE WHEN ?2 IS NULL THEN name ELSE nullif(?2, '') END,
                    phone = CASE WHEN ?3 IS NULL THEN phone ELSE nullif(?3, '') END,
                    email = CASE WHEN ?4 IS NULL THEN email ELSE nullif(?4, '') END,
                    address = CASE WHEN ?5 IS NULL THEN address ELSE nullif(?5, '') END,
                    postal_code = CASE WHEN ?6 IS NULL THEN postal_code ELSE nullif(?6, '') END,
                    city = CASE WHEN ?7 IS NULL THEN city ELSE nullif(?7, '') END,
                    version = version + 1, updated_at = ?8
                WHERE id = ?9
                """, [f.customerNumber, f.name, f.phone, f.email, f.address, f.postalCode, f.city, now, rowID])
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw StoreError.conflict(duplicateCustomerDetail(f.customerNumber ?? ""))
        }
    }
}
