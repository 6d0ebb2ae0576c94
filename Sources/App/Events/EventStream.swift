internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// One client's Server-Sent Events: `retry:` first, then the backlog, then each event as it
/// commits (woken by `Store.eventsCommitted`, with a re-check every few seconds for writers
/// that do not signal), a `:` comment when nothing was sent for `heartbeat`, and the end after
/// `duration` or when the server cancels the pump (client gone, shutdown).
actor EventStream: HTTPBodyStream {
    static let pageSize = 200
    static let heartbeat = Duration.seconds(15)
    static let recheck = Duration.seconds(3)
    /// What the client waits before reconnecting after the stream ends.
    static let retryMillis = 2_000

    private let store: Store
    private let tenant: Int64
    private let types: Set<EventType>?
    private var position: Int64
    private var backlog: [EventRecord]
    private let deadline: ContinuousClock.Instant
    private var lastSent = ContinuousClock.now
    private var started = false

    init(store: Store, tenant: Int64, types: Set<EventType>?, position: Int64, backlog: [EventRecord], duration: Duration) {
        self.store = store
        self.tenant = tenant
        self.types = types
        self.position = position
        self.backlog = backlog
        deadline = ContinuousClock.now + duration
    }

    func next() async -> [UInt8]? {
        if !started {
            started = true
            var head = Array("retry: \(Self.retryMillis)\n\n".utf8)
            head += EventJSON.frames(backlog)
            backlog = []
            return sent(head)
        }
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if now >= deadline { return nil }
            let seen = store.eventsCommitted.generation
            let page: EventPage
            do {
                page = try await store.events(tenant: tenant, after: position, types: types, limit: Self.pageSize)
            } catch {
                // Retention passed the position, or the database is closing: the client
                // reconnects and is told why.
                return nil
            }
            position = page.position
            if !page.items.isEmpty { return sent(EventJSON.frames(page.items)) }
            if page.more { continue }
            let untilHeartbeat = lastSent + Self.heartbeat - ContinuousClock.now
            if untilHeartbeat <= .zero { return sent(Array(":\n\n".utf8)) }
            let wait = min(untilHeartbeat, Self.recheck, deadline - ContinuousClock.now)
            await store.eventsCommitted.wait(after: seen, timeout: wait)
        }
        return nil
    }

    private func sent(_ bytes: [UInt8]) -> [UInt8] {
        lastSent = ContinuousClock.now
        return bytes
    }
}
