internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

extension CustomerHandlers {
    /// The readings window's longest span, and its default (the days before now).
    static let exportWindowSeconds: Int64 = 400 * 86_400

    /// Everything held about one customer (GDPR art. 15/20), audited as `customer.exported`.
    func export(_ input: Operations.ExportCustomer.Input) async throws -> Operations.ExportCustomer.Output {
        let c = RequestContext.required
        let id = input.path.customerId
        let seconds = { (d: Date) in Int64(d.timeIntervalSince1970.rounded(.up)) }
        let to = input.query.to.map(seconds) ?? seconds(Date())
        let from = input.query.from.map(seconds) ?? to - Self.exportWindowSeconds
        guard from < to else {
            throw ProblemDetails(status: 422, detail: "The readings window is empty.",
                                 errors: [.init(pointer: "#/query/from", detail: "must be before to")])
        }
        guard to - from <= Self.exportWindowSeconds else {
            throw ProblemDetails(status: 422, detail: "The readings window is longer than 400 days.",
                                 errors: [.init(pointer: "#/query/from", detail: "must be at most 400 days before to")])
        }
        let export = try await store.customerExport(tenant: c.tenant, id: id, from: from, to: to)
        var readings = 0
        let points = try export.points.map { p in
            Components.Schemas.CustomerExportPoint(
                id: p.id, address: p.address, postalCode: p.postalCode, city: p.city, latitude: p.latitude, longitude: p.longitude,
                installations: try p.installations.map { i in
                    readings += i.readings.count
                    return Components.Schemas.CustomerExportInstallation(
                        meterId: i.meterID, manufacturer: i.manufacturer, serial: i.serial, medium: .init(rawValue: i.medium) ?? .heat,
                        model: i.model, installedAt: i.installedAt, removedAt: i.removedAt,
                        readings: try i.readings.map(ReadingJSON.reading))
                })
        }
        try await store.auditCustomerExport(tenant: c.tenant, c.audit(
            "customer.exported", target: Store.customerTarget(id),
            details: #"{"from":\#(from),"to":\#(to),"meteringPoints":\#(points.count),"readings":\#(readings)}"#))
        let date = { (s: Int64) in Date(timeIntervalSince1970: Double(s)) }
        return .ok(.init(exportedAt: Date(), from: date(from), to: date(to), customer: .init(export.customer),
                         meteringPoints: points, auditEvents: export.audit.map(Components.Schemas.AuditEvent.init),
                         truncated: export.truncated))
    }
}
