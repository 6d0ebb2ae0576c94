internal import MBus

/// One simulated meter: who it is (address, AES key, model), where it hangs (metering point,
/// the units that hear it), how much it uses, and the alarms it will raise. Everything is drawn
/// from the network seed and the meter's index, so it is the same meter in every run.
struct SimulatedMeter: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case multical403, multical603, multical21, omnipower, omsWater, omsHeat

        var model: String {
            switch self {
            case .multical403: "MULTICAL 403"
            case .multical603: "MULTICAL 603"
            case .multical21: "MULTICAL 21"
            case .omnipower: "OMNIPOWER"
            case .omsWater: "OMS water meter"
            case .omsHeat: "OMS heat meter"
            }
        }

        var medium: String {
            switch self {
            case .multical403, .multical603, .omsHeat: "heat"
            case .multical21, .omsWater: "water"
            case .omnipower: "electricity"
            }
        }

        /// Kamstrup C1 (ELL with AES-CTR) or OMS security mode 5 with a long TPL header.
        var isKamstrup: Bool { self != .omsWater && self != .omsHeat }
        var isHeat: Bool { self == .multical403 || self == .multical603 || self == .omsHeat }
        var isWater: Bool { self == .multical21 || self == .omsWater }
    }

    /// An alarm episode: the info-code bits are set from `start` until `end`; leaks and bursts
    /// also add water through the meter at `rateM3h`.
    struct Event: Sendable {
        enum Kind: Sendable { case leak, burst, reverseFlow }
        var kind: Kind
        var start: Int64
        var end: Int64
        var rateM3h: Double
    }

    struct Location: Sendable {
        var address: String
        var postalCode: String
        var city: String
        var latitude: Double
        var longitude: Double
    }

    let index: Int
    let kind: Kind
    let address: MeterAddress
    /// Eight digits, as printed on the meter and in the API.
    let serial: String
    let key: [UInt8]
    let location: Location
    /// Seconds after each interval boundary when this meter transmits.
    let phase: Int64
    /// The unit that hears it, and (for some) a second one with overlapping coverage.
    let primaryUnit: Int
    let secondaryUnit: Int?
    let primaryRSSI: Int
    let secondaryRSSI: Int
    /// From here on the meter sends nothing (a dead battery, a removed module).
    let silentFrom: Int64?
    let events: [Event]

    // Consumption parameters (the meaning depends on the kind).
    let startValue: Double       // kWh of energy, m³ of water, kWh of A+
    let demandPerKelvin: Double  // heat kW per K below the heating limit
    let baseLoad: Double         // heat kW (hot water), water m³ a day, electricity kWh a day
    let designDeltaK: Double     // heat: flow minus return temperature at full load
    let startVolume: Double      // heat: V1 m³ before epoch
    let startHours: Double       // heat: hour counter before epoch
    let solarPeakKW: Double      // electricity: 0 without panels

    var manufacturerCode: String { address.manufacturerCode }

    /// True when the meter transmits at `time`.
    func isSending(at time: Int64) -> Bool {
        guard let silentFrom else { return true }
        return time < silentFrom
    }

    /// Water let out by leaks and bursts up to `time`, m³.
    func lostWater(until time: Int64) -> Double {
        var total = 0.0
        for event in events where event.rateM3h > 0 && event.start < time {
            total += event.rateM3h * Double(min(time, event.end) - event.start) / 3600
        }
        return total
    }

    /// The alarm flow now, m³/h.
    func lossRate(at time: Int64) -> Double {
        events.reduce(0) { $0 + ($1.start <= time && time < $1.end ? $1.rateM3h : 0) }
    }

    /// The info-code bits the meter shows at `time`: Kamstrup `04FF22` bits for heat meters
    /// (leak 30, burst 28, reverse flow 9), `02FF20` flags plus 3-bit durations for MULTICAL 21.
    func infoBits(at time: Int64) -> UInt32 {
        var bits: UInt32 = 0
        for event in events where event.start <= time && time < event.end {
            let scale = Self.durationScale(hours: Double(time - event.start) / 3600)
            switch (kind.isHeat, event.kind) {
            case (true, .leak): bits |= 1 << 30
            case (true, .burst): bits |= 1 << 28
            case (true, .reverseFlow): bits |= 1 << 9
            case (false, .leak): bits |= 1 << 2 | scale << 10
            case (false, .burst): bits |= 1 << 3 | scale << 13
            case (false, .reverseFlow): bits |= 1 << 1 | scale << 7
            }
        }
        return bits
    }

    /// The MULTICAL 21 duration scale (InfoCodeMaps.durationHours): 1 = up to 8 h ... 7 = 22-31 d.
    static func durationScale(hours: Double) -> UInt32 {
        switch hours {
        case ...8: 1
        case ...24: 2
        case ...72: 3
        case ...168: 4
        case ...336: 5
        case ...504: 6
        default: 7
        }
    }
}
