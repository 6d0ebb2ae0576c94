internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import MBus
internal import Metering
internal import Store

/// Consumption series, consumer reports, billing readings and comparisons: the store reads a
/// metering point's meters over time straight from the reading blocks, `Metering` computes.
struct ConsumptionHandlers: Sendable {
    let store: Store

    func consumption(_ input: Operations.GetConsumption.Input) async throws -> Operations.GetConsumption.Output {
        let q = input.query
        let report = try await series(point: input.path.meteringPointId, register: q.register.rawValue,
                                      resolution: q.resolution.rawValue, from: q.from, to: q.to, tz: q.tz)
        return .ok(ConsumptionMapping.series(report))
    }

    func report(_ input: Operations.GetConsumptionReport.Input) async throws -> Operations.GetConsumptionReport.Output {
        let q = input.query
        let report = try await series(point: input.path.meteringPointId, register: q.register.rawValue,
                                      resolution: q.resolution.rawValue, from: q.from, to: q.to, tz: q.tz)
        switch q.format {
        case .csv: return .ok(report.csv(), contentType: .textCsv)
        case .svg: return .ok(report.svg(), contentType: .imageSvgXml)
        }
    }

    /// The series the JSON and both reports present.
    func series(point: UUID, register name: String, resolution: String, from: Date, to: Date,
                tz: String?) async throws -> ConsumptionReport {
        let c = RequestContext.required
        guard let register = Register(name: name), register.isCumulative else {
            throw ConsumptionRequest.invalid("register", "must be a cumulative register")
        }
        guard let resolution = Resolution(rawValue: resolution) else {
            throw ConsumptionRequest.invalid("resolution", "must be hour, day, month or year")
        }
        let (zoneName, zone) = try ConsumptionRequest.zone(tz, tenant: c.credential.tenant.timeZone)
        let grid = try ConsumptionRequest.grid(from: from, to: to, resolution: resolution, zone: zone)
        let start = grid.boundaries[0], end = grid.boundaries[grid.boundaries.count - 1]
        let stays = try await store.meteringPointHistory(tenant: c.tenant, id: point, registers: [register], from: start,
                                                         to: end, infoCodes: true)
        let meters = stays.map { stay in
            InstalledMeter(meter: stay.installation.meter, installedAt: stay.installation.installedAt,
                           removedAt: stay.installation.removedAt, startValue: stay.installation.startValues?[register],
                           finalValue: stay.installation.finalValues?[register], samples: stay.series.samples[0])
        }
        let computed = Consumption.series(meters, grid: grid)
        var ids: [Int64: UUID] = [:]
        for stay in stays { ids[stay.installation.meter] = stay.installation.meterID }
        var notes = computed.annotations.map { a in
            ConsumptionReport.Note(kind: a.kind.rawValue, time: a.time, meter: ids[a.meter], detail: a.detail)
        }
        for stay in stays {
            for change in stay.series.infoChanges where change.time >= start && change.time < end {
                notes.append(ConsumptionReport.Note(kind: "info-code", time: change.time, meter: stay.installation.meterID,
                                                    detail: Self.describe(change)))
            }
        }
        notes.sort { $0.time < $1.time }
        return ConsumptionReport(meteringPoint: point, register: register, resolution: resolution, zoneName: zoneName, zone: zone,
                                 buckets: computed.buckets, notes: notes, total: computed.total)
    }

    /// "raised leak, low-battery; cleared dry".
    static func describe(_ change: InfoCodeChange) -> String {
        func names(_ mask: UInt64) -> String { TelegramReading.infoCodes(mask).joined(separator: ", ") }
        var parts: [String] = []
        if change.raised != 0 { parts.append("raised " + names(change.raised)) }
        if change.cleared != 0 { parts.append("cleared " + names(change.cleared)) }
        return parts.joined(separator: "; ")
    }
}
