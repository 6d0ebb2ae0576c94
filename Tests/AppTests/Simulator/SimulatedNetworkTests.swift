import Testing
import TestSupport
@testable import App
import MBus

@Suite("Simulator: network and telegrams", .blockingIO)
struct SimulatedNetworkTests {
    static let createdAt: Int64 = 1_794_000_000  // 2026-11-06

    static func network(meters: Int, seed: UInt64 = 42, units: Int? = nil) -> SimulatedNetwork {
        SimulatedNetwork(.init(seed: seed, meterCount: meters, unitCount: units ?? SimulatedNetwork.defaultUnitCount(meters: meters),
                               createdAt: createdAt))
    }

    /// Every register the simulator put in comes back out of the decoder, for every model.
    @Test func everyTelegramDecodesToItsRegisters() throws {
        let network = Self.network(meters: 600)
        let decoder = TelegramDecoder()
        var kinds: [SimulatedMeter.Kind: Int] = [:]
        try network.forEachInterval(from: Self.createdAt - 3600, to: Self.createdAt) { receptions in
            for reception in receptions {
                let meter = network.meters[reception.meter]
                let bytes = try network.telegram(reception)
                let telegram = try decoder.decode(bytes, options: DecodeOptions(key: meter.key))
                let expected = meter.registers(at: reception.sentAt, model: network.model)
                #expect(telegram.address == meter.address)
                #expect(telegram.address.idString == meter.serial)
                #expect(telegram.security == (meter.kind.isKamstrup ? .ellCTR : .mode5))
                Self.expectSame(telegram.registers, expected, meter.kind)
                kinds[meter.kind, default: 0] += 1
                // Without the key it must not decode (it is really encrypted).
                #expect(throws: DecodeError.self) { _ = try decoder.decode(bytes) }
            }
        }
        #expect(Set(kinds.keys) == Set(SimulatedMeter.Kind.allCases))
    }

    static func expectSame(_ got: Registers, _ want: Registers, _ kind: SimulatedMeter.Kind) {
        let gotEntries = got.numericEntries, wantEntries = want.numericEntries
        #expect(gotEntries.map(\.name) == wantEntries.map(\.name), "\(kind)")
        for (g, w) in zip(gotEntries, wantEntries) {
            #expect(abs(g.value - w.value) <= 1e-9 * max(1, abs(w.value)), "\(kind) \(g.name): \(g.value) != \(w.value)")
        }
        #expect(got.infoCodeBits == want.infoCodeBits, "\(kind)")
        #expect(got.targetDate == want.targetDate, "\(kind)")
        #expect(!wantEntries.isEmpty)
    }

    @Test func sameSeedSameNetworkOtherSeedOtherKeys() throws {
        let a = Self.network(meters: 50), b = Self.network(meters: 50), c = Self.network(meters: 50, seed: 43)
        for index in 0..<50 {
            #expect(a.meters[index].key == b.meters[index].key && a.meters[index].serial == b.meters[index].serial)
            #expect(a.meters[index].key != c.meters[index].key)
        }
        var first: [[UInt8]] = [], second: [[UInt8]] = []
        try a.forEachInterval(from: Self.createdAt, to: Self.createdAt + 1800) { for r in $0 { first.append(try a.telegram(r)) } }
        try b.forEachInterval(from: Self.createdAt, to: Self.createdAt + 1800) { for r in $0 { second.append(try b.telegram(r)) } }
        #expect(!first.isEmpty && first == second)
    }

    /// The mix the issue asks for, distinct 8-digit serials, unit capacity and overlap.
    @Test func mixSerialsCoverageAndDuplicates() {
        let network = Self.network(meters: 20_000)
        var counts: [String: Int] = [:]
        for meter in network.meters {
            let family = switch meter.kind {
            case .multical403, .multical603: "heat"
            case .multical21: "water"
            case .omnipower: "electricity"
            case .omsWater, .omsHeat: "oms"
            }
            counts[family, default: 0] += 1
        }
        let share = { (name: String) in Double(counts[name] ?? 0) / 20_000 }
        #expect(abs(share("heat") - 0.45) < 0.02 && abs(share("water") - 0.40) < 0.02)
        #expect(abs(share("electricity") - 0.10) < 0.015 && abs(share("oms") - 0.05) < 0.01)
        let serials = Set(network.meters.map(\.serial))
        #expect(serials.count == 20_000 && serials.allSatisfy { $0.count == 8 && $0.allSatisfy(\.isNumber) })
        #expect(network.units.count == 3)
        var heard = [Int](repeating: 0, count: network.units.count)
        for meter in network.meters {
            heard[meter.primaryUnit] += 1
            if let second = meter.secondaryUnit { heard[second] += 1; #expect(second != meter.primaryUnit) }
        }
        #expect(heard.allSatisfy { $0 <= SimulatedNetwork.maxMetersPerUnit })
        var total = 0, twice = 0
        network.forEachInterval(from: Self.createdAt, to: Self.createdAt + 900) { receptions in
            total += receptions.count
            var seen: [Int: SimulatedNetwork.Reception] = [:]
            for r in receptions {
                if let first = seen[r.meter] {
                    twice += 1
                    #expect(first.unit != r.unit && first.sentAt == r.sentAt)
                    #expect(r.receivedAtMilliseconds - first.receivedAtMilliseconds <= 2_000)
                } else {
                    seen[r.meter] = r
                }
            }
        }
        let duplicateShare = Double(twice) / Double(total)
        #expect(duplicateShare > 0.07 && duplicateShare < 0.11, "\(duplicateShare)")
    }

    @Test func registersRiseAndHeatFollowsTheCold() {
        let network = Self.network(meters: 200)
        let model = network.model
        for meter in network.meters {
            var last = meter.registers(at: Self.createdAt - 86_400, model: model)
            for step in 1...96 {
                let now = meter.registers(at: Self.createdAt - 86_400 + Int64(step) * 900, model: model)
                for (before, after) in zip(last.numericEntries, now.numericEntries)
                where ["heatEnergyKWh", "volumeM3", "hourCounterH", "activeEnergyImportKWh", "activeEnergyExportKWh"].contains(before.name) {
                    #expect(after.value >= before.value, "\(meter.kind) \(before.name)")
                }
                last = now
            }
        }
        // A winter week uses several times the heat of a summer week (degree-hours below 17 °C).
        let january = SimulatedMeter.days(year: 2026, month: 1, day: 10) * 86_400
        let july = SimulatedMeter.days(year: 2026, month: 7, day: 10) * 86_400
        let week: Int64 = 7 * 86_400
        let winter = model.degreeHours(january + week) - model.degreeHours(january)
        let summer = model.degreeHours(july + week) - model.degreeHours(july)
        #expect(winter > 1_500 && winter > 5 * summer, "winter \(winter) K·h, summer \(summer) K·h")
        #expect(model.outdoorTemperatureC(january) < model.outdoorTemperatureC(july))
    }

    /// Alarms reach the decoder as the info codes Kamstrup's maps name.
    @Test func alarmsDecodeToLeakBurstAndReverseFlow() throws {
        let network = Self.network(meters: 3_000)
        let decoder = TelegramDecoder()
        var seen: Set<String> = []
        for meter in network.meters where meter.kind.isKamstrup {
            for event in meter.events where event.start > network.model.epoch {
                let time = (event.start + event.end) / 2
                let telegram = try decoder.decode(try meter.telegram(at: time, sequence: 7, model: network.model),
                                                  options: DecodeOptions(key: meter.key))
                let codes = Set(telegram.infoCodes.map(\.code))
                let want = switch event.kind { case .leak: "leak"; case .burst: "burst"; case .reverseFlow: "reverse-flow" }
                #expect(codes.contains(want), "\(meter.kind) \(event.kind) -> \(codes)")
                seen.insert(want)
                if meter.kind == .multical21 {
                    let info = telegram.infoCodes.first { $0.code == want }
                    let hours = Int((Double(time - event.start) / 3600).rounded(.up))
                    #expect(info?.durationHours.map { $0.contains(max(1, hours)) || hours < 1 } ?? false, "\(hours) h")
                }
            }
        }
        #expect(seen == ["leak", "burst", "reverse-flow"])
        // Water that leaks out is counted by the meter.
        let leaky = try #require(network.meters.first { m in m.kind == .multical21 && m.events.contains { $0.kind == .leak } })
        let leak = try #require(leaky.events.first { $0.kind == .leak })
        #expect(leaky.lostWater(until: leak.end) - leaky.lostWater(until: leak.start) > 0)
    }

    @Test func silentMetersStopSending() {
        let network = Self.network(meters: 2_000)
        let silent = network.meters.filter { $0.silentFrom != nil }
        #expect(!silent.isEmpty && silent.count < 60)
        let from = Self.createdAt + 73 * 3600
        var heard: [Int] = []
        network.forEachInterval(from: from, to: from + 900) { receptions in heard += receptions.map(\.meter) }
        let meters = Set(heard)
        for meter in silent { #expect(!meters.contains(meter.index)) }
        #expect(meters.count == 2_000 - silent.count)
    }
}
