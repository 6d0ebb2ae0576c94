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
        /// The group, parsed once.
        var scope: GroupSelector?

        init(rowID: Int64, fields: NotificationRuleFields, codes: Set<String>?) {
            self.rowID = rowID
            self.fields = fields
            self.codes = codes
            scope = GroupSelector(parameter: fields.group)
        }

        func covers(_ meter: MeterScope) -> Bool {
            switch scope {
            case .all: true
            case .nonGrouped: meter.groups.isEmpty
            case .lastImported: meter.lastImported
            case .priority: meter.priority
            case .group: meter.groups.contains(fields.group)
            case nil: false
            }
        }
    }

    /// Immediate rules indexed by what they react to, so an event looks only at candidates.
    struct Index: Sendable {
        var byCode: [String: [Rule]] = [:]
        var everyCode: [Rule] = []
        var alerts: [Rule] = []

        init(_ rules: [Rule]) {
            for rule in rules where rule.fields.immediately {
                if let codes = rule.codes {
                    for code in codes { byCode[code, default: []].append(rule) }
                } else {
                    everyCode.append(rule)
                }
                if rule.fields.consumptionAlerts { alerts.append(rule) }
            }
        }
    }

    struct Entry: Sendable {
        var zone: TimeZone
        var index: Index
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
        let entry = Entry(zone: TimeZone(identifier: tenantRecord.timeZone) ?? TimeZone(identifier: "UTC")!, index: Index(rules),
                          loadedAt: now)
        entries.withLock { $0[tenant] = entry }
        return entry
    }

    /// The immediate rules an event concerns (the code or alerts selected, the meter in the
    /// group), in rule order.
    static func matching(_ index: Index, _ event: NotifierEvent) -> [Rule] {
        let candidates: [Rule] = switch event.type {
        case .infoCodeRaised:
            (index.byCode[event.detail] ?? []).isEmpty ? index.everyCode
                : index.everyCode.isEmpty ? index.byCode[event.detail]! : (index.byCode[event.detail]! + index.everyCode).sorted { $0.rowID < $1.rowID }
        case .consumptionAlertTriggered: index.alerts
        default: []
        }
        return candidates.filter { $0.covers(event.meter) }
    }

    static func matching(_ rules: [Rule], _ event: NotifierEvent) -> [Rule] { matching(Index(rules), event) }
}
