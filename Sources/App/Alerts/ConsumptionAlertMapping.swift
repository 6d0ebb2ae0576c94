internal import API
internal import FoundationEssentials
internal import Metering
internal import Store

/// Store records → API schemas.
extension Components.Schemas.ConsumptionAlert {
    init(_ r: ConsumptionAlertRecord) {
        let d = r.definition
        var meter: UUID?
        if case .meter(let id) = d.target { meter = id }
        self.init(id: r.id, name: d.name, register: .init(rawValue: d.register.name) ?? .heatEnergyKWh, limit: d.limit,
                  period: .init(rawValue: d.period.rawValue) ?? .day, meterId: meter, group: r.groupParameter,
                  start: Date(timeIntervalSince1970: Double(d.start)), end: d.end.map { Date(timeIntervalSince1970: Double($0)) },
                  state: .init(rawValue: r.state.name) ?? .active, triggeredMeters: r.triggeredMeters, createdAt: r.createdAt,
                  updatedAt: r.updatedAt)
    }
}

extension Components.Schemas.ConsumptionAlertMeter {
    init(_ r: AlertMeterRecord) {
        self.init(meterId: r.meterID, state: .init(rawValue: r.state.name) ?? .active, periodStart: r.periodStart,
                  consumption: r.consumption, triggeredAt: r.triggeredAt, resetAt: r.resetAt)
    }
}
