public import FoundationEssentials
internal import SQLite

/// An event the notifier acts on, with what rule matching and the message need of its meter.
public struct NotifierEvent: Sendable {
    public var tenant: Int64
    public var type: EventType
    /// Unix milliseconds (the reading's time for info codes).
    public var time: Int64
    /// The info code (`leak`) or the consumption alert's public id.
    public var detail: String
    public var meter: MeterScope
}

/// A meter as notifications describe it and as a rule's group decides on it.
public struct MeterScope: Sendable, Equatable {
    public var serial: String
    /// "Søndergade 1, 8000 Aarhus C", or nil without a metering point address.
    public var address: String?
    /// Public ids (lowercase) of the tenant groups the meter is in.
    public var groups: [String]
    public var priority: Bool
    public var lastImported: Bool
    public var activeInfoCodes: [String]

    public init(serial: String, address: String?, groups: [String], priority: Bool, lastImported: Bool, activeInfoCodes: [String]) {
        self.serial = serial
        self.address = address
        self.groups = groups
        self.priority = priority
        self.lastImported = lastImported
        self.activeInfoCodes = activeInfoCodes
    }

    /// Whether a rule's `group` (a virtual name or a group id) covers this meter.
    public func isIn(group: String) -> Bool {
        switch group {
        case "all": true
        case "non-grouped": groups.isEmpty
        case "last-imported": lastImported
        case "priority": priority
        default: groups.contains(group)
        }
    }
}

extension Store {
    /// Events one notifier pass examines at most.
    static let notifierScanLimit: Int64 = 5_000

    /// The meter columns `meterScope` reads, for a meters row `m`.
    static let meterScopeColumns = """
        m.serial, mp.address, mp.postal_code, mp.city, m.priority_since IS NOT NULL,
        ifnull(m.import_number = (SELECT nullif(last_import_number, 0) FROM tenants WHERE id = m.tenant_id), 0),
        (SELECT group_concat(g.public_id) FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.meter_id = m.id),
        m.active_info_codes
        """

    static func meterScope(_ row: Row, from c: Int) -> MeterScope {
        let street: String? = row[c + 1], postal: String? = row[c + 2], city: String? = row[c + 3]
        let town = [postal, city].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: " ")
        let address = [street ?? "", town].filter { !$0.isEmpty }.joined(separator: ", ")
        let groups: String? = row[c + 6]
        let codes = row.string(c + 7)
        return MeterScope(serial: row.string(c), address: address.isEmpty ? nil : address,
                          groups: groups.map { $0.split(separator: ",").map(String.init) } ?? [],
                          priority: row.bool(c + 4), lastImported: row.bool(c + 5),
                          activeInfoCodes: codes.isEmpty ? [] : codes.split(separator: ",").map(String.init))
    }

    /// Where the notifier stands in the event feed (an event id).
    public func notifierPosition() async throws -> Int64 {
        try await pool.read { conn in try conn.scalar("SELECT after_event FROM notifier_position WHERE id = 1") ?? 0 }
    }

    /// The next raised info codes and triggered consumption alerts after `after`, of every
    /// tenant, and the position to continue from (it moves past events of other types too).
    /// Events retention removed unread are skipped: the position never points before them.
    public func notifierEvents(after: Int64) async throws -> (events: [NotifierEvent], position: Int64) {
        try await pool.read { conn in
            let pruned: Int64 = try conn.scalar("SELECT pruned_through FROM event_retention WHERE id = 1") ?? 0
            let start = max(after, pruned)
            let end: Int64 = try conn.scalar("SELECT max(id) FROM (SELECT id FROM events WHERE id > ? ORDER BY id LIMIT ?)",
                                             [start, Store.notifierScanLimit]) ?? start
            var events: [NotifierEvent] = []
            try conn.query("""
                SELECT e.tenant_id, e.type, e.time, e.data, \(Store.meterScopeColumns)
                FROM events e JOIN meters m ON m.id = e.subject_id LEFT JOIN metering_points mp ON mp.id = m.metering_point_id
                WHERE e.id > ? AND e.id <= ? AND e.type IN (?, ?) ORDER BY e.id
                """, [start, end, EventType.infoCodeRaised.code, EventType.consumptionAlertTriggered.code]) { row in
                guard let type = EventType(code: row.int64(1)) else { return }
                events.append(NotifierEvent(tenant: row.int64(0), type: type, time: row.int64(2),
                                            detail: String(decoding: row.isNull(3) ? [] : row.blob(3), as: UTF8.self),
                                            meter: Store.meterScope(row, from: 4)))
            }
            return (events, end)
        }
    }

    /// Queues the notifier's messages and moves its position, in one transaction: a crash
    /// before the commit sends them on the next pass, after it never twice. False when the
    /// position moved meanwhile (nothing is queued then).
    public func commitNotifier(_ entries: [OutboxEntry], from: Int64, to: Int64) async throws -> Bool {
        try await pool.write { conn in
            let changed = try conn.execute("UPDATE notifier_position SET after_event = ? WHERE id = 1 AND after_event = ?", [to, from])
            guard changed == 1 else { return false }
            let now = Store.now()
            for entry in entries { try Store.enqueueOutbox(entry, now: now, conn) }
            return true
        }
    }

    /// Queues a rule's test message (origin `notificationTest`); audited with the rule.
    public func enqueueNotificationTest(tenant: Int64, rule id: UUID, message: @escaping @Sendable (NotificationRuleRecord) throws -> OutboxEntry,
                                        audit: AuditEntry) async throws -> UUID {
        try await pool.write { conn in
            let rule = try Store.rule(tenant: tenant, id: id, conn)
            let queued = try Store.enqueueOutbox(try message(rule), now: Store.now(), conn)
            try Store.insertAudit(audit, tenant: tenant, conn)
            return queued
        }
    }
}
