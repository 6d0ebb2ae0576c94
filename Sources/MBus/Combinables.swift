/// What one combinable (orthogonal) VIFE does to a record (EN 13757-3 table 15).
enum Combinable {
    /// A qualifier kept as a `Modifiers` flag.
    case modifier(Modifiers)
    /// Multiplies the value by 10^k (0x70-0x77: k = nnn-6; 0x7D: k = 3).
    case decimalFactor(Int)
    /// Adds 10^k of the VIF's base unit (0x78-0x7B: k = nn-3).
    case offset(Int)
    /// 0x7C: the next VIFE is from the combinable extension table.
    case extensionFollows
    /// 0x7F: the next VIFE is the manufacturer's own.
    case manufacturerFollows

    static func decode(_ vife: UInt8) -> Combinable {
        let c = vife & 0x7F
        switch c {
        case 0x12: return .modifier(.average)
        case 0x13, 0x1E, 0x1F: return .modifier(.compactProfile)
        case 0x20: return .modifier(.perSecond)
        case 0x21: return .modifier(.perMinute)
        case 0x22: return .modifier(.perHour)
        case 0x23: return .modifier(.perDay)
        case 0x24: return .modifier(.perWeek)
        case 0x25: return .modifier(.perMonth)
        case 0x26: return .modifier(.perYear)
        case 0x3B: return .modifier(.forwardFlow)
        case 0x3C: return .modifier(.backwardFlow)
        case 0x40: return .modifier(.lowerLimit)
        case 0x48: return .modifier(.upperLimit)
        case 0x50...0x5F: return .modifier(.durationSinceLimitExceeded)
        case 0x70...0x77: return .decimalFactor(Int(c & 7) - 6)
        case 0x78...0x7B: return .offset(Int(c & 3) - 3)
        case 0x7C: return .extensionFollows
        case 0x7D: return .decimalFactor(3)
        case 0x7F: return .manufacturerFollows
        default: return .modifier(.other)
        }
    }

    /// The code after a 0x7C/0xFC combinable extension VIFE.
    static func decodeExtension(_ vife: UInt8) -> Modifiers {
        switch vife & 0x7F {
        case 0x01: .atPhaseL1
        case 0x02: .atPhaseL2
        case 0x03: .atPhaseL3
        case 0x04: .atNeutral
        case 0x05: .betweenL1L2
        case 0x06: .betweenL2L3
        case 0x07: .betweenL3L1
        case 0x10: .accumulationOfAbsoluteValue
        default: .other
        }
    }
}
