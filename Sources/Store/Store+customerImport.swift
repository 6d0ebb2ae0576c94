internal import FoundationEssentials
internal import SQLite

extension Store {
    /// Creates or updates each row's customer, matched by customer number among the tenant's live
    /// customers, all in one transaction with one audit event (`rejected`: the rows the caller
    /// refused, for the event's summary). A later row with the same number updates the earlier one.
    public func importCustomers(tenant: Int64, rows: [CustomerImportRow], rejected: Int,
                                audit: AuditEntry) async throws -> CustomerImportOutcome {
        try await pool.write { conn in
            var outcome = CustomerImportOutcome()
            let now = Store.now()
            let find = "SELECT id FROM customers WHERE tenant_id = ? AND customer_number = ? AND deleted_at IS NULL"
            for row in rows {
                let number = row.fields.customerNumber ?? ""
                if let existing: Int64 = try conn.scalar(find, [tenant, number]) {
                    try Store.applyCustomerUpdate(existing, row.fields, now: now, conn)
                    outcome.updated += 1
                } else {
                    _ = try Store.insertCustomer(tenant: tenant, row.fields, now: now, conn)
                    outcome.created += 1
                }
            }
            var entry = audit
            entry.target = "/v1/customers"
            entry.details = #"{"created":\#(outcome.created),"updated":\#(outcome.updated),"rejected":\#(rejected)}"#
            try Store.insertAudit(entry, tenant: tenant, conn)
            return outcome
        }
    }
}
