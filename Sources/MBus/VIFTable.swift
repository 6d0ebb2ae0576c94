/// What a VIF (with its extension-table code) means: the quantity, the canonical unit, and how
/// a raw number becomes a value in that unit: `(raw * 10^exponent + preOffset) * numerator / denominator`.
struct VIFMeaning: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A physical value scaled to `unit` (`RecordValue.number`).
        case physical
        /// Identifiers, counters, bit fields: kept exact (`RecordValue.integer`), unsigned.
        case exact
        /// A point in time; the data length picks type G, F, I or J.
        case date
    }

    var quantity: Quantity
    var unit: Unit
    var kind: Kind
    var exponent: Int = 0
    var preOffset: Double = 0
    var numerator: Double = 1
    var denominator: Double = 1
    /// Exact values read two's complement (unknown and manufacturer-specific meanings).
    var signed = false
    /// Converts the VIF's base unit (Wh, J, m3, W, C ...) to `unit`, for additive correction VIFEs.
    var baseToCanonical: Double = 1

    static func physical(_ quantity: Quantity, _ unit: Unit, _ exponent: Int, numerator: Double = 1,
                         denominator: Double = 1, preOffset: Double = 0, base: Double = 1) -> VIFMeaning {
        VIFMeaning(quantity: quantity, unit: unit, kind: .physical, exponent: exponent, preOffset: preOffset,
                   numerator: numerator, denominator: denominator, baseToCanonical: base)
    }

    static func exact(_ quantity: Quantity, _ unit: Unit = .none) -> VIFMeaning {
        VIFMeaning(quantity: quantity, unit: unit, kind: .exact)
    }

    static func date(_ quantity: Quantity) -> VIFMeaning {
        VIFMeaning(quantity: quantity, unit: .none, kind: .date)
    }

    static let unknown = VIFMeaning(quantity: .unknown, unit: .none, kind: .exact, signed: true)
    static let manufacturerSpecific = VIFMeaning(quantity: .manufacturerSpecific, unit: .none, kind: .exact, signed: true)

    /// Durations: `code & 3` selects seconds, minutes, hours, days, expressed in hours or seconds.
    static func duration(_ quantity: Quantity, _ code: UInt8, inHours: Bool) -> VIFMeaning {
        let seconds: Double
        switch code & 3 {
        case 0: seconds = 1
        case 1: seconds = 60
        case 2: seconds = 3600
        default: seconds = 86400
        }
        return durationSeconds(quantity, seconds, inHours: inHours)
    }

    static func durationSeconds(_ quantity: Quantity, _ seconds: Double, inHours: Bool) -> VIFMeaning {
        if inHours {
            return seconds >= 3600 ? .physical(quantity, .hours, 0, numerator: seconds / 3600)
                                   : .physical(quantity, .hours, 0, denominator: 3600 / seconds)
        }
        return .physical(quantity, .seconds, 0, numerator: seconds)
    }
}

/// EN 13757-3 table 10, the primary VIFs (extension bit cleared). On time and operating time
/// are in hours (meter lifetime counters); averaging and actuality durations in seconds.
enum VIFTable {
    /// Month and year as libmbus counts them, in seconds.
    static let secondsPerMonth = 2_629_743.83
    static let secondsPerYear = 31_556_926.0

    static func primary(_ code: UInt8) -> VIFMeaning {
        let n = Int(code & 0x07)
        switch code & 0x7F {
        case 0x00...0x07: return .physical(.energy, .kWh, n - 6, base: 1e-3)
        case 0x08...0x0F: return .physical(.energy, .kWh, n, denominator: 3.6e6, base: 1 / 3.6e6)
        case 0x10...0x17: return .physical(.volume, .m3, n - 6)
        case 0x18...0x1F: return .physical(.mass, .kg, n - 3)
        case 0x20...0x23: return .duration(.onTime, code, inHours: true)
        case 0x24...0x27: return .duration(.operatingTime, code, inHours: true)
        case 0x28...0x2F: return .physical(.power, .kW, n - 6, base: 1e-3)
        case 0x30...0x37: return .physical(.power, .kW, n, denominator: 3.6e6, base: 1 / 3.6e6)
        case 0x38...0x3F: return .physical(.volumeFlow, .m3PerHour, n - 6)
        case 0x40...0x47: return .physical(.volumeFlow, .m3PerHour, n - 7, numerator: 60, base: 60)
        case 0x48...0x4F: return .physical(.volumeFlow, .m3PerHour, n - 9, numerator: 3600, base: 3600)
        case 0x50...0x57: return .physical(.massFlow, .kgPerHour, n - 3)
        case 0x58...0x5B: return .physical(.flowTemperature, .celsius, (n & 3) - 3)
        case 0x5C...0x5F: return .physical(.returnTemperature, .celsius, (n & 3) - 3)
        case 0x60...0x63: return .physical(.temperatureDifference, .kelvin, (n & 3) - 3)
        case 0x64...0x67: return .physical(.externalTemperature, .celsius, (n & 3) - 3)
        case 0x68...0x6B: return .physical(.pressure, .bar, (n & 3) - 3)
        case 0x6C: return .date(.date)
        case 0x6D: return .date(.dateTime)
        case 0x6E: return .physical(.heatCostAllocation, .hca, 0)
        case 0x70...0x73: return .duration(.averagingDuration, code, inHours: false)
        case 0x74...0x77: return .duration(.actualityDuration, code, inHours: false)
        case 0x78: return .exact(.fabricationNumber)
        case 0x79: return .exact(.enhancedIdentification)
        case 0x7A: return .exact(.busAddress)
        case 0x7F: return .manufacturerSpecific
        default: return .unknown  // 0x6F reserved, 0x7E any VIF
        }
    }
}
