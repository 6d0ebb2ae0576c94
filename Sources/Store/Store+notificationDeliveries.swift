public import FoundationEssentials
internal import SQLite

/// The delivery log of notifications: outbox rows of rules, their tests and digests.
extension Store {
    /// Newest first. `rule` narrows to one rule (notFound when it is not the tenant's);
    /// `state` to 0 pending, 1 delivered or 2 failed.
    public func notificationDeliveries(tenant: Int64, rule: UUID?, state: Int64?, limit: Int,
                                       cursor: String?) async throws -> Page<NotificationDeliveryRecord> {
        let before = try Store.rowID(fromCursor: cursor) ?? Int64.max
        return try await pool.read { conn in
            var ruleRow: Int64?
            if let rule { ruleRow = try Store.rule(tenant: tenant, id: rule, conn).rowID }
            var rows: [(NotificationDeliveryRecord, Int64)] = []
            try conn.query("""
                SELECT o.id, o.public_id, r.public_id, o.origin_kind, o.channel, o.recipient, o.state, o.status_message,
                    o.created_at, o.last_attempt_at, o.next_attempt_at
                FROM outbox o LEFT JOIN notification_rules r ON r.id = o.origin_id AND r.tenant_id = o.tenant_id
                WHERE o.tenant_id = ?1 AND o.origin_kind IN (1, 2, 4) AND o.id < ?2
                  AND (?3 IS NULL OR o.origin_id = ?3) AND (?4 IS NULL OR o.state = ?4)
                ORDER BY o.id DESC LIMIT ?5
                """, [tenant, before, ruleRow, state, Int64(limit + 1)]) { row in
                let state = row.int64(6)
                let record = NotificationDeliveryRecord(
                    rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(),
                    ruleID: row.isNull(2) ? nil : UUID(uuidString: row.string(2)),
                    origin: OutboxOrigin(rawValue: row.int64(3)) ?? .notificationRule,
                    channel: OutboxChannel(rawValue: row.int64(4)) ?? .email, recipient: row.string(5), state: state,
                    message: row[7], createdAt: Store.date(row.int64(8)), lastAttemptAt: row.isNull(9) ? nil : Store.date(row.int64(9)),
                    nextAttemptAt: state == 0 ? Store.date(row.int64(10)) : nil, attempts: [])
                rows.append((record, record.rowID))
            }
            var page = Store.page(rows, limit: limit)
            for i in page.items.indices {
                try conn.query("SELECT attempt, time, outcome, http_status, message FROM outbox_attempts WHERE outbox_id = ? ORDER BY attempt",
                               [page.items[i].rowID]) { row in
                    page.items[i].attempts.append(.init(
                        attempt: row.int(0), time: Store.date(row.int64(1)), outcome: OutboxAttemptOutcome(rawValue: row.int64(2)) ?? .failed,
                        peerStatus: row.isNull(3) ? nil : row.int(3), message: row.string(4)))
                }
            }
            return page
        }
    }
}
