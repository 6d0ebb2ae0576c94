internal import API
internal import FoundationEssentials
internal import Store

/// Store records → API schemas for collection units, shares and receptions.
extension Components.Schemas.CollectionUnit {
    init(_ r: CollectionUnitRecord) {
        self.init(id: r.id, type: .init(rawValue: r.type) ?? .concentrator, name: r.name, capacity: r.capacity,
                  address: r.address, latitude: r.latitude, longitude: r.longitude, description: r.description, owned: r.owned,
                  createdAt: r.createdAt, updatedAt: r.updatedAt)
    }
}

extension Components.Schemas.UnitShare {
    init(_ r: UnitShareRecord) {
        self.init(tenantId: r.tenantID, tenantName: r.tenantName, since: r.since)
    }
}

extension Components.Schemas.HeardMeter {
    init(_ r: HeardMeterRecord) {
        self.init(meterId: r.meterID, manufacturer: r.manufacturer, serial: r.serial, firstHeard: r.firstHeard,
                  lastHeard: r.lastHeard, lastRssi: r.lastRSSI, averageRssi: r.averageRSSI, count: r.count)
    }
}

extension Components.Schemas.Reception {
    init(_ r: ReceptionRecord) {
        self.init(unitId: r.unitID, unitName: r.unitName, unitType: .init(rawValue: r.unitType) ?? .concentrator,
                  firstHeard: r.firstHeard, lastHeard: r.lastHeard, lastRssi: r.lastRSSI, averageRssi: r.averageRSSI,
                  count: r.count)
    }
}
