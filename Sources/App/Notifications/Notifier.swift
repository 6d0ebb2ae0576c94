internal import FoundationEssentials
internal import Outbound
internal import Store
internal import Synchronization

/// Follows the event feed off the ingest path (a durable position, like a consumer group) and
/// queues one message per matching rule for each raised info code and triggered consumption
/// alert, in the same transaction that moves the position: nothing is sent twice or skipped.
final class Notifier: Sendable {
    /// How long it sleeps without a commit signal before looking anyway.
    static let idle = Duration.seconds(5)

    private let store: Store
    private let rules: NotificationRuleCache
    private let queued: @Sendable () -> Void
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// `queued` is told when messages were queued (it wakes the outbox worker).
    init(store: Store, rules: NotificationRuleCache, queued: @escaping @Sendable () -> Void) {
        self.store = store
        self.rules = rules
        self.queued = queued
    }

    func start() {
        let loop = Task.detached { [self] in
            while !Task.isCancelled {
                let seen = store.eventsCommitted.generation
                do {
                    if try await pass() { continue }
                } catch is CancellationError {
                    break
                } catch {
                    AppLog.error("notifier pass failed", [("error", String(describing: error))])
                }
                await store.eventsCommitted.wait(after: seen, timeout: Self.idle)
            }
        }
        task.withLock { $0 = loop }
    }

    func stop() async {
        guard let loop = task.withLock({ t -> Task<Void, Never>? in defer { t = nil }; return t }) else { return }
        loop.cancel()
        await loop.value
    }

    /// Handles the next slice of the feed; true when the position moved (there may be more).
    @discardableResult
    func pass() async throws -> Bool {
        let from = try await store.notifierPosition()
        let (events, to) = try await store.notifierEvents(after: from)
        guard to != from else { return false }
        var entries: [OutboxEntry] = []
        for event in events {
            let entry = try await rules.entry(tenant: event.tenant)
            for rule in NotificationRuleCache.matching(entry.rules, event) {
                let line = NotificationText.line(event, zone: entry.zone)
                let message = NotificationText.message(for: rule.fields, fallbackSubject: line, body: line)
                entries.append(try NotificationText.entry(tenant: event.tenant, rule: rule.rowID, fields: rule.fields,
                                                          origin: .notificationRule, message: message))
            }
        }
        if try await store.commitNotifier(entries, from: from, to: to), !entries.isEmpty { queued() }
        return true
    }
}
