import Foundation
import Metering
import Testing

/// Invariants over random metering points: several meters, gaps, glitches, wraps, shuffled input.
@Suite struct ConsumptionPropertyTests {
    /// A random metering point over `days` days from `start`: one to three meters, hourly-ish
    /// readings with gaps, the odd decrease and registers that wrap at 100,000.
    func randomPoint(_ generator: inout SeededGenerator, start: Int64, days: Int) -> [InstalledMeter] {
        let end = start + Int64(days) * 86_400
        let count = Int.random(in: 1...3, using: &generator)
        var cuts = (0..<(count - 1)).map { _ in Int64.random(in: start...end, using: &generator) }.sorted()
        cuts.insert(start - 86_400, at: 0)
        var meters: [InstalledMeter] = []
        for (i, installedAt) in cuts.enumerated() {
            let removedAt: Int64? = i + 1 < cuts.count ? cuts[i + 1] : nil
            var value = Double.random(in: 0..<100_000, using: &generator).rounded()
            var samples: [RegisterSample] = []
            var t = max(installedAt, start - 3_600) + Int64.random(in: 0...600, using: &generator)
            while t < (removedAt ?? end + 3_600) {
                if Int.random(in: 0..<20, using: &generator) != 0 {   // 1 in 20 readings lost
                    samples.append(RegisterSample(time: t, value: value))
                }
                if Int.random(in: 0..<200, using: &generator) == 0 {
                    value = max(0, value - 3)                        // a glitch
                } else {
                    value += Double(Int.random(in: 0...40, using: &generator))
                    if value >= 100_000 { value -= 100_000 }         // a wrap
                }
                t += Int64.random(in: 1_800...5_400, using: &generator)
            }
            let handOver = Bool.random(using: &generator)
            meters.append(InstalledMeter(meter: Int64(i + 1), installedAt: installedAt, removedAt: removedAt,
                                         startValue: handOver && i > 0 ? samples.first?.value : nil,
                                         finalValue: handOver ? samples.last?.value : nil,
                                         samples: samples + samples.prefix(3)))
        }
        return meters
    }

    @Test func bucketsAreNeverNegativeAndAddUp() throws {
        var generator = SeededGenerator(seed: 7)
        let timeZone = zone("Europe/Copenhagen")
        let start = utc(2026, 3, 20)
        for _ in 0..<40 {
            let meters = randomPoint(&generator, start: start, days: 20)
            let days = try BucketGrid(from: start, to: start + 19 * 86_400, resolution: .day, timeZone: timeZone)
            let hours = try BucketGrid(from: days.boundaries[0], to: days.boundaries[days.count], resolution: .hour, timeZone: timeZone)
            let daily = Consumption.series(meters, grid: days)
            let hourly = Consumption.series(meters, grid: hours)
            for bucket in daily.buckets + hourly.buckets {
                if let consumption = bucket.consumption { #expect(consumption >= 0) }
                #expect((bucket.consumption == nil) == (bucket.quality == .missing))
            }
            // Hours telescope into their day whenever every hour has a value.
            var hour = 0
            for day in daily.buckets {
                var sum = 0.0, complete = true
                while hour < hourly.buckets.count && hourly.buckets[hour].end <= day.end {
                    if let consumption = hourly.buckets[hour].consumption { sum += consumption } else { complete = false }
                    hour += 1
                }
                if complete, let consumption = day.consumption { #expect(abs(sum - consumption) < 1e-6) }
            }
            // Input order and duplicates never matter.
            var shuffled = meters.reversed().map { meter in
                var copy = meter
                copy.samples.shuffle(using: &generator)
                return copy
            }
            shuffled.shuffle(using: &generator)
            let again = Consumption.series(shuffled, grid: hours)
            #expect(again.buckets == hourly.buckets)
            #expect(again.annotations == hourly.annotations)
        }
    }

    @Test func billingReadingIsAReadingOfTheInstalledMeter() {
        var generator = SeededGenerator(seed: 11)
        let start = utc(2026, 1, 1)
        for _ in 0..<40 {
            let meters = randomPoint(&generator, start: start, days: 10)
            for _ in 0..<20 {
                let at = Int64.random(in: start...(start + 10 * 86_400), using: &generator)
                let reading = Consumption.billingReading(at: at, meters, tolerance: 900)
                guard let value = reading.value, let id = reading.meter, let time = reading.time else {
                    #expect(reading.quality == .missing)
                    continue
                }
                let meter = meters.first { $0.meter == id }!
                #expect(meter.installedAt <= at && at <= (meter.removedAt ?? .max))
                switch reading.quality {
                case .measured:
                    #expect(abs(time - at) <= 900)
                    #expect(meter.samples.contains { $0.time == time && $0.value == value }
                            || (time == meter.installedAt && value == meter.startValue)
                            || (time == meter.removedAt && value == meter.finalValue))
                case .interpolated:
                    #expect(time == at)
                    let before = meter.samples.filter { $0.time < at }.map(\.time).max()
                    let after = meter.samples.filter { $0.time > at }.map(\.time).min()
                    #expect(before != nil || meter.startValue != nil)
                    #expect(after != nil || meter.finalValue != nil)
                default:
                    Issue.record("unexpected quality \(reading.quality)")
                }
            }
        }
    }
}
