internal import FoundationEssentials
internal import SQLite

/// A rule whose daily digest is due, with its tenant's time zone.
public struct DueDigest: Sendable {
    public var rule: NotificationRuleRecord
    public var timeZone: String
    /// When it was due (Unix ms): the digest replaces exactly this one.
    public var dueAt: Int64
}

/// The meters with active info codes in a rule's scope, as a digest lists them.
public struct DigestScope: Sendable {
    /// How many meters have active codes (the list may be shorter).
    public var total: Int
    public var meters: [MeterScope]
}

extension Store {
    /// Meters a digest names at most (the count says how many there are).
    public static let digestListLimit = 50

    /// Active rules whose digest was due at `now` (Unix ms) or before.
    public func dueDigests(now: Int64) async throws -> [DueDigest] {
        try await pool.read { conn in
            var due: [DueDigest] = []
            try conn.query("""
                SELECT \(Store.ruleColumns), t.time_zone, r.digest_next_at FROM \(Store.ruleFrom) JOIN tenants t ON t.id = r.tenant_id
                WHERE r.digest_next_at <= ? AND r.active = 1 ORDER BY r.digest_next_at LIMIT 500
                """, [now]) { row in
                due.append(DueDigest(rule: Store.rule(row), timeZone: row.string(18), dueAt: row.int64(19)))
            }
            return due
        }
    }

    /// When the earliest digest is due (Unix ms), nil when none is planned.
    public func nextDigestDue() async throws -> Int64? {
        try await pool.read { conn in
            try conn.scalar("SELECT min(digest_next_at) FROM notification_rules WHERE active = 1")
        }
    }

    /// The meters of the tenant with active info codes in `group` (a virtual name or group id),
    /// restricted to `codes` when given.
    public func digestScope(tenant: Int64, group: String, codes: [String]?) async throws -> DigestScope {
        try await pool.read { conn in
            var scope = DigestScope(total: 0, meters: [])
            try conn.query("""
                SELECT \(Store.meterScopeColumns) FROM meters m LEFT JOIN metering_points mp ON mp.id = m.metering_point_id
                WHERE m.tenant_id = ? AND m.deleted_at IS NULL AND m.active_info_codes <> '' ORDER BY m.serial, m.id
                """, [tenant]) { row in
                var meter = Store.meterScope(row, from: 0)
                guard meter.isIn(group: group) else { return }
                if let codes { meter.activeInfoCodes = meter.activeInfoCodes.filter(codes.contains) }
                guard !meter.activeInfoCodes.isEmpty else { return }
                scope.total += 1
                if scope.meters.count < Store.digestListLimit { scope.meters.append(meter) }
            }
            return scope
        }
    }

    /// Moves a rule's digest on to `nextAt` and queues `entry` (nil: nothing to say today), in
    /// one transaction, only if the digest is still the one due at `dueAt`: a digest is
    /// queued once even when two passes race or the rule changed meanwhile.
    public func commitDigest(rule: Int64, dueAt: Int64, nextAt: Int64, entry: OutboxEntry?) async throws -> Bool {
        try await pool.write { conn in
            let changed = try conn.execute("UPDATE notification_rules SET digest_next_at = ? WHERE id = ? AND digest_next_at = ?",
                                           [nextAt, rule, dueAt])
            guard changed == 1 else { return false }
            if let entry { try Store.enqueueOutbox(entry, now: Store.now(), conn) }
            return true
        }
    }
}
