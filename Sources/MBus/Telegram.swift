/// A decoded telegram: who sent it, how it was protected, and what it says.
public struct Telegram: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Wireless M-Bus (EN 13757-4), from a concentrator, drive-by unit or P2P meter.
        case wmbus
        /// Wired M-Bus (EN 13757-2) long frame from an M-Bus master.
        case mbus
    }

    public var kind: Kind
    /// The meter's identity: from the TPL long header when there is one (a radio converter or
    /// a wired frame), otherwise from the wireless link layer.
    public var address: MeterAddress
    /// The wireless link-layer sender when it differs from `address` (a radio converter or
    /// repeater); nil otherwise and for wired frames.
    public var linkAddress: MeterAddress?
    /// C field of the link layer (0x44 SND_NR, 0x08 RSP_UD, ...).
    public var control: UInt8
    /// Wired M-Bus primary address (A field) of the frame; nil for wireless.
    public var primaryAddress: UInt8?
    /// TPL access number, or the ELL access number for telegrams without a TPL header.
    public var accessNumber: UInt8?
    /// TPL status byte (EN 13757-7 / -3: bits 0-1 application state, 0x04 power low, ...).
    public var status: UInt8?
    /// TPL configuration word (security mode in bits 8-12).
    public var configuration: UInt16?
    public var security: SecurityMode
    /// CI of the application layer that carried the records (0x72, 0x7A, 0x78, 0x79, ...).
    public var applicationCI: UInt8
    public var records: [Record]
    /// Manufacturer-specific data after DIF 0x0F/0x1F, raw.
    public var manufacturerData: [UInt8]
    /// The last record was DIF 0x1F: a wired slave has more telegrams (toggle FCB and ask again).
    public var moreRecordsFollow: Bool
    /// Named info codes (alarms) found in the records, with durations where the meter says.
    public var infoCodes: [InfoCode]
    /// The records mapped to the registers Fjern stores.
    public var registers: Registers

    public init(kind: Kind, address: MeterAddress, linkAddress: MeterAddress? = nil, control: UInt8,
                primaryAddress: UInt8? = nil, accessNumber: UInt8? = nil, status: UInt8? = nil,
                configuration: UInt16? = nil, security: SecurityMode = .none, applicationCI: UInt8,
                records: [Record] = [], manufacturerData: [UInt8] = [], moreRecordsFollow: Bool = false,
                infoCodes: [InfoCode] = [], registers: Registers = Registers()) {
        self.kind = kind
        self.address = address
        self.linkAddress = linkAddress
        self.control = control
        self.primaryAddress = primaryAddress
        self.accessNumber = accessNumber
        self.status = status
        self.configuration = configuration
        self.security = security
        self.applicationCI = applicationCI
        self.records = records
        self.manufacturerData = manufacturerData
        self.moreRecordsFollow = moreRecordsFollow
        self.infoCodes = infoCodes
        self.registers = registers
    }
}

/// How the telegram's payload was protected on the way.
public enum SecurityMode: String, Sendable, Hashable {
    case none
    /// OMS security mode 5: AES-128-CBC, IV from M, A and the access number.
    case mode5
    /// OMS security mode 7: AES-128-CBC with IV 0 and a session key from the CMAC KDF (AFL).
    case mode7
    /// Extended link layer ENC 1: AES-128-CTR (Kamstrup C1, OMNIPower).
    case ellCTR = "ell-ctr"
}

/// Manufacturer (M field), identification number, version and device type: the (M, id, V, T)
/// that identifies a meter on wireless and wired M-Bus.
public struct MeterAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 15-bit packed manufacturer code, e.g. 0x2C2D for KAM.
    public var manufacturer: UInt16
    /// The identification number as the 4 bytes hold it (normally BCD), e.g. 0x76348799.
    public var id: UInt32
    public var version: UInt8
    public var deviceType: UInt8

    public init(manufacturer: UInt16, id: UInt32, version: UInt8, deviceType: UInt8) {
        self.manufacturer = manufacturer
        self.id = id
        self.version = version
        self.deviceType = deviceType
    }

    /// Three upper-case letters, e.g. `KAM`; a code outside A-Z prints as `@`-style letters as
    /// EN 62056-21 defines them, so it is always three characters.
    public var manufacturerCode: String { Self.manufacturerCode(manufacturer) }

    public static func manufacturerCode(_ code: UInt16) -> String {
        let letters = [(code >> 10) & 0x1F, (code >> 5) & 0x1F, code & 0x1F].map { Character(UnicodeScalar(UInt8($0) + 64)) }
        return String(letters)
    }

    /// Packs three letters A-Z; nil for anything else.
    public static func manufacturerValue(_ code: String) -> UInt16? {
        let scalars = Array(code.unicodeScalars)
        guard scalars.count == 3, scalars.allSatisfy({ $0.value >= 65 && $0.value <= 90 }) else { return nil }
        return UInt16(scalars[0].value - 64) << 10 | UInt16(scalars[1].value - 64) << 5 | UInt16(scalars[2].value - 64)
    }

    /// The id as printed on the meter: eight hex digits of the BCD bytes, e.g. `76348799`.
    /// Non-BCD ids print their hex digits as they are (some makers use binary ids).
    public var idString: String {
        let digits: [Character] = Array("0123456789ABCDEF")
        return String((0..<8).reversed().map { digits[Int((id >> UInt32($0 * 4)) & 0xF)] })
    }

    public var medium: Medium { Medium(deviceType: deviceType) }

    public var description: String { "\(manufacturerCode) \(idString) v\(version) t\(deviceType)" }
}

/// The medium of EN 13757-3 table 3 (device type), named as Fjern's API names media.
public enum Medium: String, Sendable, Hashable {
    case other
    case oil
    case electricity
    case gas
    case heat
    case steam
    case warmWater = "warm-water"
    case water
    case heatCostAllocator = "heat-cost-allocator"
    case compressedAir = "compressed-air"
    case cooling
    case heatCooling = "heat-cooling"
    case busSystem = "bus-system"
    case unknown
    case hotWater = "hot-water"
    case coldWater = "cold-water"
    case dualWater = "dual-water"
    case pressure
    case adConverter = "ad-converter"
    case smokeDetector = "smoke-detector"
    case roomSensor = "room-sensor"
    case gasDetector = "gas-detector"
    case breaker = "breaker"
    case valve
    case customerUnit = "customer-unit"
    case wasteWater = "waste-water"
    case garbage
    case radioConverter = "radio-converter"
    case communicationController = "communication-controller"
    case unidirectionalRepeater = "unidirectional-repeater"
    case bidirectionalRepeater = "bidirectional-repeater"
    case reserved

    public init(deviceType: UInt8) {
        switch deviceType {
        case 0x00: self = .other
        case 0x01: self = .oil
        case 0x02: self = .electricity
        case 0x03: self = .gas
        case 0x04, 0x0C: self = .heat
        case 0x05: self = .steam
        case 0x06: self = .warmWater
        case 0x07: self = .water
        case 0x08: self = .heatCostAllocator
        case 0x09: self = .compressedAir
        case 0x0A, 0x0B: self = .cooling
        case 0x0D: self = .heatCooling
        case 0x0E: self = .busSystem
        case 0x0F: self = .unknown
        case 0x15: self = .hotWater
        case 0x16: self = .coldWater
        case 0x17: self = .dualWater
        case 0x18: self = .pressure
        case 0x19: self = .adConverter
        case 0x1A: self = .smokeDetector
        case 0x1B: self = .roomSensor
        case 0x1C: self = .gasDetector
        case 0x20: self = .breaker
        case 0x21: self = .valve
        case 0x25: self = .customerUnit
        case 0x28: self = .wasteWater
        case 0x29: self = .garbage
        case 0x31: self = .communicationController
        case 0x32: self = .unidirectionalRepeater
        case 0x33: self = .bidirectionalRepeater
        case 0x36, 0x37: self = .radioConverter
        default: self = .reserved
        }
    }
}
