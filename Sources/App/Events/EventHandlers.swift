internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// The event feed: pages to poll (`GET /v1/events`) and a Server-Sent Events stream.
struct EventHandlers: Sendable {
    /// Scans of `Store.eventScanLimit` rows one feed request makes at most before it answers.
    static let maxScansPerRequest = 20

    let store: Store

    func list(_ input: Operations.ListEvents.Input) async throws -> Operations.ListEvents.Output {
        let c = RequestContext.required
        let q = input.query
        let types = try EventJSON.types(q.types)
        var position = try EventJSON.position(q.after, pointer: "#/query/after")
        let limit = pageLimit(q.limit)
        let deadline = ContinuousClock.now + .seconds(q.wait ?? 0)
        var scans = 0
        while true {
            // Read the signal first: a commit after this read wakes the wait below.
            let seen = store.eventsCommitted.generation
            let page = try await store.events(tenant: c.tenant, after: position, types: types, limit: limit)
            scans += 1
            let remaining = deadline - ContinuousClock.now
            // Other tenants' (or other types') rows filled the scan: read on, up to a bound a
            // request, so a quiet tenant of a busy installation is not handed empty pages.
            let readOn = page.items.isEmpty && page.more && scans < Self.maxScansPerRequest
            if !readOn && (!page.items.isEmpty || remaining <= .zero || Task.isCancelled) {
                return .ok(.init(items: page.items.map(EventJSON.event), nextCursor: Store.cursor(page.position)))
            }
            // What was examined (other types, other tenants' ids) need not be read again.
            position = page.position
            if page.more { continue }
            await store.eventsCommitted.wait(after: seen, timeout: min(remaining, EventStream.recheck))
        }
    }

    func stream(_ input: Operations.StreamEvents.Input) async throws -> Operations.StreamEvents.Output {
        let c = RequestContext.required
        let types = try EventJSON.types(input.query.types)
        // An EventSource resumes with Last-Event-ID; it wins over the `after` of the URL it reopens.
        let resume = try EventJSON.position(input.headers.lastEventID, pointer: "#/header/Last-Event-ID")
        let after = try EventJSON.position(input.query.after, pointer: "#/query/after")
        var start: Int64
        if let position = resume ?? after { start = position } else { start = try await store.lastEventID() }
        // The first page is read before the head goes out, so a cursor retention passed is a 410.
        let first = try await store.events(tenant: c.tenant, after: start, types: types, limit: EventStream.pageSize)
        start = first.position
        let stream = EventStream(store: store, tenant: c.tenant, types: types, position: start, backlog: first.items,
                                 duration: .seconds(input.query.timeout ?? 300))
        return .ok(stream)
    }
}
