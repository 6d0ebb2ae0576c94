internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Metering
internal import Store

/// Several registers of one or more meters on one time grid (`GET /v1/comparison`).
extension ConsumptionHandlers {
    static let maxSeries = 10
    static let maxComparisonBuckets = 10_000

    func comparison(_ input: Operations.GetComparison.Input) async throws -> Operations.GetComparison.Output {
        let c = RequestContext.required
        let q = input.query
        let wanted = try Self.parseSeries(q.series)
        guard let resolution = Resolution(rawValue: q.resolution.rawValue) else {
            throw ConsumptionRequest.invalid("resolution", "must be 5min, 15min, hour or day")
        }
        let aggregate = Aggregate(rawValue: q.aggregate?.rawValue ?? "mean") ?? .mean
        let (zoneName, zone) = try ConsumptionRequest.zone(q.tz, tenant: c.credential.tenant.timeZone)
        let grid = try ConsumptionRequest.grid(from: q.from, to: q.to, resolution: resolution, zone: zone,
                                               maxBuckets: Self.maxComparisonBuckets)
        let start = grid.boundaries[0], end = grid.boundaries[grid.boundaries.count - 1]
        var samples: [[RegisterSample]] = []
        for (meter, register) in wanted {
            let row = try await store.meterRowID(tenant: c.tenant, id: meter)
            let series = try await store.registerSeries(meter: row, registers: [register], from: start, to: end)
            samples.append(series.samples[0].filter { $0.time >= start && $0.time < end })
        }
        let aligned = Consumption.align(samples, grid: grid, aggregate: aggregate)
        let starts = grid.boundaries.dropLast().map(ConsumptionMapping.date)
        let series = zip(wanted, aligned).map { pair, values in
            Components.Schemas.ComparisonSeries(
                meterId: pair.meter, register: pair.register.name,
                values: zip(starts, values).map { .init(start: $0, value: $1.map(ConsumptionRequest.rounded)) })
        }
        return .ok(.init(from: ConsumptionMapping.date(start), to: ConsumptionMapping.date(end),
                         resolution: .init(rawValue: resolution.rawValue) ?? .hour,
                         aggregate: .init(rawValue: aggregate.rawValue) ?? .mean, timeZone: zoneName, series: series))
    }

    /// `meterId:register,...`, at most `maxSeries`, each register known.
    static func parseSeries(_ text: String) throws(ProblemDetails) -> [(meter: UUID, register: Register)] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count <= maxSeries else {
            throw ConsumptionRequest.invalid("series", "names \(parts.count) series; at most \(maxSeries) are compared at once")
        }
        var out: [(UUID, Register)] = []
        for (i, part) in parts.enumerated() {
            let pieces = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2, let meter = UUID(uuidString: String(pieces[0])) else {
                throw ConsumptionRequest.invalid("series", "item \(i + 1) is not meterId:register")
            }
            guard let register = Register(name: String(pieces[1])) else {
                throw ConsumptionRequest.invalid("series", "item \(i + 1) names no register this server knows")
            }
            out.append((meter, register))
        }
        return out
    }
}
