internal import API
internal import FoundationEssentials
internal import Metering
internal import Store

/// Stored readings as the API shows them.
enum ReadingJSON {
    static func reading(_ r: StoredReading) throws -> Components.Schemas.Reading {
        let decoded = try ReadingCodec.decode(r.data)
        let source = Components.Schemas.Reading.Source(rawValue: r.source.name) ?? .fixedNetwork
        return .init(time: Date(timeIntervalSince1970: Double(r.time)), source: source, receptions: r.receptions,
                     registers: registers(decoded.values), infoCodes: TelegramReading.infoCodes(decoded.infoCodes),
                     infoCodeBits: infoCodeBits(decoded))
    }

    /// JSON numbers beyond 2^53 lose digits in most clients; such bit sets are not info codes anyway.
    static func infoCodeBits(_ decoded: ReadingCodec.Decoded) -> Int? {
        decoded.infoBits.flatMap { $0 <= UInt64(1 << 53) ? Int($0) : nil }
    }

    static func registers(_ v: RegisterValues) -> Components.Schemas.ReadingRegisters {
        var registers = Components.Schemas.ReadingRegisters()
        registers.heatEnergyKWh = v[.heatEnergyKWh]
        registers.coolingEnergyKWh = v[.coolingEnergyKWh]
        registers.volumeM3 = v[.volumeM3]
        registers.volume2M3 = v[.volume2M3]
        registers.reverseVolumeM3 = v[.reverseVolumeM3]
        registers.flowTemperatureC = v[.flowTemperatureC]
        registers.returnTemperatureC = v[.returnTemperatureC]
        registers.temperatureDifferenceK = v[.temperatureDifferenceK]
        registers.externalTemperatureC = v[.externalTemperatureC]
        registers.powerKW = v[.powerKW]
        registers.flowM3h = v[.flowM3h]
        registers.hourCounterH = v[.hourCounterH]
        registers.p1 = v[.p1]
        registers.p2 = v[.p2]
        registers.activeEnergyImportKWh = v[.activeEnergyImportKWh]
        registers.activeEnergyExportKWh = v[.activeEnergyExportKWh]
        registers.activePowerImportKW = v[.activePowerImportKW]
        registers.activePowerExportKW = v[.activePowerExportKW]
        registers.pressureBar = v[.pressureBar]
        registers.pulseInputA = v[.pulseInputA]
        registers.pulseInputB = v[.pulseInputB]
        registers.targetHeatEnergyKWh = v[.targetHeatEnergyKWh]
        registers.targetCoolingEnergyKWh = v[.targetCoolingEnergyKWh]
        registers.targetVolumeM3 = v[.targetVolumeM3]
        return registers
    }
}
