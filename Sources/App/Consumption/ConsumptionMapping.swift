internal import API
internal import FoundationEssentials
internal import Metering
internal import Store

/// Metering's values as the API's types.
enum ConsumptionMapping {
    static func date(_ time: Int64) -> Date { Date(timeIntervalSince1970: Double(time)) }

    static func series(_ r: ConsumptionReport) -> Components.Schemas.ConsumptionSeries {
        var buckets: [Components.Schemas.ConsumptionBucket] = []
        buckets.reserveCapacity(r.buckets.count)
        for b in r.buckets {
            buckets.append(.init(start: date(b.start), end: date(b.end), consumption: b.consumption.map(ConsumptionRequest.rounded),
                                 quality: quality(b.quality)))
        }
        let annotations = r.notes.map { note in
            Components.Schemas.ConsumptionAnnotation(kind: .init(rawValue: note.kind) ?? .decrease, time: date(note.time),
                                                     meterId: note.meter, detail: note.detail)
        }
        return .init(meteringPointId: r.meteringPoint, register: .init(rawValue: r.register.name) ?? .heatEnergyKWh,
                     unit: r.unit, resolution: .init(rawValue: r.resolution.rawValue) ?? .hour, timeZone: r.zoneName,
                     from: date(r.buckets.first?.start ?? 0), to: date(r.buckets.last?.end ?? 0),
                     total: r.total.map(ConsumptionRequest.rounded), buckets: buckets, annotations: annotations)
    }

    static func quality(_ q: Quality) -> Components.Schemas.ConsumptionQuality {
        switch q {
        case .measured: .measured
        case .interpolated: .interpolated
        case .missing: .missing
        }
    }
}
