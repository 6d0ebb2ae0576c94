extension VIFTable {
    /// EN 13757-3 table 12, the alternate extension table after VIF 0xFB (code without extension
    /// bit), as far as libmbus and the wmbusmeters samples confirm it. Codes whose scale could
    /// not be confirmed (reactive/apparent energy, frequency, phase) decode as `.unknown` with the
    /// raw value kept rather than with a guessed unit.
    static func extensionFB(_ code: UInt8) -> VIFMeaning {
        let c = code & 0x7F
        let n = Int(c & 1)
        let nn = Int(c & 3)
        switch c {
        case 0x00, 0x01: return .physical(.energy, .kWh, n + 2, base: 1e-3)  // 10^(n-1) MWh
        case 0x08, 0x09: return .physical(.energy, .kWh, n + 8, denominator: 3.6e6, base: 1 / 3.6e6)  // 10^(n-1) GJ
        case 0x10, 0x11: return .physical(.volume, .m3, n + 2)  // 10^(n+2) m3
        case 0x18, 0x19: return .physical(.mass, .kg, n + 5)  // 10^(n+2) t
        case 0x1A, 0x1B: return .physical(.relativeHumidity, .percent, n - 1)  // 10^(n-1) %
        case 0x21: return .physical(.volume, .m3, -1, numerator: 0.028316846592)  // 0.1 ft3
        case 0x22, 0x23: return .physical(.volume, .m3, n - 1, numerator: 0.003785411784)  // 10^(n-1) US gal
        case 0x24: return .physical(.volumeFlow, .m3PerHour, -3, numerator: 0.003785411784 * 60)  // 0.001 gal/min
        case 0x25: return .physical(.volumeFlow, .m3PerHour, 0, numerator: 0.003785411784 * 60)  // gal/min
        case 0x26: return .physical(.volumeFlow, .m3PerHour, 0, numerator: 0.003785411784)  // gal/h
        case 0x28, 0x29: return .physical(.power, .kW, n + 2, base: 1e-3)  // 10^(n-1) MW
        case 0x30, 0x31: return .physical(.power, .kW, n + 8, denominator: 3.6e6, base: 1 / 3.6e6)  // 10^(n-1) GJ/h
        case 0x58...0x5B: return fahrenheit(.flowTemperature, nn)
        case 0x5C...0x5F: return fahrenheit(.returnTemperature, nn)
        case 0x60...0x63: return .physical(.temperatureDifference, .kelvin, nn - 3, numerator: 5, denominator: 9)
        case 0x64...0x67: return fahrenheit(.externalTemperature, nn)
        default: return .unknown
        }
    }

    /// 10^(nn-3) degrees Fahrenheit, converted to Celsius.
    private static func fahrenheit(_ quantity: Quantity, _ nn: Int) -> VIFMeaning {
        .physical(quantity, .celsius, nn - 3, numerator: 5, denominator: 9, preOffset: -32)
    }
}
