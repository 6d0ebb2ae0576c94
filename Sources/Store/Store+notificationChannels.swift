internal import FoundationEssentials
internal import SQLite

/// A tenant's notification channels (one row per tenant; the App seals the secrets).
extension Store {
    /// The stored channels; an empty row (version 0) before the first change.
    public func notificationChannels(tenant: Int64) async throws -> NotificationChannelsRow {
        try await pool.read { conn in
            var found = NotificationChannelsRow(email: nil, emailSecret: nil, sms: nil, smsSecret: nil, version: 0, updatedAt: nil)
            try conn.query("SELECT email, email_secret, sms, sms_secret, version, updated_at FROM notification_channels WHERE tenant_id = ?",
                           [tenant]) { row in
                found = NotificationChannelsRow(email: row[0], emailSecret: row.isNull(1) ? nil : row.blob(1), sms: row[2],
                                                smsSecret: row.isNull(3) ? nil : row.blob(3), version: row.int(4),
                                                updatedAt: Store.date(row.int64(5)))
            }
            return found
        }
    }

    /// Replaces the channels. `change` gets the stored row inside the write transaction (so a
    /// write-only secret left out keeps its stored value) and returns the new one.
    public func replaceNotificationChannels(
        tenant: Int64, ifVersion: Int?, audit: AuditEntry,
        change: @escaping @Sendable (NotificationChannelsRow) throws -> NotificationChannelsRow
    ) async throws -> NotificationChannelsRow {
        try await pool.write { conn in
            var current = NotificationChannelsRow(email: nil, emailSecret: nil, sms: nil, smsSecret: nil, version: 0, updatedAt: nil)
            try conn.query("SELECT email, email_secret, sms, sms_secret, version FROM notification_channels WHERE tenant_id = ?",
                           [tenant]) { row in
                current = NotificationChannelsRow(email: row[0], emailSecret: row.isNull(1) ? nil : row.blob(1), sms: row[2],
                                                  smsSecret: row.isNull(3) ? nil : row.blob(3), version: row.int(4), updatedAt: nil)
            }
            if let ifVersion, ifVersion != current.version { throw StoreError.versionMismatch(current: current.version) }
            var next = try change(current)
            let now = Store.now()
            next.version = current.version + 1
            next.updatedAt = Store.date(now)
            _ = try conn.execute("""
                INSERT INTO notification_channels (tenant_id, email, email_secret, sms, sms_secret, version, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET email = excluded.email, email_secret = excluded.email_secret,
                    sms = excluded.sms, sms_secret = excluded.sms_secret, version = excluded.version, updated_at = excluded.updated_at
                """, [tenant, next.email, next.emailSecret, next.sms, next.smsSecret, Int64(next.version), now])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return next
        }
    }
}
