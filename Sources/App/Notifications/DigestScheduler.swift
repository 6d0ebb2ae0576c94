internal import FoundationEssentials
internal import FoundationInternationalization
internal import Metering
internal import Store
internal import Synchronization

/// Sends each rule's daily digest at its time of day in the tenant's zone. The next due time
/// is stored with the rule, so the schedule survives restarts, and a digest missed while the
/// server was down goes out once when it is back (the next one is planned after now).
final class DigestScheduler: Sendable {
    /// Longest sleep between looks (rules changed meanwhile are seen by then, or on `wake`).
    static let idleMillis: Int64 = 60_000

    private let store: Store
    private let clock: any OutboxClock
    private let queued: @Sendable () -> Void
    private let wakeup = CommitSignal()
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: Store, clock: any OutboxClock = SystemOutboxClock(), queued: @escaping @Sendable () -> Void) {
        self.store = store
        self.clock = clock
        self.queued = queued
    }

    /// A rule's schedule changed: look again.
    func wake() { wakeup.signal() }

    func start() {
        let loop = Task.detached { [self] in
            while !Task.isCancelled {
                let seen = wakeup.generation
                do {
                    try await pass()
                } catch is CancellationError {
                    break
                } catch {
                    AppLog.error("digest pass failed", [("error", String(describing: error))])
                }
                var wait = Self.idleMillis
                if let next = try? await store.nextDigestDue() { wait = min(max(next - clock.now(), 20), Self.idleMillis) }
                await wakeup.wait(after: seen, timeout: .milliseconds(wait))
            }
        }
        task.withLock { $0 = loop }
    }

    func stop() async {
        guard let loop = task.withLock({ t -> Task<Void, Never>? in defer { t = nil }; return t }) else { return }
        loop.cancel()
        await loop.value
    }

    /// Queues every digest due now; returns how many messages were queued.
    @discardableResult
    func pass() async throws -> Int {
        let now = clock.now()
        var sent = 0
        for due in try await store.dueDigests(now: now) {
            let zone = TimeZone(identifier: due.timeZone) ?? TimeZone(identifier: "UTC")!
            let fields = due.rule.fields
            guard let minute = fields.digestMinute, let schedule = DailySchedule(minuteOfDay: minute) else { continue }
            let nextAt = schedule.next(after: now / 1000, in: zone) * 1000
            var entry: OutboxEntry?
            if fields.infoCodes != [] {
                let scope = try await store.digestScope(tenant: due.rule.tenant, group: fields.group, codes: fields.infoCodes)
                if scope.total > 0 {
                    let text = NotificationText.digest(scope, at: now, zone: zone)
                    let message = NotificationText.message(for: fields, fallbackSubject: text.subject, body: text.body, short: text.short)
                    entry = try NotificationText.entry(tenant: due.rule.tenant, rule: due.rule.rowID, fields: fields,
                                                       origin: .notificationDigest, message: message)
                }
            }
            if try await store.commitDigest(rule: due.rule.rowID, dueAt: due.dueAt, nextAt: nextAt, entry: entry), entry != nil { sent += 1 }
        }
        if sent > 0 { queued() }
        return sent
    }
}
