internal import MBus
internal import Glibc

/// A whole simulated network, rebuilt identically from its parameters: N meters (about 45%
/// MULTICAL 403/603 heat, 40% MULTICAL 21 water, 10% OMNIPOWER electricity, 5% third-party OMS
/// meters), K concentrators whose coverage overlaps (about 10% of meters are heard by two, so
/// their telegrams arrive twice), alarms now and then, and a few meters that fall silent.
struct SimulatedNetwork: Sendable {
    struct Parameters: Sendable, Equatable {
        var seed: UInt64
        var meterCount: Int
        var unitCount: Int
        /// Unix seconds when the network was provisioned; the consumption tables start a year earlier.
        var createdAt: Int64
        /// Seconds between two telegrams of one meter.
        var interval: Int64 = 900
    }

    struct Unit: Sendable {
        var name: String
        var city: String
        var latitude: Double
        var longitude: Double
    }

    /// One telegram as one unit received it.
    struct Reception: Sendable {
        var meter: Int
        var unit: Int
        /// When the meter sent it (Unix seconds) and its transmission count.
        var sentAt: Int64
        var sequence: Int64
        /// Milliseconds after `sentAt` the unit stamped it with.
        var delayMilliseconds: Int
        var rssi: Int
        var receivedAtMilliseconds: Int64 { sentAt * 1000 + Int64(delayMilliseconds) }
    }

    static let maxMetersPerUnit = 10_000
    static let kamstrup = MeterAddress.manufacturerValue("KAM")!

    let parameters: Parameters
    let model: ConsumptionModel
    let meters: [SimulatedMeter]
    let units: [Unit]
    /// Meter indices in the order they transmit within an interval.
    private let byPhase: [Int]

    /// Enough concentrators that none hears more than 10,000 meters, and at least two so that
    /// coverage overlaps.
    static func defaultUnitCount(meters: Int) -> Int {
        max(2, (meters * 11 / 10 + maxMetersPerUnit - 1) / maxMetersPerUnit)
    }

    init(_ parameters: Parameters) {
        self.parameters = parameters
        let epoch = (parameters.createdAt / 86_400 - 365) * 86_400
        model = ConsumptionModel(seed: parameters.seed, epoch: epoch)
        let units = (0..<parameters.unitCount).map { Self.makeUnit($0, seed: parameters.seed) }
        self.units = units
        let meters = (0..<parameters.meterCount).map { Self.makeMeter($0, parameters: parameters, units: units, epoch: epoch) }
        self.meters = meters
        byPhase = meters.indices.sorted { (meters[$0].phase, $0) < (meters[$1].phase, $1) }
    }

    /// Calls `body` for every interval in `[from, to)` with that interval's receptions in time
    /// order (a meter heard by two units appears twice, the second unit up to 2 s later).
    func forEachInterval<Failure: Error>(from: Int64, to: Int64, _ body: ([Reception]) throws(Failure) -> Void) throws(Failure) {
        let interval = parameters.interval
        var slot = (from / interval) * interval
        var receptions: [Reception] = []
        while slot < to {
            receptions.removeAll(keepingCapacity: true)
            for index in byPhase {
                let meter = meters[index]
                let sentAt = slot + meter.phase
                guard sentAt >= from, sentAt < to, meter.isSending(at: sentAt) else { continue }
                let sequence = (sentAt - model.epoch) / interval
                let delay = Int(meter.jitter(sentAt) * 400)
                receptions.append(Reception(meter: index, unit: meter.primaryUnit, sentAt: sentAt, sequence: sequence,
                                            delayMilliseconds: delay, rssi: meter.primaryRSSI + Int(meter.jitter(sentAt + 1) * 7) - 3))
                if let second = meter.secondaryUnit {
                    receptions.append(Reception(meter: index, unit: second, sentAt: sentAt, sequence: sequence,
                                                delayMilliseconds: delay + 150 + Int(meter.jitter(sentAt + 2) * 1800),
                                                rssi: meter.secondaryRSSI + Int(meter.jitter(sentAt + 3) * 7) - 3))
                }
            }
            try body(receptions)
            slot += interval
        }
    }

    func telegram(_ reception: Reception) throws(DecodeError) -> [UInt8] {
        try meters[reception.meter].telegram(at: reception.sentAt, sequence: reception.sequence, model: model)
    }

    // MARK: construction

    private static let cities: [(name: String, postalCode: String, latitude: Double, longitude: Double)] = [
        ("Aarhus", "8000", 56.1567, 10.2108), ("Silkeborg", "8600", 56.1697, 9.5451),
        ("Randers", "8900", 56.4607, 10.0364), ("Horsens", "8700", 55.8607, 9.8503),
        ("Skanderborg", "8660", 56.0340, 9.9306), ("Viborg", "8800", 56.4532, 9.4020),
    ]
    private static let streets = ["Engvej", "Skovvej", "Birkevej", "Kirkegade", "Møllevej", "Bakkevej", "Søndergade",
                                  "Nørregade", "Vestergade", "Østergade", "Lindevej", "Rosenvænget", "Havrevej", "Åboulevarden"]

    private static func makeUnit(_ index: Int, seed: UInt64) -> Unit {
        var random = SimRandom(seed: seed, stream: 0x0C0C, UInt64(index))
        let city = cities[index % cities.count]
        return Unit(name: "Simulated concentrator \(index + 1) (\(city.name))", city: city.name,
                    latitude: city.latitude + random.double(-0.03...0.03), longitude: city.longitude + random.double(-0.05...0.05))
    }

    private static func makeMeter(_ index: Int, parameters: Parameters, units: [Unit], epoch: Int64) -> SimulatedMeter {
        var random = SimRandom(seed: parameters.seed, stream: UInt64(index))
        let draw = random.unit()
        let kind: SimulatedMeter.Kind = switch draw {
        case ..<0.45: random.chance(0.5) ? .multical403 : .multical603
        case ..<0.85: .multical21
        case ..<0.95: .omnipower
        default: random.chance(0.5) ? .omsWater : .omsHeat
        }
        let serial = serialNumber(index, seed: parameters.seed)
        let id = UInt32(serial, radix: 16)!  // the BCD digits read as hex are the M-Bus id bytes
        let (manufacturer, version, deviceType): (UInt16, UInt8, UInt8) = switch kind {
        case .multical403: (kamstrup, 0x35, 0x04)
        case .multical603: (kamstrup, 0x34, 0x04)
        case .multical21: (kamstrup, 0x1B, random.chance(0.5) ? 0x16 : 0x07)
        case .omnipower: (kamstrup, 0x30, 0x02)
        case .omsWater: (MeterAddress.manufacturerValue("DME")!, 0x70, 0x07)
        case .omsHeat: (MeterAddress.manufacturerValue("ITW")!, 0x02, 0x04)
        }
        let primary = min(units.count - 1, index * units.count / max(1, parameters.meterCount))
        let secondary: Int? = units.count > 1 && random.chance(0.10) ? (primary + 1) % units.count : nil
        let unit = units[primary]
        let street = streets[random.int(0...(streets.count - 1))]
        let city = cities[primary % cities.count]
        let location = SimulatedMeter.Location(address: "\(street) \(random.int(1...180))", postalCode: city.postalCode,
                                               city: city.name, latitude: unit.latitude + random.double(-0.015...0.015),
                                               longitude: unit.longitude + random.double(-0.025...0.025))
        let silentFrom: Int64? = random.chance(0.01) ? parameters.createdAt + Int64(random.int(-20 * 3600...72 * 3600)) : nil
        let key = random.bytes(16)
        let phase = Int64(random.int(0...Int(parameters.interval - 1)))
        let primaryRSSI = random.int(-92...(-55))
        let secondaryRSSI = random.int(-106...(-86))
        let events = makeEvents(kind, random: &random, epoch: epoch)
        let heat = kind.isHeat
        return SimulatedMeter(
            index: index, kind: kind, address: MeterAddress(manufacturer: manufacturer, id: id, version: version, deviceType: deviceType),
            serial: serial, key: key, location: location, phase: phase, primaryUnit: primary, secondaryUnit: secondary,
            primaryRSSI: primaryRSSI, secondaryRSSI: secondaryRSSI, silentFrom: silentFrom, events: events,
            startValue: heat ? random.double(4_000...60_000) : kind.isWater ? random.double(20...900) : random.double(1_000...40_000),
            demandPerKelvin: random.double(0.06...0.22),
            baseLoad: heat ? random.double(0.1...0.5) : kind.isWater ? random.double(0.08...0.5) : random.double(5...20),
            designDeltaK: random.double(24...36), startVolume: random.double(50...2_000),
            startHours: random.double(2_000...60_000).rounded(.down),
            solarPeakKW: kind == .omnipower && random.chance(0.2) ? random.double(3...9) : 0)
    }

    /// Distinct 8-digit serials: an affine bijection of the index on 10000000...99999999.
    static func serialNumber(_ index: Int, seed: UInt64) -> String {
        let span: UInt64 = 90_000_000
        let offset = SimRandom.mix(seed) % span
        return String(10_000_000 + (UInt64(index) &* 7_368_787 &+ offset) % span)
    }

    /// Alarm episodes about once a year per meter, over the consumption tables' horizon.
    private static func makeEvents(_ kind: SimulatedMeter.Kind, random: inout SimRandom, epoch: Int64) -> [SimulatedMeter.Event] {
        guard kind.isHeat || kind.isWater, kind.isKamstrup else { return [] }
        var events: [SimulatedMeter.Event] = []
        var time = epoch
        let end = epoch + Int64(ConsumptionModel.horizonHours) * 3600
        while true {
            time += Int64(-365 * 86_400 * log1p(-random.unit()))
            guard time < end else { return events }
            let draw = random.unit()
            let (eventKind, hours, rate): (SimulatedMeter.Event.Kind, ClosedRange<Double>, ClosedRange<Double>) =
                draw < 0.55 ? (.leak, 6...240, 0.004...0.03) : draw < 0.75 ? (.burst, 1...12, 0.5...2) : (.reverseFlow, 1...48, 0...0)
            let duration = Int64(random.double(hours) * 3600)
            events.append(SimulatedMeter.Event(kind: eventKind, start: time, end: time + duration,
                                               rateM3h: kind.isWater ? random.double(rate) : 0))
            time += duration
        }
    }
}
