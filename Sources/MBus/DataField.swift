/// The data field of a DIF (its low nibble, EN 13757-3 table 4): how many bytes follow the
/// VIF chain and how to read them.
enum DataField: UInt8 {
    case none = 0x0
    case int8, int16, int24, int32, real32, int48, int64
    case selection = 0x8
    case bcd2, bcd4, bcd6, bcd8
    case variable = 0xD
    case bcd12 = 0xE
    case special = 0xF

    init(dif: UInt8) { self = DataField(rawValue: dif & 0x0F)! }

    /// Fixed data length in bytes; 0 for none/selection/special, -1 for LVAR.
    var length: Int {
        switch self {
        case .none, .selection, .special: 0
        case .int8, .bcd2: 1
        case .int16, .bcd4: 2
        case .int24, .bcd6: 3
        case .int32, .real32, .bcd8: 4
        case .int48, .bcd12: 6
        case .int64: 8
        case .variable: -1
        }
    }

    var isBCD: Bool {
        switch self {
        case .bcd2, .bcd4, .bcd6, .bcd8, .bcd12: true
        default: false
        }
    }

    var isInteger: Bool {
        switch self {
        case .int8, .int16, .int24, .int32, .int48, .int64: true
        default: false
        }
    }
}
