public import FoundationEssentials
internal import SQLite

/// Webhooks: a tenant's subscriptions of a URL to event types. The signing secret is sealed by
/// the App (the store never sees it in clear); `cursor` is where the dispatcher is in the feed.
extension Store {
    static let webhookColumns = "w.id, w.public_id, w.url, w.event_types, w.active, w.description, w.version, w.created_at, w.updated_at"

    static func webhook(_ row: Row) -> WebhookRecord {
        WebhookRecord(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), url: row.string(2),
                      eventTypes: eventTypes(row.string(3)), active: row.bool(4), description: row.string(5),
                      revision: row.int(6), createdAt: date(row.int64(7)), updatedAt: date(row.int64(8)))
    }

    static func eventTypes(_ text: String) -> [EventType] { text.split(separator: ",").compactMap { EventType(rawValue: String($0)) } }
    static func eventTypes(_ types: [EventType]) -> String {
        EventType.allCases.filter(types.contains).map(\.rawValue).joined(separator: ",")
    }

    static func webhookPath(_ id: UUID) -> String { "/v1/webhooks/\(id.uuidString.lowercased())" }

    /// The newest event id (0 when none): a new or re-activated webhook starts after it.
    static func lastEventID(_ conn: Connection) throws -> Int64 {
        try conn.scalar("SELECT ifnull(max(id), 0) FROM events") ?? 0
    }

    public func webhooks(tenant: Int64, limit: Int, cursor: String?) async throws -> Page<WebhookRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        return try await pool.read { conn in
            var rows: [(WebhookRecord, Int64)] = []
            try conn.query("SELECT \(Store.webhookColumns) FROM webhooks w WHERE w.tenant_id = ? AND w.id > ? ORDER BY w.id LIMIT ?",
                           [tenant, after, limit + 1]) { row in rows.append((Store.webhook(row), row.int64(0))) }
            return Store.page(rows, limit: limit)
        }
    }

    public func webhook(tenant: Int64, id: UUID) async throws -> WebhookRecord {
        try await pool.read { conn in try Store.webhook(tenant: tenant, id: id, conn) }
    }

    static func webhook(tenant: Int64, id: UUID, _ conn: Connection) throws -> WebhookRecord {
        var found: WebhookRecord?
        try conn.query("SELECT \(webhookColumns) FROM webhooks w WHERE w.tenant_id = ? AND w.public_id = ?",
                       [tenant, id.uuidString.lowercased()]) { found = webhook($0) }
        guard let found else { throw StoreError.notFound("webhook") }
        return found
    }

    /// `seal` seals the secret for the new row id, inside the transaction.
    public func createWebhook(tenant: Int64, url: String, eventTypes: [EventType], active: Bool, description: String,
                              seal: @Sendable (Int64) throws -> [UInt8], audit: AuditEntry) async throws -> WebhookRecord {
        try await pool.write { conn in
            let id = UUID()
            let now = Store.now()
            _ = try conn.execute("""
                INSERT INTO webhooks (public_id, tenant_id, url, event_types, active, description, sealed_secret, cursor,
                    created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, X'', ?, ?, ?)
                """, [id.uuidString.lowercased(), tenant, url, Store.eventTypes(eventTypes), active, description,
                      try Store.lastEventID(conn), now, now])
            let row = conn.lastInsertRowID
            _ = try conn.execute("UPDATE webhooks SET sealed_secret = ? WHERE id = ?", [try seal(row), row])
            var entry = audit
            entry.target = Store.webhookPath(id)
            try Store.insertAudit(entry, tenant: tenant, conn)
            return try Store.webhook(tenant: tenant, id: id, conn)
        }
    }

    /// A webhook that becomes active again starts after the newest event: it skips what was
    /// committed while it was inactive.
    public func updateWebhook(tenant: Int64, id: UUID, _ changes: WebhookChanges, ifVersion: Int?,
                              audit: AuditEntry) async throws -> WebhookRecord {
        try await pool.write { conn in
            let current = try Store.webhook(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            let active = changes.active ?? current.active
            _ = try conn.execute("""
                UPDATE webhooks SET url = ?, event_types = ?, active = ?, description = ?, version = version + 1, updated_at = ?,
                    cursor = CASE WHEN ? AND active = 0 THEN ? ELSE cursor END
                WHERE id = ?
                """, [changes.url ?? current.url, Store.eventTypes(changes.eventTypes ?? current.eventTypes), active,
                      changes.description ?? current.description, Store.now(), active, try Store.lastEventID(conn),
                      current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.webhook(tenant: tenant, id: id, conn)
        }
    }

    /// The webhook goes; its calls not yet delivered are marked failed so the worker drops them.
    public func deleteWebhook(tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let current = try Store.webhook(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            _ = try conn.execute("""
                UPDATE outbox SET state = 2, status_message = 'The webhook was deleted.'
                WHERE tenant_id = ? AND origin_kind = ? AND origin_id = ? AND state = 0
                """, [tenant, OutboxOrigin.webhook.rawValue, current.rowID])
            _ = try conn.execute("DELETE FROM webhooks WHERE id = ?", [current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    public func rotateWebhookSecret(tenant: Int64, id: UUID, seal: @Sendable (Int64) throws -> [UInt8],
                                    audit: AuditEntry) async throws -> WebhookRecord {
        try await pool.write { conn in
            let current = try Store.webhook(tenant: tenant, id: id, conn)
            _ = try conn.execute("UPDATE webhooks SET sealed_secret = ?, version = version + 1, updated_at = ? WHERE id = ?",
                                 [try seal(current.rowID), Store.now(), current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.webhook(tenant: tenant, id: id, conn)
        }
    }

    /// The sealed signing secret of a webhook of the tenant (for the outbox worker); nil when
    /// the webhook is gone.
    public func webhookSealedSecret(tenant: Int64, webhookRowID: Int64) async throws -> [UInt8]? {
        try await pool.read { conn in
            var sealed: [UInt8]?
            try conn.query("SELECT sealed_secret FROM webhooks WHERE id = ? AND tenant_id = ?", [webhookRowID, tenant]) {
                sealed = $0.blob(0)
            }
            return sealed
        }
    }

    /// The webhook's outbox rows, newest first.
    public func webhookDeliveries(tenant: Int64, id: UUID, limit: Int, cursor: String?) async throws -> Page<WebhookDeliveryRecord> {
        let before = try Store.rowID(fromCursor: cursor) ?? Int64.max
        return try await pool.read { conn in
            let hook = try Store.webhook(tenant: tenant, id: id, conn)
            var rows: [(WebhookDeliveryRecord, Int64)] = []
            try conn.query("""
                SELECT o.id, o.public_id, o.message, o.state, o.attempts, o.created_at, o.last_attempt_at, o.next_attempt_at,
                       o.status_message,
                       (SELECT a.http_status FROM outbox_attempts a WHERE a.outbox_id = o.id ORDER BY a.attempt DESC LIMIT 1)
                FROM outbox o WHERE o.tenant_id = ? AND o.origin_kind = ? AND o.origin_id = ? AND o.id < ?
                ORDER BY o.id DESC LIMIT ?
                """, [tenant, OutboxOrigin.webhook.rawValue, hook.rowID, before, limit + 1]) { row in
                let last: Int64? = row[6], status: Int64? = row[9]
                let state = row.int(3)
                rows.append((WebhookDeliveryRecord(
                    id: UUID(uuidString: row.string(1)) ?? UUID(), message: row.blob(2), state: state, attempts: row.int(4),
                    createdAt: Store.date(row.int64(5)), lastAttemptAt: last.map(Store.date),
                    nextAttemptAt: state == 0 ? Store.date(row.int64(7)) : nil, httpStatus: status.map { Int($0) },
                    statusMessage: row[8]), row.int64(0)))
            }
            return Store.page(rows, limit: limit)
        }
    }

    /// Every active webhook of every tenant, for the dispatcher.
    public func webhookFollowers() async throws -> [WebhookFollower] {
        try await pool.read { conn in
            var out: [WebhookFollower] = []
            try conn.query("SELECT id, tenant_id, url, event_types, cursor FROM webhooks WHERE active = 1 ORDER BY id") { row in
                out.append(WebhookFollower(rowID: row.int64(0), tenant: row.int64(1), url: row.string(2),
                                           eventTypes: Set(Store.eventTypes(row.string(3))), cursor: row.int64(4)))
            }
            return out
        }
    }

    /// Queues the webhook's calls and moves its cursor from `from` to `to` in one transaction, so
    /// each event is queued exactly once, across restarts too. False (nothing done) when the
    /// webhook moved on, changed its URL, went inactive or is gone meanwhile.
    public func advanceWebhook(rowID: Int64, url: String, from: Int64, to: Int64, calls: [OutboxEntry]) async throws -> Bool {
        try await pool.write { conn in
            let moved = try conn.execute("UPDATE webhooks SET cursor = ? WHERE id = ? AND cursor = ? AND active = 1 AND url = ?",
                                         [to, rowID, from, url])
            guard moved == 1 else { return false }
            let now = Store.now()
            for call in calls { try Store.enqueueOutbox(call, now: now, conn) }
            return true
        }
    }
}
