internal import FoundationEssentials
internal import Outbound
internal import Store
internal import Synchronization

/// Follows the event feed off the ingest path (a durable position, like a consumer group) and
/// queues one message per matching rule for each raised info code and triggered consumption
/// alert, in the same transaction that moves the position: nothing is sent twice or skipped.
/// Stretches without a match move the position in memory and are written at most every few
/// seconds, so ingest's commits do not each cost the writer a second transaction.
final class Notifier: Sendable {
    /// How long it sleeps without a commit signal before looking anyway.
    static let idle = Duration.seconds(5)
    /// How often a position moved only past unmatched events is written.
    static let persistEvery = Duration.seconds(5)

    private struct Position {
        var stored: Int64
        var current: Int64
        var storedAt: ContinuousClock.Instant
    }

    private let store: Store
    private let rules: NotificationRuleCache
    private let queued: @Sendable () -> Void
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let position = Mutex<Position?>(nil)

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
        try? await persist(force: true)
    }

    /// Handles the next slice of the feed; true when the position moved (there may be more).
    @discardableResult
    func pass() async throws -> Bool {
        var known = position.withLock { $0 }
        if known == nil {
            let stored = try await store.notifierPosition()
            known = Position(stored: stored, current: stored, storedAt: .now)
        }
        guard let at = known else { return false }
        let (events, to) = try await store.notifierEvents(after: at.current)
        guard to != at.current else {
            position.withLock { $0 = at }
            try await persist(force: false)
            return false
        }
        var entries: [OutboxEntry] = []
        for event in events {
            let entry = try await rules.entry(tenant: event.tenant)
            for rule in NotificationRuleCache.matching(entry.index, event) {
                let line = NotificationText.line(event, zone: entry.zone)
                let message = NotificationText.message(for: rule.fields, fallbackSubject: line, body: line)
                entries.append(try NotificationText.entry(tenant: event.tenant, rule: rule.rowID, fields: rule.fields,
                                                          origin: .notificationRule, message: message))
            }
        }
        if entries.isEmpty {
            position.withLock { $0 = Position(stored: at.stored, current: to, storedAt: at.storedAt) }
            try await persist(force: false)
            return true
        }
        guard try await store.commitNotifier(entries, from: at.stored, to: to) else {
            // Another writer moved it (not expected: one notifier per database); start over from it.
            position.withLock { $0 = nil }
            return true
        }
        position.withLock { $0 = Position(stored: to, current: to, storedAt: .now) }
        queued()
        return true
    }

    /// Writes a position moved only in memory, when it is old enough (or `force`).
    func persist(force: Bool) async throws {
        guard let at = position.withLock({ $0 }), at.current != at.stored,
              force || ContinuousClock.now - at.storedAt >= Self.persistEvery else { return }
        if try await store.commitNotifier([], from: at.stored, to: at.current) {
            position.withLock { $0 = Position(stored: at.current, current: at.current, storedAt: .now) }
        } else {
            position.withLock { $0 = nil }
        }
    }
}
