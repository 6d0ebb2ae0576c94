internal import API
internal import Store

/// Coverage and contact checks: what a unit hears of the caller's meters, and which units hear a meter.
extension UnitHandlers {
    func heardMeters(_ input: Operations.ListHeardMeters.Input) async throws -> Operations.ListHeardMeters.Output {
        let order: Store.HeardOrder = input.query.sort == .meter ? .meter : .lastHeard
        let page = try await store.heardMeters(tenant: RequestContext.required.tenant, unit: input.path.unitId, order: order,
                                               limit: pageLimit(input.query.limit), cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.HeardMeter.init), nextCursor: page.nextCursor))
    }

    func receptions(_ input: Operations.ListMeterReceptions.Input) async throws -> Operations.ListMeterReceptions.Output {
        let page = try await store.receptions(tenant: RequestContext.required.tenant, meter: input.path.meterId,
                                              limit: pageLimit(input.query.limit), cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.Reception.init), nextCursor: page.nextCursor))
    }
}
