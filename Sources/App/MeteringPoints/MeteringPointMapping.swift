internal import API
internal import FoundationEssentials
internal import Metering
internal import Store

/// Store records → API schemas for metering points, and register values both ways.
extension Components.Schemas.MeteringPoint {
    init(_ r: MeteringPointDetails) {
        self.init(id: r.id, address: r.address, postalCode: r.postalCode, city: r.city, latitude: r.latitude,
                  longitude: r.longitude,
                  customer: r.customer.map { .init(id: $0.id, customerNumber: $0.customerNumber, name: $0.name) },
                  meterId: r.meterID, installations: r.installations?.map(Components.Schemas.Installation.init),
                  createdAt: r.createdAt, updatedAt: r.updatedAt)
    }
}

extension Components.Schemas.Installation {
    init(_ r: InstallationRecord) {
        self.init(meterId: r.meterID, installedAt: r.installedAt, removedAt: r.removedAt,
                  startReading: r.startValues.map(Components.Schemas.ExchangeRegisters.init),
                  finalReading: r.finalValues.map(Components.Schemas.ExchangeRegisters.init))
    }
}

extension Components.Schemas.ExchangeRegisters {
    init(_ v: RegisterValues) {
        self.init(heatEnergyKWh: v[.heatEnergyKWh], coolingEnergyKWh: v[.coolingEnergyKWh], volumeM3: v[.volumeM3],
                  volume2M3: v[.volume2M3], reverseVolumeM3: v[.reverseVolumeM3], hourCounterH: v[.hourCounterH],
                  activeEnergyImportKWh: v[.activeEnergyImportKWh], activeEnergyExportKWh: v[.activeEnergyExportKWh],
                  pulseInputA: v[.pulseInputA], pulseInputB: v[.pulseInputB])
    }

    /// nil when no register is given (an empty object says nothing).
    var values: RegisterValues? {
        var v = RegisterValues()
        v[.heatEnergyKWh] = heatEnergyKWh
        v[.coolingEnergyKWh] = coolingEnergyKWh
        v[.volumeM3] = volumeM3
        v[.volume2M3] = volume2M3
        v[.reverseVolumeM3] = reverseVolumeM3
        v[.hourCounterH] = hourCounterH
        v[.activeEnergyImportKWh] = activeEnergyImportKWh
        v[.activeEnergyExportKWh] = activeEnergyExportKWh
        v[.pulseInputA] = pulseInputA
        v[.pulseInputB] = pulseInputB
        return v.isEmpty ? nil : v
    }
}
