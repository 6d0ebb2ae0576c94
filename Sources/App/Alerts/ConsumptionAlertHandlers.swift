internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Metering
internal import Store

/// Consumption alerts: a limit on a register's consumption per period for a meter or a group,
/// evaluated by ingest (`ConsumptionAlertMonitor` in the store) as readings commit.
struct ConsumptionAlertHandlers: Sendable {
    let store: Store

    func list(_ input: Operations.ListConsumptionAlerts.Input) async throws -> Operations.ListConsumptionAlerts.Output {
        let page = try await store.consumptionAlerts(tenant: RequestContext.required.tenant,
                                                     state: input.query.state.flatMap { AlertMeterState(name: $0.rawValue) },
                                                     limit: pageLimit(input.query.limit), cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.ConsumptionAlert.init), nextCursor: page.nextCursor))
    }

    func create(_ input: Operations.CreateConsumptionAlert.Input) async throws -> Operations.CreateConsumptionAlert.Output {
        let c = RequestContext.required
        let alert = try await store.createConsumptionAlert(tenant: c.tenant, try Self.definition(input.body),
                                                           audit: c.audit("consumption-alert.created"))
        return .created(.init(alert), eTag: ETag.format(alert.revision), location: Self.path(alert.id))
    }

    func get(_ input: Operations.GetConsumptionAlert.Input) async throws -> Operations.GetConsumptionAlert.Output {
        let alert = try await store.consumptionAlert(tenant: RequestContext.required.tenant, id: input.path.alertId)
        return .ok(.init(alert), eTag: ETag.format(alert.revision))
    }

    func replace(_ input: Operations.ReplaceConsumptionAlert.Input) async throws -> Operations.ReplaceConsumptionAlert.Output {
        let c = RequestContext.required
        let id = input.path.alertId
        let alert = try await store.replaceConsumptionAlert(tenant: c.tenant, id: id, try Self.definition(input.body),
                                                            ifVersion: ETag.required(input.headers.ifMatch),
                                                            audit: c.audit("consumption-alert.replaced", target: Self.path(id)))
        return .ok(.init(alert), eTag: ETag.format(alert.revision))
    }

    func delete(_ input: Operations.DeleteConsumptionAlert.Input) async throws -> Operations.DeleteConsumptionAlert.Output {
        let c = RequestContext.required
        let id = input.path.alertId
        try await store.deleteConsumptionAlert(tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
                                               audit: c.audit("consumption-alert.deleted", target: Self.path(id)))
        return .noContent
    }

    func meters(_ input: Operations.ListConsumptionAlertMeters.Input) async throws -> Operations.ListConsumptionAlertMeters.Output {
        let page = try await store.consumptionAlertMeters(tenant: RequestContext.required.tenant, id: input.path.alertId,
                                                          state: input.query.state.flatMap { AlertMeterState(name: $0.rawValue) },
                                                          limit: pageLimit(input.query.limit), cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.ConsumptionAlertMeter.init), nextCursor: page.nextCursor))
    }

    func reset(_ input: Operations.ResetConsumptionAlert.Input) async throws -> Operations.ResetConsumptionAlert.Output {
        let c = RequestContext.required
        let id = input.path.alertId
        let count = try await store.resetConsumptionAlert(tenant: c.tenant, id: id, meter: input.body.meterId,
                                                          audit: c.audit("consumption-alert.reset", target: Self.path(id)))
        return .ok(.init(reset: count))
    }

    static func path(_ id: UUID) -> String { "/v1/consumption-alerts/\(id.uuidString.lowercased())" }

    /// The largest limit accepted: far above any meter's period, small enough to stay exact.
    static let maxLimit = 1e12

    /// The body's rules the contract cannot say: a name that is not blank, one target, a sane
    /// limit, an end after the start.
    static func definition(_ body: Components.Schemas.ConsumptionAlertInput) throws -> ConsumptionAlertDefinition {
        var errors: [ProblemDetails.FieldError] = []
        let name = body.name.trimmedSpaces()
        if name.isEmpty { errors.append(.init(pointer: "/name", detail: "must not be blank")) }
        if !body.limit.isFinite || body.limit < 0 || body.limit > maxLimit {
            errors.append(.init(pointer: "/limit", detail: "must be between 0 and 1e12"))
        }
        var target: AlertTarget?
        switch (body.meterId, body.group) {
        case (let meter?, nil): target = .meter(meter)
        case (nil, let group?):
            if let selector = GroupSelector(parameter: group) {
                target = .group(selector)
            } else {
                errors.append(.init(pointer: "/group", detail: "is neither a group id nor a virtual group's name"))
            }
        case (nil, nil): errors.append(.init(pointer: "/meterId", detail: "give meterId or group"))
        case (_?, _?): errors.append(.init(pointer: "/group", detail: "give meterId or group, not both"))
        }
        let start = Int64(body.start.timeIntervalSince1970.rounded(.down))
        let end = body.end.map { Int64($0.timeIntervalSince1970.rounded(.up)) }
        if let end, end <= start { errors.append(.init(pointer: "/end", detail: "must be after start")) }
        guard errors.isEmpty, let target, let register = Register(name: body.register.rawValue),
              let period = AlertPeriod(rawValue: body.period.rawValue) else {
            throw ProblemDetails(status: 422, detail: "The consumption alert cannot be set up as given.", errors: errors)
        }
        return ConsumptionAlertDefinition(name: name, register: register, limit: body.limit, period: period, target: target,
                                          start: start, end: end)
    }
}
