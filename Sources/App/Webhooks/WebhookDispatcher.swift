internal import API
internal import FoundationEssentials
internal import Outbound
internal import Store
internal import Synchronization

/// Follows the event feed for every active webhook and queues one outbox call per matching
/// event. Each webhook's position (`webhooks.cursor`) moves in the same transaction that queues
/// its calls, so after a crash or restart nothing is skipped and nothing is queued twice.
/// Wakes when events commit (`Store.eventsCommitted`), else every `idle`.
final class WebhookDispatcher: Sendable {
    static let idle = Duration.seconds(5)
    /// Events per webhook per transaction.
    static let batch = 500

    private let store: Store
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: Store) {
        self.store = store
    }

    func start() {
        let store = store
        let loop = Task.detached {
            while !Task.isCancelled {
                let seen = store.eventsCommitted.generation
                var more = false
                do {
                    more = try await Self.dispatch(store)
                } catch is CancellationError {
                    break // stopping: not a failure
                } catch {
                    AppLog.error("webhook dispatch failed", [("error", String(describing: error))])
                }
                if !more { await store.eventsCommitted.wait(after: seen, timeout: Self.idle) }
            }
        }
        task.withLock { $0 = loop }
    }

    func stop() async {
        guard let loop = task.withLock({ t -> Task<Void, Never>? in defer { t = nil }; return t }) else { return }
        loop.cancel()
        await loop.value
    }

    /// One pass over the active webhooks; true when some webhook has more events waiting.
    @discardableResult
    static func dispatch(_ store: Store, now: Date = Date()) async throws -> Bool {
        var more = false
        for hook in try await store.webhookFollowers() {
            let page: EventPage
            do {
                page = try await store.events(tenant: hook.tenant, after: hook.cursor, types: hook.eventTypes, limit: batch)
            } catch StoreError.gone {
                // Retention removed events this webhook had not reached (it was failing or the
                // server was down longer than the retention): go on from the oldest kept.
                AppLog.error("webhook fell behind the event retention", [("webhook", String(hook.rowID))])
                page = try await store.events(tenant: hook.tenant, after: nil, types: hook.eventTypes, limit: batch)
            }
            guard page.position > hook.cursor else { continue }
            let timestamp = Int64(now.timeIntervalSince1970)
            let calls = try page.items.map { event in
                let call = OutboundMessage.WebhookCall(url: hook.url, messageID: "evt_" + Store.cursor(event.rowID), timestamp: timestamp,
                                                       payload: EventJSON.event(event).jsonBytes())
                return OutboxEntry(tenant: hook.tenant, channel: .webhook, origin: .webhook, originID: hook.rowID, recipient: hook.url,
                                   message: try OutboundMessage.webhook(call).encoded())
            }
            let advanced = try await store.advanceWebhook(rowID: hook.rowID, url: hook.url, from: hook.cursor, to: page.position,
                                                          calls: calls)
            if advanced && (page.more || page.items.count == batch) { more = true }
        }
        return more
    }
}
