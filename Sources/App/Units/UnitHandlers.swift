internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Collection units, their tokens, sharing between tenants, and who hears which meter.
struct UnitHandlers: Sendable {
    let store: Store

    func list(_ input: Operations.ListCollectionUnits.Input) async throws -> Operations.ListCollectionUnits.Output {
        let page = try await store.units(tenant: RequestContext.required.tenant, type: input.query.type?.rawValue,
                                         query: input.query.q, limit: pageLimit(input.query.limit), cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.CollectionUnit.init), nextCursor: page.nextCursor))
    }

    func create(_ input: Operations.CreateCollectionUnit.Input) async throws -> Operations.CreateCollectionUnit.Output {
        let c = RequestContext.required
        let body = input.body
        let fields = CollectionUnitFields(name: try Self.name(body.name), capacity: body.capacity, address: body.address,
                                          latitude: body.latitude, longitude: body.longitude, description: body.description)
        try Self.checkCoordinates(fields, given: body.latitude != nil || body.longitude != nil)
        let unit = try await store.createUnit(tenant: c.tenant, type: body.type.rawValue, fields: fields,
                                              audit: c.audit("collection-unit.created"))
        return .created(.init(unit), eTag: ETag.format(unit.version), location: Self.path(unit.id))
    }

    func get(_ input: Operations.GetCollectionUnit.Input) async throws -> Operations.GetCollectionUnit.Output {
        let unit = try await store.unit(tenant: RequestContext.required.tenant, id: input.path.unitId)
        return .ok(.init(unit), eTag: ETag.format(unit.version))
    }

    func update(_ input: Operations.UpdateCollectionUnit.Input) async throws -> Operations.UpdateCollectionUnit.Output {
        let c = RequestContext.required
        let id = input.path.unitId
        let body = input.body
        if let type = body.type {
            // Checked against the stored type before anything changes (and before If-Match):
            // the answer is the same whatever the version.
            let current = try await store.unit(tenant: c.tenant, id: id)
            if current.owned && type.rawValue != current.type {
                throw ProblemDetails(status: 422, detail: "A collection unit's type cannot be changed; register a new unit instead.",
                                     errors: [.init(pointer: "/type", detail: "is '\(current.type)' and cannot change")])
            }
        }
        let fields = CollectionUnitFields(name: try body.name.map(Self.name), capacity: body.capacity, address: body.address,
                                          latitude: body.latitude, longitude: body.longitude, description: body.description)
        try Self.checkCoordinates(fields, given: body.latitude != nil || body.longitude != nil)
        let unit = try await store.updateUnit(tenant: c.tenant, id: id, fields: fields, ifVersion: ETag.required(input.headers.ifMatch),
                                              audit: c.audit("collection-unit.updated", target: Self.path(id)))
        return .ok(.init(unit), eTag: ETag.format(unit.version))
    }

    func delete(_ input: Operations.DeleteCollectionUnit.Input) async throws -> Operations.DeleteCollectionUnit.Output {
        let c = RequestContext.required
        let id = input.path.unitId
        try await store.deleteUnit(tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
                                   audit: c.audit("collection-unit.deleted", target: Self.path(id)))
        return .noContent
    }

    static func path(_ id: UUID) -> String { "/v1/collection-units/\(id.uuidString.lowercased())" }

    /// The contract bounds the length; a name of spaces only says nothing.
    static func name(_ name: String) throws -> String {
        let trimmed = name.trimmedSpaces()
        guard !trimmed.isEmpty else {
            throw ProblemDetails(status: 422, detail: "A collection unit needs a name.",
                                 errors: [.init(pointer: "/name", detail: "must not be blank")])
        }
        return trimmed
    }

    /// A position is both coordinates: one alone places the unit nowhere.
    static func checkCoordinates(_ fields: CollectionUnitFields, given: Bool) throws {
        guard given, (fields.latitude == nil) != (fields.longitude == nil) else { return }
        let missing = fields.latitude == nil ? "/latitude" : "/longitude"
        throw ProblemDetails(status: 422, detail: "latitude and longitude are given together or not at all.",
                             errors: [.init(pointer: missing, detail: "is required with the other coordinate")])
    }
}
