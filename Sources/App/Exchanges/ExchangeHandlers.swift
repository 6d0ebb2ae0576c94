internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Meter exchanges: how a billing system or field app reports that one meter replaced another.
/// Retries are safe with `Idempotency-Key` (IdempotencyMiddleware replays the first 201).
struct ExchangeHandlers: Sendable {
    let store: Store

    func create(_ input: Operations.CreateMeterExchange.Input) async throws -> Operations.CreateMeterExchange.Output {
        let c = RequestContext.required
        let b = input.body
        let request = MeterExchangeRequest(oldMeterID: b.oldMeterId, newMeterID: b.newMeterId, exchangedAt: b.exchangedAt,
                                           oldFinal: b.oldFinalReading?.values, newStart: b.newStartReading?.values)
        let exchange = try await store.exchangeMeter(tenant: c.tenant, request, audit: c.audit("meter.exchanged"))
        return .created(.init(exchange), location: Self.path(exchange.id))
    }

    func get(_ input: Operations.GetMeterExchange.Input) async throws -> Operations.GetMeterExchange.Output {
        .ok(.init(try await store.meterExchange(tenant: RequestContext.required.tenant, id: input.path.exchangeId)))
    }

    func list(_ input: Operations.ListMeterExchanges.Input) async throws -> Operations.ListMeterExchanges.Output {
        let q = input.query
        // `to` before `from` is simply an empty range.
        let page = try await store.meterExchanges(tenant: RequestContext.required.tenant, from: q.from, to: q.to,
                                                  meteringPoint: q.meteringPointId, limit: pageLimit(q.limit), cursor: q.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.MeterExchange.init), nextCursor: page.nextCursor))
    }

    static func path(_ id: UUID) -> String { "/v1/meter-exchanges/\(id.uuidString.lowercased())" }
}
