/// Turns a meter's info-code and error-flag records into named, normalised codes. Which bit
/// map applies depends on the manufacturer, the device type and the record's own DIF/VIF
/// (Kamstrup `04FF22` is not `02FD17` is not `02FF20`): maps are never mixed, and only the
/// current value (storage 0) counts. Maps: InfoCodeMaps+kamstrup.swift.
public enum InfoCodeMaps {
    /// How urgent a code is, most urgent first: `critical` costs water or money now (leak,
    /// burst), `major` needs a visit (wrong measurement, tampering), `minor` can wait for the
    /// next round (battery, sensor ranges), `info` is a state worth knowing.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case critical
        case major
        case minor
        case info

        /// For "most important first": critical 4 ... info 1.
        public var rank: Int {
            switch self {
            case .critical: 4
            case .major: 3
            case .minor: 2
            case .info: 1
            }
        }
    }

    /// One normalised code of the API's vocabulary.
    public struct Entry: Sendable, Hashable {
        public var code: String
        public var severity: Severity
        /// Short, for lists and summaries ("Leak").
        public var title: String
        public var description: String
    }

    /// Every code a map can raise, for ingest (alerts) and the API (documentation, filters).
    /// The order is stored: a reading keeps its codes as a set of positions in this list, so
    /// new codes go at the end (CatalogueTests: it is exactly what the maps emit).
    public static let catalogue: [Entry] = [
        Entry(code: "leak", severity: .critical, title: "Leak", description: "Leak: water is lost or enters the installation"),
        Entry(code: "burst", severity: .critical, title: "Burst", description: "Burst: a large, sudden loss of water"),
        Entry(code: "tamper", severity: .major, title: "Tamper", description: "The meter was tampered with"),
        Entry(code: "reverse-flow", severity: .major, title: "Reverse flow", description: "Water flows backwards through the flow sensor"),
        Entry(code: "dry", severity: .major, title: "Dry", description: "The flow sensor is empty (no water in the pipe)"),
        Entry(code: "air", severity: .major, title: "Air", description: "Air in the flow sensor, or a weak signal"),
        Entry(code: "low-battery", severity: .minor, title: "Low battery", description: "The battery is low"),
        Entry(code: "voltage-interrupted", severity: .major, title: "Voltage interrupted", description: "The supply voltage was interrupted"),
        Entry(code: "sensor-error", severity: .minor, title: "Sensor error", description: "A sensor reports an error"),
        Entry(code: "temperature-out-of-range", severity: .minor, title: "Temperature out of range",
              description: "A temperature sensor is outside its measuring range (disconnected or short-circuited)"),
        Entry(code: "temperature-difference-wrong-polarity", severity: .minor, title: "Temperature difference wrong polarity",
              description: "The return is warmer than the flow (sensors swapped)"),
        Entry(code: "communication-error", severity: .major, title: "Communication error", description: "The calculator cannot read a flow or pressure sensor"),
        Entry(code: "wrong-pulse-figure", severity: .major, title: "Wrong pulse figure", description: "The flow sensor's pulse figure does not match the calculator"),
        Entry(code: "increased-flow", severity: .minor, title: "Increased flow", description: "The flow is above the sensor's permanent flow (qs)"),
        Entry(code: "flow-above-q4", severity: .minor, title: "Flow above Q4", description: "The flow is above the overload flow Q4"),
        Entry(code: "external-alarm", severity: .major, title: "External alarm", description: "An external alarm input is active"),
        Entry(code: "pressure-drop", severity: .major, title: "Pressure drop", description: "The pressure dropped unexpectedly against its average"),
        Entry(code: "pressure-surge", severity: .minor, title: "Pressure surge", description: "The pressure rose unexpectedly against its average"),
        Entry(code: "pressure-high", severity: .minor, title: "Pressure high", description: "The average pressure reached the upper limit"),
        Entry(code: "pressure-low", severity: .major, title: "Pressure low", description: "The average pressure reached the lower limit"),
        Entry(code: "pressure-transient", severity: .minor, title: "Pressure transient", description: "The pressure changes quickly over short periods"),
        Entry(code: "low-ambient-temperature", severity: .minor, title: "Low ambient temperature", description: "The meter's surroundings are cold (frost risk)"),
        Entry(code: "no-consumption", severity: .info, title: "No consumption", description: "No consumption for a long time"),
        Entry(code: "unknown", severity: .info, title: "Unknown", description: "A bit the maker does not document"),
    ]

    public static func entry(_ code: String) -> Entry? { catalogue.first { $0.code == code } }

    /// The codes ingest can raise: every meaning of every map, and `unknown` for a set bit a
    /// map leaves undocumented. Derived from the maps, so the catalogue is checked against it.
    public static let emittedCodes: Set<String> = Set(maps.flatMap { $0.bits.values.map(\.code) }).union(["unknown"])

    /// The named codes of every bit set in the current info-code / error-flag records, in
    /// record order then bit order. A record no map knows for this meter raises nothing (its
    /// raw bits are still in `Registers.infoCodeBits`).
    public static func decode(records: [Record], address: MeterAddress) -> [InfoCode] {
        var out: [InfoCode] = []
        for record in records where record.storage == 0 && record.tariff == 0 && record.subunit == 0 {
            guard record.quantity == .infoCode || record.quantity == .errorFlags,
                  let bits = bits(record.value), let map = map(for: record, address: address) else { continue }
            for bit in 0..<map.width where bits >> UInt64(bit) & 1 == 1 {
                if let meaning = map.bits[bit] {
                    let duration = map.duration?(bits, bit)
                    out.append(InfoCode(code: meaning.code, bit: bit, detail: meaning.detail, durationHours: duration))
                } else {
                    out.append(InfoCode(code: "unknown", bit: bit, detail: "\(map.name) bit \(bit), not documented"))
                }
            }
        }
        return out
    }

    /// The raw bits of an integer, byte-string (LSB first) or whole-number value.
    static func bits(_ value: RecordValue) -> UInt64? {
        switch value {
        case .integer(let v): return UInt64(bitPattern: v)
        case .bytes(let b):
            var v: UInt64 = 0
            for (i, byte) in b.prefix(8).enumerated() { v |= UInt64(byte) << UInt64(8 * i) }
            return v
        case .number(let d):
            guard d >= 0, d < 18_446_744_073_709_551_616.0, d == d.rounded() else { return nil }
            return UInt64(d)
        default: return nil
        }
    }
}

/// One bit map: its name (for details), how many bits it defines, the meaning of each, and the
/// duration fields some maps carry beside the flags.
struct BitMap: Sendable {
    struct Meaning: Sendable {
        var code: String
        var detail: String
    }

    var name: String
    var width: Int
    var bits: [Int: Meaning]
    var duration: (@Sendable (UInt64, Int) -> ClosedRange<Int>?)?
}
