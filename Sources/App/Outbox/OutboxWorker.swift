internal import FoundationEssentials
internal import Outbound
internal import Store
internal import Synchronization

/// Sends what the outbox holds: sleeps until the next row is due or something is queued
/// (`wake`), sends due rows a few at a time, and records every attempt. A row in flight when
/// the process dies is still pending, so it is sent again after a restart (at least once).
final class OutboxWorker: Sendable {
    /// Rows claimed per pass, and sent at once at most.
    static let batch = 64
    /// How long an idle worker sleeps before looking again (a queue that did not wake it).
    static let idleMillis: Int64 = 5_000

    typealias ChannelLookup = @Sendable (_ tenant: Int64) async throws -> ChannelSettings
    /// The signing secret of the webhook an outbox row belongs to (`origin_id`); nil when gone.
    typealias WebhookSecretLookup = @Sendable (_ tenant: Int64, _ webhook: Int64) async throws -> [UInt8]?

    private let store: Store
    private let transport: any MessageTransport
    private let channels: ChannelLookup
    private let webhookSecret: WebhookSecretLookup
    private let clock: any OutboxClock
    private let backoff: OutboxBackoff
    private let concurrency: Int
    private let wakeup = CommitSignal()
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: Store, transport: any MessageTransport, channels: @escaping ChannelLookup,
         webhookSecret: @escaping WebhookSecretLookup = { _, _ in nil }, clock: any OutboxClock = SystemOutboxClock(),
         backoff: OutboxBackoff = OutboxBackoff(), concurrency: Int = 4) {
        self.store = store
        self.transport = transport
        self.channels = channels
        self.webhookSecret = webhookSecret
        self.clock = clock
        self.backoff = backoff
        self.concurrency = max(1, concurrency)
    }

    /// Something was queued (or time moved, in tests): look now.
    func wake() { wakeup.signal() }

    func start() {
        let loop = Task.detached { [self] in
            while !Task.isCancelled {
                let seen = wakeup.generation
                do {
                    if try await sendDue() > 0 { continue }
                } catch is CancellationError {
                    break
                } catch {
                    AppLog.error("outbox pass failed", [("error", String(describing: error))])
                }
                var wait = Self.idleMillis
                if let next = try? await store.nextOutboxDue() { wait = min(max(next - clock.now(), 20), Self.idleMillis) }
                await wakeup.wait(after: seen, timeout: .milliseconds(wait))
            }
        }
        task.withLock { $0 = loop }
    }

    /// Stops looking for work and waits for the attempts in flight to be recorded.
    func stop() async {
        guard let loop = task.withLock({ t -> Task<Void, Never>? in defer { t = nil }; return t }) else { return }
        loop.cancel()
        await loop.value
    }

    /// Sends the rows due now, `concurrency` at a time; returns how many were attempted.
    @discardableResult
    func sendDue() async throws -> Int {
        let due = try await store.dueOutbox(now: clock.now(), limit: Self.batch)
        guard !due.isEmpty else { return 0 }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for row in due {
                if running == concurrency {
                    await group.next()
                    running -= 1
                }
                group.addTask { await self.send(row) }
                running += 1
            }
        }
        return due.count
    }

    private func send(_ row: OutboxDue) async {
        let outcome = await attempt(row)
        let attempt = row.attempts + 1
        let (result, retryAt) = backoff.decision(attempt: attempt, status: outcome.status, now: clock.now(), jitter: clock.jitter())
        var message = outcome.message
        if result == .failed, outcome.status == .transient { message += " (gave up after \(attempt) attempts)" }
        do {
            try await store.recordOutboxAttempt(rowID: row.rowID, outcome: result, httpStatus: outcome.peerStatus, message: message,
                                                retryAt: retryAt)
        } catch {
            // Unrecorded, the row stays pending and goes out again: at least once, never lost.
            AppLog.error("outbox attempt not recorded", [("id", row.id.uuidString.lowercased()), ("error", String(describing: error))])
        }
    }

    private func attempt(_ row: OutboxDue) async -> DeliveryOutcome {
        let message: OutboundMessage
        do {
            message = try OutboundMessage(encoded: row.message)
        } catch {
            return DeliveryOutcome(status: .permanent, message: "The queued message could not be read.")
        }
        let settings: ChannelSettings
        var secret: [UInt8]?
        do {
            settings = try await channels(row.tenant)
            if case .webhook = message {
                secret = try await webhookSecret(row.tenant, row.originID)
                if secret == nil { return DeliveryOutcome(status: .permanent, message: "The webhook no longer exists.") }
            }
        } catch {
            AppLog.error("outbox channel settings unavailable", [("error", String(describing: error))])
            return DeliveryOutcome(status: .transient, message: "The channel settings could not be read.")
        }
        return await transport.deliver(message, channels: settings, webhookSecret: secret)
    }
}
