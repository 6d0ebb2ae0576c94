/// One data record of the application layer (EN 13757-3), normalised: the quantity, its value
/// in the canonical unit, and the addressing bits (storage, tariff, subunit, function), plus
/// the raw DIF/DIFE/VIF/VIFE bytes that identify it exactly (two records never share them;
/// never key by VIF alone, PROTOCOLS §6.9).
public struct Record: Sendable, Hashable {
    public enum Function: String, Sendable, Hashable {
        case instantaneous
        case maximum
        case minimum
        case error = "value-during-error"
    }

    public var quantity: Quantity
    public var unit: Unit
    public var value: RecordValue
    public var storage: UInt64
    public var tariff: UInt32
    public var subunit: UInt16
    public var function: Function
    /// Combinable VIFEs that qualify the quantity (EN 13757-3 table 15), without the
    /// extension bit, e.g. 0x3C backward (reverse) flow, 0x40/0x48 lower/upper limit.
    public var modifiers: Modifiers
    /// The raw DIF ... VIFE bytes (without the data), e.g. `0413`, `04843C`, `04FF22`.
    public var difvif: DIFVIF
    /// The unit a plain-text VIF (0x7C/0xFC) names, e.g. `%RH`; nil for every other VIF.
    public var unitText: String?

    public init(quantity: Quantity, unit: Unit, value: RecordValue, storage: UInt64 = 0, tariff: UInt32 = 0,
                subunit: UInt16 = 0, function: Function = .instantaneous, modifiers: Modifiers = [], difvif: DIFVIF,
                unitText: String? = nil) {
        self.quantity = quantity
        self.unit = unit
        self.value = value
        self.storage = storage
        self.tariff = tariff
        self.subunit = subunit
        self.function = function
        self.modifiers = modifiers
        self.difvif = difvif
        self.unitText = unitText
    }
}

/// Combinable VIFE qualifiers that change what a value means. Kept as flags so the register
/// mapping can tell "volume" from "reverse volume" without re-reading bytes.
public struct Modifiers: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let forwardFlow = Modifiers(rawValue: 1 << 0)
    public static let backwardFlow = Modifiers(rawValue: 1 << 1)
    public static let average = Modifiers(rawValue: 1 << 2)
    public static let lowerLimit = Modifiers(rawValue: 1 << 3)
    public static let upperLimit = Modifiers(rawValue: 1 << 4)
    public static let perSecond = Modifiers(rawValue: 1 << 5)
    public static let perMinute = Modifiers(rawValue: 1 << 6)
    public static let perHour = Modifiers(rawValue: 1 << 7)
    public static let perDay = Modifiers(rawValue: 1 << 8)
    public static let perWeek = Modifiers(rawValue: 1 << 9)
    public static let perMonth = Modifiers(rawValue: 1 << 10)
    public static let perYear = Modifiers(rawValue: 1 << 11)
    public static let accumulationOfAbsoluteValue = Modifiers(rawValue: 1 << 12)
    public static let compactProfile = Modifiers(rawValue: 1 << 13)
    public static let durationSinceLimitExceeded = Modifiers(rawValue: 1 << 14)
    public static let atPhaseL1 = Modifiers(rawValue: 1 << 15)
    public static let atPhaseL2 = Modifiers(rawValue: 1 << 16)
    public static let atPhaseL3 = Modifiers(rawValue: 1 << 17)
    public static let atNeutral = Modifiers(rawValue: 1 << 18)
    public static let betweenL1L2 = Modifiers(rawValue: 1 << 19)
    public static let betweenL2L3 = Modifiers(rawValue: 1 << 20)
    public static let betweenL3L1 = Modifiers(rawValue: 1 << 21)
    /// A manufacturer-specific VIFE (0x7F/0xFF) follows; its byte is in `DIFVIF`.
    public static let manufacturerSpecific = Modifiers(rawValue: 1 << 22)
    /// Any combinable VIFE this decoder does not name; the value is kept, its meaning is in the bytes.
    public static let other = Modifiers(rawValue: 1 << 31)
}

/// A record's value after scaling to the canonical unit.
public enum RecordValue: Sendable, Hashable {
    /// A physical value in the record's canonical unit.
    case number(Double)
    /// An exact integer without a unit: identifiers, counters, bit fields (error flags, info
    /// codes), access numbers. Kept exact; a Double loses digits beyond 2^53.
    case integer(Int64)
    /// A bit field wider than 64 bits or a manufacturer blob: the raw bytes, LSB first.
    case bytes([UInt8])
    case text(String)
    case date(MeterDate)
    case dateTime(MeterDateTime)
    /// The meter sent the "invalid" marker (type G 0xFFFF, type F invalid bit, BCD of all
    /// F nibbles...): reported as null, never as a made-up date or number.
    case null

    /// The value as a Double when it is numeric.
    public var double: Double? {
        switch self {
        case .number(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }
}

/// A calendar date as the meter states it (type G), without a time zone: meters send local time.
public struct MeterDate: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// ISO 8601 `YYYY-MM-DD`.
    public var description: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }
}

/// A date and time as the meter states it (types F and I), local time; `summerTime` is the
/// meter's DST flag when it sends one.
public struct MeterDateTime: Sendable, Hashable, CustomStringConvertible {
    public var date: MeterDate
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var summerTime: Bool
    public init(date: MeterDate, hour: Int, minute: Int, second: Int = 0, summerTime: Bool = false) {
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.summerTime = summerTime
    }

    /// ISO 8601 `YYYY-MM-DDTHH:MM:SS`, no offset (local meter time).
    public var description: String { "\(date)T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2) }
}

func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// The DIF/DIFE/VIF/VIFE bytes of a record, held inline (no heap allocation per record: a
/// telegram decodes to a dozen of these on the ingest hot path). EN 13757-3 allows 10 DIFEs
/// and 10 VIFEs, so 22 bytes at most; the parser rejects longer chains.
public struct DIFVIF: Sendable, Hashable, CustomStringConvertible {
    public static let capacity = 32
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    public private(set) var count: Int = 0

    public init() {}

    public init(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { append(byte) }
    }

    /// Packs `p[start..<start+count]` with word loads and stores it once: the record parser's
    /// hot path, where byte-wise `append` costs a store-to-load stall per byte.
    @inline(__always)
    init(_ p: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) {
        precondition(count >= 0 && count <= Self.capacity && start >= 0 && start + count <= p.count)
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var k = 0
        while k < count {
            let n = min(8, count - k)
            var word: UInt64 = 0
            if start + k + 8 <= p.count, let base = p.baseAddress {
                word = UInt64(littleEndian: UnsafeRawPointer(base + start + k).loadUnaligned(as: UInt64.self))
                if n < 8 { word &= (1 << UInt64(8 * n)) - 1 }
            } else {
                for j in 0..<n { word |= UInt64(p[start + k + j]) << UInt64(8 * j) }
            }
            switch k >> 3 {
            case 0: words.0 = word
            case 1: words.1 = word
            case 2: words.2 = word
            default: words.3 = word
            }
            k += 8
        }
        storage = words
        self.count = count
    }

    /// Appends one byte; beyond `capacity` bytes it is a programming error of the caller
    /// (the parser enforces the EN 13757-3 limits first).
    public mutating func append(_ byte: UInt8) {
        precondition(count < Self.capacity, "DIF/VIF chain longer than \(Self.capacity) bytes")
        let word = count >> 3
        let shift = UInt64((count & 7) * 8)
        let bits = UInt64(byte) << shift
        switch word {
        case 0: storage.0 |= bits
        case 1: storage.1 |= bits
        case 2: storage.2 |= bits
        default: storage.3 |= bits
        }
        count += 1
    }

    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count)
        let word: UInt64
        switch index >> 3 {
        case 0: word = storage.0
        case 1: word = storage.1
        case 2: word = storage.2
        default: word = storage.3
        }
        return UInt8(truncatingIfNeeded: word >> UInt64((index & 7) * 8))
    }

    public var bytes: [UInt8] { (0..<count).map { self[$0] } }

    public static func == (a: DIFVIF, b: DIFVIF) -> Bool {
        a.count == b.count && a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1
            && a.storage.2 == b.storage.2 && a.storage.3 == b.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }

    /// Upper-case hex, e.g. `04843C`.
    public var description: String {
        let digits: [Character] = Array("0123456789ABCDEF")
        var text = ""
        text.reserveCapacity(count * 2)
        for i in 0..<count {
            let byte = self[i]
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return text
    }
}
