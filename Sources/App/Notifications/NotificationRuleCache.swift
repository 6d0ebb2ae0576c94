internal import FoundationEssentials
internal import FoundationInternationalization
internal import Store
internal import Synchronization

/// Each tenant's active rules and time zone, in memory for the notifier: matching an event is
/// a walk over compiled rules, no query. Rule changes invalidate their tenant; entries also
/// expire, so a changed tenant time zone is picked up within a minute.
final class NotificationRuleCache: Sendable {
    struct Rule: Sendable {
        var rowID: Int64
        var fields: NotificationRuleFields
        /// nil: every info code.
        var codes: Set<String>?
    }

    struct Entry: Sendable {
        var zone: TimeZone
        var rules: [Rule]
        var loadedAt: ContinuousClock.Instant
    }

    static let lifetime = Duration.seconds(60)

    private let store: Store
    private let entries = Mutex<[Int64: Entry]>([:])

    init(store: Store) { self.store = store }

    func invalidate(tenant: Int64) { _ = entries.withLock { $0.removeValue(forKey: tenant) } }

    func entry(tenant: Int64) async throws -> Entry {
        let now = ContinuousClock.now
        if let cached = entries.withLock({ $0[tenant] }), now - cached.loadedAt < Self.lifetime { return cached }
        let tenantRecord = try await store.tenant(rowID: tenant)
        let rules = try await store.activeNotificationRules(tenant: tenant).map {
            Rule(rowID: $0.rowID, fields: $0.fields, codes: $0.fields.infoCodes.map(Set.init))
        }
        let entry = Entry(zone: TimeZone(identifier: tenantRecord.timeZone) ?? TimeZone(identifier: "UTC")!, rules: rules, loadedAt: now)
        entries.withLock { $0[tenant] = entry }
        return entry
    }

    /// The immediate rules an event concerns: the code (or alerts) selected, the meter in the group.
    static func matching(_ rules: [Rule], _ event: NotifierEvent) -> [Rule] {
        rules.filter { rule in
            guard rule.fields.immediately else { return false }
            switch event.type {
            case .infoCodeRaised: guard rule.codes?.contains(event.detail) ?? true else { return false }
            case .consumptionAlertTriggered: guard rule.fields.consumptionAlerts else { return false }
            default: return false
            }
            return event.meter.isIn(group: rule.fields.group)
        }
    }
}
