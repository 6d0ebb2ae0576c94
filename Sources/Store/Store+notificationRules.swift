public import FoundationEssentials
internal import SQLite

/// Notification rules: who is told about which info codes and consumption alerts, and how.
extension Store {
    /// Rules a tenant may have (409 beyond).
    public static let maxNotificationRules = 1_000

    /// The rule's columns, then its newest notification's last attempt, state and message.
    static let ruleColumns = """
        r.id, r.public_id, r.tenant_id, r.channel, r.recipient, r.active, r.subject, r.group_ref, r.info_codes,
        r.consumption_alerts, r.immediately, r.digest_minute, r.version, r.created_at, r.updated_at,
        o.last_attempt_at, o.state, o.status_message
        """
    static let ruleFrom = """
        notification_rules r LEFT JOIN outbox o ON o.id = (SELECT max(id) FROM outbox
            WHERE tenant_id = r.tenant_id AND origin_kind IN (1, 2, 4) AND origin_id = r.id)
        """

    static func rule(_ row: Row) -> NotificationRuleRecord {
        let codes: String? = row[8]
        let fields = NotificationRuleFields(
            channel: OutboxChannel(rawValue: row.int64(3)) ?? .email, recipient: row.string(4), active: row.bool(5),
            subject: row[6], group: row.string(7), infoCodes: codes.map { $0.isEmpty ? [] : $0.split(separator: ",").map(String.init) },
            consumptionAlerts: row.bool(9), immediately: row.bool(10), digestMinute: row[11])
        return NotificationRuleRecord(
            rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), tenant: row.int64(2), fields: fields,
            version: row.int(12), createdAt: date(row.int64(13)), updatedAt: date(row.int64(14)),
            lastSent: row.isNull(15) ? nil : date(row.int64(15)), deliveryState: row.isNull(16) ? nil : row.int64(16),
            deliveryMessage: row[17])
    }

    static func rulePath(_ id: UUID) -> String { "/v1/notification-rules/\(id.uuidString.lowercased())" }

    private static func ruleBindings(_ f: NotificationRuleFields) -> [(any Bindable)?] {
        [f.channel.rawValue, f.recipient, f.active ? 1 : 0 as Int64, f.subject, f.group, f.infoCodes?.joined(separator: ","),
         f.consumptionAlerts ? 1 : 0 as Int64, f.immediately ? 1 : 0 as Int64, f.digestMinute.map { Int64($0) }]
    }

    /// `digestNextAt`: when the first digest is due (Unix ms), nil without one.
    public func createNotificationRule(tenant: Int64, fields: NotificationRuleFields, digestNextAt: Int64?,
                                       audit: AuditEntry) async throws -> NotificationRuleRecord {
        try await pool.write { conn in
            let count: Int64 = try conn.scalar("SELECT count(*) FROM notification_rules WHERE tenant_id = ?", [tenant]) ?? 0
            guard count < Store.maxNotificationRules else {
                throw StoreError.conflict("A tenant has at most \(Store.maxNotificationRules) notification rules; delete one first.")
            }
            let id = UUID()
            let now = Store.now()
            _ = try conn.execute("""
                INSERT INTO notification_rules (channel, recipient, active, subject, group_ref, info_codes, consumption_alerts,
                    immediately, digest_minute, public_id, tenant_id, digest_next_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, Store.ruleBindings(fields) + [id.uuidString.lowercased(), tenant, digestNextAt, now, now])
            var entry = audit
            entry.target = Store.rulePath(id)
            try Store.insertAudit(entry, tenant: tenant, conn)
            return try Store.rule(tenant: tenant, id: id, conn)
        }
    }

    public func notificationRule(tenant: Int64, id: UUID) async throws -> NotificationRuleRecord {
        try await pool.read { conn in try Store.rule(tenant: tenant, id: id, conn) }
    }

    static func rule(tenant: Int64, id: UUID, _ conn: Connection) throws -> NotificationRuleRecord {
        var found: NotificationRuleRecord?
        try conn.query("SELECT \(ruleColumns) FROM \(ruleFrom) WHERE r.public_id = ? AND r.tenant_id = ?",
                       [id.uuidString.lowercased(), tenant]) { found = rule($0) }
        guard let found else { throw StoreError.notFound("notification rule") }
        return found
    }

    /// The tenant's rules, oldest first.
    public func notificationRules(tenant: Int64, limit: Int, cursor: String?) async throws -> Page<NotificationRuleRecord> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        return try await pool.read { conn in
            var rows: [(NotificationRuleRecord, Int64)] = []
            try conn.query("SELECT \(Store.ruleColumns) FROM \(Store.ruleFrom) WHERE r.tenant_id = ? AND r.id > ? ORDER BY r.id LIMIT ?",
                           [tenant, after, Int64(limit + 1)]) { row in
                let record = Store.rule(row)
                rows.append((record, record.rowID))
            }
            return Store.page(rows, limit: limit)
        }
    }

    /// Changes a rule: `change` gets the stored fields inside the write transaction and returns
    /// the new ones with the next digest time (so a change without If-Match cannot lose another).
    public func updateNotificationRule(
        tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry,
        change: @escaping @Sendable (NotificationRuleFields) throws -> (NotificationRuleFields, digestNextAt: Int64?)
    ) async throws -> NotificationRuleRecord {
        try await pool.write { conn in
            let current = try Store.rule(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.version { throw StoreError.versionMismatch(current: current.version) }
            let (fields, next) = try change(current.fields)
            _ = try conn.execute("""
                UPDATE notification_rules SET channel = ?, recipient = ?, active = ?, subject = ?, group_ref = ?, info_codes = ?,
                    consumption_alerts = ?, immediately = ?, digest_minute = ?, digest_next_at = ?, version = version + 1,
                    updated_at = ? WHERE id = ?
                """, Store.ruleBindings(fields) + [next, Store.now(), current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.rule(tenant: tenant, id: id, conn)
        }
    }

    /// Deletes a rule. Its messages already queued still go out; the delivery log keeps them.
    public func deleteNotificationRule(tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let current = try Store.rule(tenant: tenant, id: id, conn)
            if let ifVersion, ifVersion != current.version { throw StoreError.versionMismatch(current: current.version) }
            _ = try conn.execute("DELETE FROM notification_rules WHERE id = ?", [current.rowID])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    /// Every active rule of a tenant, for the notifier's cache.
    public func activeNotificationRules(tenant: Int64) async throws -> [NotificationRuleRecord] {
        try await pool.read { conn in
            var rules: [NotificationRuleRecord] = []
            try conn.query("SELECT \(Store.ruleColumns) FROM \(Store.ruleFrom) WHERE r.tenant_id = ? AND r.active = 1 ORDER BY r.id",
                           [tenant]) { rules.append(Store.rule($0)) }
            return rules
        }
    }

    /// Whether the tenant has this group (a rule may only name its own).
    public func groupExists(tenant: Int64, id: UUID) async throws -> Bool {
        try await pool.read { conn in
            let row: Int64? = try conn.scalar("SELECT id FROM groups WHERE tenant_id = ? AND public_id = ?",
                                              [tenant, id.uuidString.lowercased()])
            return row != nil
        }
    }
}
