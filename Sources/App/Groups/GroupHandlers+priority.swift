internal import API
internal import Store

/// Priority meters: the virtual group `priority`, changed one meter at a time.
extension GroupHandlers {
    func priorityMeters(_ input: Operations.ListPriorityMeters.Input) async throws -> Operations.ListPriorityMeters.Output {
        let page = try await store.meters(tenant: RequestContext.required.tenant, filter: MeterFilter(group: .priority),
                                          limit: pageLimit(input.query.limit), cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.Meter.init), nextCursor: page.nextCursor))
    }

    func setPriority(_ input: Operations.SetPriorityMeter.Input) async throws -> Operations.SetPriorityMeter.Output {
        let c = RequestContext.required
        try await store.setPriority(tenant: c.tenant, meter: input.path.meterId,
                                    audit: c.audit("meter.priority-set", target: MeterHandlers.location(input.path.meterId)))
        return .noContent
    }

    func unsetPriority(_ input: Operations.UnsetPriorityMeter.Input) async throws -> Operations.UnsetPriorityMeter.Output {
        let c = RequestContext.required
        try await store.unsetPriority(tenant: c.tenant, meter: input.path.meterId,
                                      audit: c.audit("meter.priority-unset", target: MeterHandlers.location(input.path.meterId)))
        return .noContent
    }
}
