internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Meters, their keys and bulk import. Every change is written with its audit event in one
/// transaction by the store; ingest hears of it after the commit.
struct MeterHandlers: Sendable {
    let store: Store
    let vault: KeyVault
    let changes: any MeterChanges

    func list(_ input: Operations.ListMeters.Input) async throws -> Operations.ListMeters.Output {
        let q = input.query
        let filter = MeterFilter(query: q.q, medium: q.medium?.rawValue, lifecycle: q.lifecycle?.rawValue,
                                 hasActiveInfoCodes: q.hasActiveInfoCodes, group: try GroupHandlers.selector(query: q.group))
        let page = try await store.meters(tenant: RequestContext.required.tenant, filter: filter, limit: pageLimit(q.limit),
                                          cursor: q.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.Meter.init), nextCursor: page.nextCursor))
    }

    func create(_ input: Operations.CreateMeter.Input) async throws -> Operations.CreateMeter.Output {
        let c = RequestContext.required
        let meter = try await store.createMeter(tenant: c.tenant, fields: MeterFields(input.body), sealer: vault,
                                                audit: c.audit("meter.created"))
        changes.metersChanged(tenant: c.tenant)
        return .created(.init(meter), eTag: ETag.format(meter.revision), location: Self.location(meter.id))
    }

    func meter(_ input: Operations.GetMeter.Input) async throws -> Operations.GetMeter.Output {
        let tenant = RequestContext.required.tenant
        let meter = try await store.meter(tenant: tenant, id: input.path.meterId)
        var body = Components.Schemas.Meter(meter)
        if let latest = try await store.latestReading(meter: try await store.meterRowID(tenant: tenant, id: input.path.meterId)) {
            body.latestReading = try ReadingJSON.reading(latest)
        }
        return .ok(body, eTag: ETag.format(meter.revision))
    }

    func update(_ input: Operations.UpdateMeter.Input) async throws -> Operations.UpdateMeter.Output {
        let c = RequestContext.required
        let id = input.path.meterId
        // Which fields changed, never their values (a key must not reach the audit log).
        var changed = input.body.key == nil ? "meter.updated" : "meter.updated-with-key"
        if input.body.key != nil && Self.onlyKey(input.body) { changed = "meter.key-set" }
        let meter = try await store.updateMeter(tenant: c.tenant, id: id, fields: MeterFields(input.body),
                                                ifVersion: ETag.required(input.headers.ifMatch), sealer: vault,
                                                audit: c.audit(changed, target: Self.location(id)))
        changes.metersChanged(tenant: c.tenant)
        return .ok(.init(meter), eTag: ETag.format(meter.revision))
    }

    func delete(_ input: Operations.DeleteMeter.Input) async throws -> Operations.DeleteMeter.Output {
        let c = RequestContext.required
        let id = input.path.meterId
        try await store.deleteMeter(tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
                                    audit: c.audit("meter.deleted", target: Self.location(id)))
        changes.metersChanged(tenant: c.tenant)
        return .noContent
    }

    static func location(_ id: UUID) -> String { "/v1/meters/\(id.uuidString.lowercased())" }

    private static func onlyKey(_ u: Components.Schemas.MeterUpdate) -> Bool {
        var rest = u
        rest.key = nil
        return rest == Components.Schemas.MeterUpdate()
    }
}
