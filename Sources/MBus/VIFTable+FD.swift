extension VIFTable {
    /// EN 13757-3 table 14, the main extension table after VIF 0xFD (code without extension bit).
    static func extensionFD(_ code: UInt8) -> VIFMeaning {
        let c = code & 0x7F
        switch c {
        case 0x00...0x03: return .physical(.credit, .currencyUnit, Int(c & 3) - 3)
        case 0x04...0x07: return .physical(.debit, .currencyUnit, Int(c & 3) - 3)
        case 0x08: return .exact(.accessNumber)
        case 0x09: return .exact(.medium)
        case 0x0A: return .exact(.manufacturer)
        case 0x0B: return .exact(.parameterSet)
        case 0x0C: return .exact(.modelVersion)
        case 0x0D: return .exact(.hardwareVersion)
        case 0x0E: return .exact(.firmwareVersion)
        case 0x0F: return .exact(.softwareVersion)
        case 0x10: return .exact(.customerLocation)
        case 0x11: return .exact(.customer)
        case 0x12: return .exact(.accessCodeUser)
        case 0x13: return .exact(.accessCodeOperator)
        case 0x14: return .exact(.accessCodeSystemOperator)
        case 0x15: return .exact(.accessCodeDeveloper)
        case 0x16: return .exact(.password)
        case 0x17: return .exact(.errorFlags)
        case 0x18: return .exact(.errorMask)
        case 0x1A: return .exact(.digitalOutput)
        case 0x1B: return .exact(.digitalInput)
        case 0x1C: return .exact(.baudRate, .baud)
        case 0x1D: return .exact(.responseDelay, .bitTimes)
        case 0x1E: return .exact(.retry)
        case 0x20: return .exact(.firstStorageNumber)
        case 0x21: return .exact(.lastStorageNumber)
        case 0x22: return .exact(.storageBlockSize)
        case 0x24...0x27: return .duration(.storageInterval, c, inHours: false)
        case 0x28: return .durationSeconds(.storageInterval, secondsPerMonth, inHours: false)
        case 0x29: return .durationSeconds(.storageInterval, secondsPerYear, inHours: false)
        case 0x2C...0x2F: return .duration(.durationSinceLastReadout, c, inHours: false)
        case 0x30: return .date(.startOfTariff)
        case 0x31...0x33: return .duration(.durationOfTariff, c, inHours: false)
        case 0x34...0x37: return .duration(.periodOfTariff, c, inHours: false)
        case 0x38: return .durationSeconds(.periodOfTariff, secondsPerMonth, inHours: false)
        case 0x39: return .durationSeconds(.periodOfTariff, secondsPerYear, inHours: false)
        case 0x3A: return .exact(.dimensionless)
        case 0x40...0x4F: return .physical(.voltage, .volt, Int(c & 0x0F) - 9)
        case 0x50...0x5F: return .physical(.current, .ampere, Int(c & 0x0F) - 12)
        case 0x60: return .exact(.resetCounter)
        case 0x61: return .exact(.cumulationCounter)
        case 0x62: return .exact(.controlSignal)
        case 0x63: return .exact(.dayOfWeek)
        case 0x64: return .exact(.weekNumber)
        case 0x65: return .exact(.timePointOfDayChange)
        case 0x66: return .exact(.stateOfParameterActivation)
        case 0x67: return .exact(.specialSupplierInformation)
        case 0x68...0x6B: return cumulative(.durationSinceLastCumulation, c)
        case 0x6C...0x6F: return cumulative(.operatingTimeBattery, c)
        case 0x70: return .date(.batteryChangeDate)
        case 0x71: return .physical(.rfLevel, .dBm, 0)
        case 0x74: return .physical(.remainingBatteryLifetime, .days, 0)
        default: return .unknown  // reserved codes
        }
    }

    /// `pp` = hours, days, months, years, in hours.
    private static func cumulative(_ quantity: Quantity, _ code: UInt8) -> VIFMeaning {
        let seconds: Double
        switch code & 3 {
        case 0: seconds = 3600
        case 1: seconds = 86400
        case 2: seconds = secondsPerMonth
        default: seconds = secondsPerYear
        }
        return .durationSeconds(quantity, seconds, inHours: true)
    }
}
