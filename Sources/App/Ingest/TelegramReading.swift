internal import MBus
internal import Metering

/// How a decoded telegram becomes the values a reading stores.
enum TelegramReading {
    static func value(_ register: Register, _ r: Registers) -> Double? {
        switch register {
        case .heatEnergyKWh: r.heatEnergyKWh
        case .coolingEnergyKWh: r.coolingEnergyKWh
        case .volumeM3: r.volumeM3
        case .volume2M3: r.volume2M3
        case .reverseVolumeM3: r.reverseVolumeM3
        case .flowTemperatureC: r.flowTemperatureC
        case .returnTemperatureC: r.returnTemperatureC
        case .temperatureDifferenceK: r.temperatureDifferenceK
        case .externalTemperatureC: r.externalTemperatureC
        case .powerKW: r.powerKW
        case .flowM3h: r.flowM3h
        case .hourCounterH: r.hourCounterH
        case .p1: r.p1
        case .p2: r.p2
        case .activeEnergyImportKWh: r.activeEnergyImportKWh
        case .activeEnergyExportKWh: r.activeEnergyExportKWh
        case .activePowerImportKW: r.activePowerImportKW
        case .activePowerExportKW: r.activePowerExportKW
        case .pressureBar: r.pressureBar
        case .pulseInputA: r.pulseInputA
        case .pulseInputB: r.pulseInputB
        case .targetHeatEnergyKWh: r.targetHeatEnergyKWh
        case .targetCoolingEnergyKWh: r.targetCoolingEnergyKWh
        case .targetVolumeM3: r.targetVolumeM3
        }
    }

    /// The stored form, the normalised info codes (comma-separated, sorted) of a telegram, and
    /// per code the register bits that raised it.
    static func encode(_ telegram: Telegram) -> (data: [UInt8], infoCodes: String, masks: [UInt64]) {
        var values = RegisterValues()
        let registers = telegram.registers
        for register in Register.allCases { values[register] = value(register, registers) }
        var mask: UInt64 = 0
        var codes: [(name: String, bits: UInt64)] = []
        for code in telegram.infoCodes {
            if let position = InfoCodeMaps.catalogue.firstIndex(where: { $0.code == code.code }), position < 64 {
                mask |= 1 << UInt64(position)
            }
            let bit: UInt64 = code.bit < 64 ? 1 << UInt64(code.bit) : 0
            if let i = codes.firstIndex(where: { $0.name == code.code }) {
                codes[i].bits |= bit
            } else {
                codes.append((code.code, bit))
            }
        }
        let decoded = ReadingCodec.Decoded(values: values, infoBits: registers.infoCodeBits, infoCodes: mask)
        guard !codes.isEmpty else { return (ReadingCodec.encode(decoded), "", []) }
        codes.sort { $0.name < $1.name }
        return (ReadingCodec.encode(decoded), codes.map(\.name).joined(separator: ","), codes.map(\.bits))
    }

    /// The info-code names a stored mask stands for.
    static func infoCodes(_ mask: UInt64) -> [String] {
        guard mask != 0 else { return [] }
        return InfoCodeMaps.catalogue.indices.filter { $0 < 64 && mask & (1 << UInt64($0)) != 0 }
            .map { InfoCodeMaps.catalogue[$0].code }
    }
}
