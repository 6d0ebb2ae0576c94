internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Metering points: the supply points customers are billed for, and their installation history.
struct MeteringPointHandlers: Sendable {
    let store: Store

    func list(_ input: Operations.ListMeteringPoints.Input) async throws -> Operations.ListMeteringPoints.Output {
        let q = input.query
        let page = try await store.meteringPoints(tenant: RequestContext.required.tenant, query: q.q, limit: pageLimit(q.limit),
                                                  cursor: q.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.MeteringPoint.init), nextCursor: page.nextCursor))
    }

    func create(_ input: Operations.CreateMeteringPoint.Input) async throws -> Operations.CreateMeteringPoint.Output {
        let c = RequestContext.required
        let b = input.body
        try Self.checkCoordinates(latitude: b.latitude, longitude: b.longitude)
        var fields = MeteringPointChanges()
        fields.address = b.address
        fields.postalCode = b.postalCode
        fields.city = b.city
        fields.latitude = b.latitude
        fields.longitude = b.longitude
        if let customer = b.customerId { fields.customer = .set(customer) }
        let point = try await store.createMeteringPoint(tenant: c.tenant, fields: fields, audit: c.audit("metering-point.created"))
        return .created(.init(point), eTag: ETag.format(point.revision), location: Self.path(point.id))
    }

    func get(_ input: Operations.GetMeteringPoint.Input) async throws -> Operations.GetMeteringPoint.Output {
        let point = try await store.meteringPoint(tenant: RequestContext.required.tenant, id: input.path.meteringPointId)
        return .ok(.init(point), eTag: ETag.format(point.revision))
    }

    func update(_ input: Operations.UpdateMeteringPoint.Input) async throws -> Operations.UpdateMeteringPoint.Output {
        let c = RequestContext.required
        let id = input.path.meteringPointId
        let b = input.body
        try Self.checkCoordinates(latitude: b.latitude, longitude: b.longitude)
        var fields = MeteringPointChanges()
        fields.address = b.address
        fields.postalCode = b.postalCode
        fields.city = b.city
        fields.latitude = b.latitude
        fields.longitude = b.longitude
        if let customer = b.customerId {
            if customer.isEmpty {
                fields.customer = .remove
            } else if let uuid = UUID(uuidString: customer) {
                fields.customer = .set(uuid)
            } else {
                throw ProblemDetails(status: 400, detail: "The request does not match the API contract.",
                                     errors: [.init(pointer: "/customerId", detail: "must be a customer's id or empty")])
            }
        }
        let point = try await store.updateMeteringPoint(tenant: c.tenant, id: id, fields: fields,
                                                        ifVersion: ETag.required(input.headers.ifMatch),
                                                        audit: c.audit("metering-point.updated", target: Self.path(id)))
        return .ok(.init(point), eTag: ETag.format(point.revision))
    }

    func delete(_ input: Operations.DeleteMeteringPoint.Input) async throws -> Operations.DeleteMeteringPoint.Output {
        let c = RequestContext.required
        let id = input.path.meteringPointId
        try await store.deleteMeteringPoint(tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
                                            audit: c.audit("metering-point.deleted", target: Self.path(id)))
        return .noContent
    }

    static func path(_ id: UUID) -> String { "/v1/metering-points/\(id.uuidString.lowercased())" }

    /// A position is both coordinates (the contract bounds their ranges): one alone places nothing.
    static func checkCoordinates(latitude: Double?, longitude: Double?) throws {
        guard (latitude == nil) != (longitude == nil) else { return }
        let missing = latitude == nil ? "/latitude" : "/longitude"
        throw ProblemDetails(status: 422, detail: "latitude and longitude are given together or not at all.",
                             errors: [.init(pointer: missing, detail: "is required with the other coordinate")])
    }
}
