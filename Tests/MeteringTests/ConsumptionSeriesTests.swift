import Foundation
import Metering
import Testing

/// Hourly samples from `start`, one per value.
func hourly(from start: Int64, _ values: [Double]) -> [RegisterSample] {
    values.enumerated().map { RegisterSample(time: start + Int64($0.offset) * 3_600, value: $0.element) }
}

func hourGrid(_ from: Int64, hours: Int) -> BucketGrid {
    BucketGrid(boundaries: (0...hours).map { from + Int64($0) * 3_600 })
}

@Suite struct ConsumptionSeriesTests {
    let t0 = utc(2026, 5, 1)

    @Test func measuredHoursAreDifferences() {
        let meter = InstalledMeter(meter: 1, installedAt: t0 - 86_400, samples: hourly(from: t0, [100, 103, 103, 110.5]))
        let series = Consumption.series([meter], grid: hourGrid(t0, hours: 3))
        #expect(series.buckets.map(\.consumption) == [3, 0, 7.5])
        #expect(series.buckets.map(\.quality) == [.measured, .measured, .measured])
        #expect(series.buckets.map(\.start) == [t0, t0 + 3_600, t0 + 7_200])
        #expect(series.total == 10.5)
        #expect(series.annotations.isEmpty)
    }

    @Test func rolloverAddsTheModulus() {
        let meter = InstalledMeter(meter: 7, installedAt: t0, samples: hourly(from: t0, [99_980, 99_990, 12, 30]))
        let series = Consumption.series([meter], grid: hourGrid(t0, hours: 3))
        #expect(series.buckets.map(\.consumption) == [10, 22, 18])
        #expect(series.total == 50)
        #expect(series.annotations == [Annotation(kind: .rollover, time: t0 + 7_200, meter: 7, detail: "99990 -> 12, wrap at 100000")])
    }

    @Test func twoRolloversInOneRange() {
        let values: [Double] = [99_000, 99_990, 10, 50_000, 99_999, 20]
        let meter = InstalledMeter(meter: 1, installedAt: t0, samples: hourly(from: t0, values))
        let series = Consumption.series([meter], grid: hourGrid(t0, hours: 5))
        #expect(series.buckets.map(\.consumption) == [990, 20, 49_990, 49_999, 21])
        #expect(series.annotations.map(\.kind) == [.rollover, .rollover])
        #expect(series.total == 101_020)
    }

    @Test func explicitModulusWrapsSmallRegisters() {
        let meter = InstalledMeter(meter: 1, installedAt: t0, samples: hourly(from: t0, [990, 998, 4]), rolloverModulus: 1_000)
        #expect(Consumption.series([meter], grid: hourGrid(t0, hours: 2)).buckets.map(\.consumption) == [8, 6])
        // Without it, a drop on a register below 1,000 is a decrease, not a one-digit wrap.
        let young = InstalledMeter(meter: 1, installedAt: t0, samples: hourly(from: t0, [8, 9, 1, 2, 11]))
        let series = Consumption.series([young], grid: hourGrid(t0, hours: 4))
        #expect(series.buckets.map(\.consumption) == [1, 0, 0, 2])
        // One annotation for the drop, none for the readings still below the earlier high.
        #expect(series.annotations == [Annotation(kind: .decrease, time: t0 + 7_200, meter: 1, detail: "9 -> 1")])
    }

    @Test func decreaseThatIsNoRolloverCountsZeroAndHolds() {
        let meter = InstalledMeter(meter: 3, installedAt: t0, samples: hourly(from: t0, [1_000, 1_010, 1_005, 1_012, 1_020]))
        let series = Consumption.series([meter], grid: hourGrid(t0, hours: 4))
        // The curve holds at 1,010 until the register passes it again: never negative, never counted twice.
        #expect(series.buckets.map(\.consumption) == [10, 0, 2, 8])
        #expect(series.annotations == [Annotation(kind: .decrease, time: t0 + 7_200, meter: 3, detail: "1010 -> 1005")])
        for bucket in series.buckets { #expect(bucket.consumption! >= 0) }
    }

    @Test func exchangeWithFinalAndStartValuesContinues() {
        let exchange = t0 + 2 * 3_600 + 1_800
        let old = InstalledMeter(meter: 1, installedAt: t0 - 86_400, removedAt: exchange, finalValue: 54_321,
                                 samples: hourly(from: t0, [54_300, 54_310, 54_320]))
        let new = InstalledMeter(meter: 2, installedAt: exchange, startValue: 3,
                                 samples: hourly(from: t0 + 3 * 3_600, [5, 9]))
        let series = Consumption.series([new, old], grid: hourGrid(t0, hours: 4))
        // Hour 2-3: old 54,320 -> 54,321 (final), new 3 (start) -> 5 (at 03:00).
        #expect(series.buckets.map(\.consumption) == [10, 10, 3, 4])
        #expect(series.buckets.map(\.quality) == [.measured, .measured, .measured, .measured])
        #expect(series.annotations == [Annotation(kind: .exchange, time: exchange, meter: 2,
                                                  detail: "final value 54321, start value 3", previousMeter: 1)])
        #expect(series.total == 27)
    }

    @Test func exchangeWithoutHandOverValuesNeverJumps() {
        let exchange = t0 + 2 * 3_600 + 1_800
        let old = InstalledMeter(meter: 1, installedAt: t0 - 86_400, removedAt: exchange,
                                 samples: hourly(from: t0, [54_300, 54_310, 54_320]))
        let new = InstalledMeter(meter: 2, installedAt: exchange, samples: hourly(from: t0 + 3 * 3_600, [5, 9]))
        let hours = Consumption.series([old, new], grid: hourGrid(t0, hours: 4))
        // 02:00 is the old meter's last reading, 03:00 the new one's first: the 2-3 bucket spans
        // an unobserved hand-over and counts what both meters saw (nothing), flagged.
        #expect(hours.buckets.map(\.consumption) == [10, 10, 0, 4])
        #expect(hours.buckets.map(\.quality) == [.measured, .measured, .interpolated, .measured])
        #expect(hours.annotations.first?.detail == "last reading 54320, first reading 5")
        let day = Consumption.series([old, new], grid: BucketGrid(boundaries: [t0, t0 + 4 * 3_600]))
        #expect(day.buckets[0].consumption == 24 && day.buckets[0].quality == .interpolated)
    }

    @Test func exchangeGapWithoutReadingsIsMissing() {
        // Old meter read until 01:00, removed at 02:30; new installed at 02:30, read from 04:00.
        let old = InstalledMeter(meter: 1, installedAt: t0, removedAt: t0 + 9_000, samples: hourly(from: t0, [10, 20]))
        let new = InstalledMeter(meter: 2, installedAt: t0 + 9_000, samples: hourly(from: t0 + 4 * 3_600, [0, 7]))
        let series = Consumption.series([old, new], grid: hourGrid(t0, hours: 5))
        #expect(series.buckets.map(\.consumption) == [10, nil, nil, nil, 7])
        #expect(series.buckets.map(\.quality) == [.measured, .missing, .missing, .missing, .measured])
        #expect(series.total == 17)
    }

    @Test func meterReplacedTwiceInAMonth() throws {
        let copenhagen = zone("Europe/Copenhagen")
        let month = try BucketGrid(from: utc(2026, 6, 10), to: utc(2026, 6, 20), resolution: .month, timeZone: copenhagen)
        #expect(month.boundaries == [utc(2026, 5, 31, 22), utc(2026, 6, 30, 22)])
        let start = utc(2026, 5, 31, 22), first = utc(2026, 6, 10, 12), second = utc(2026, 6, 20, 12), end = utc(2026, 6, 30, 22)
        func daily(_ from: Int64, _ to: Int64, start value: Double, perDay: Double) -> [RegisterSample] {
            stride(from: from, through: to, by: 86_400).map {
                RegisterSample(time: $0, value: value + perDay * Double($0 - from) / 86_400)
            }
        }
        let a = InstalledMeter(meter: 1, installedAt: utc(2020, 1, 1), removedAt: first, finalValue: 80_000,
                               samples: daily(start, first - 43_200, start: 70_000, perDay: 1_000) + [RegisterSample(time: first, value: 79_999)])
        let b = InstalledMeter(meter: 2, installedAt: first, removedAt: second, startValue: 0, finalValue: 500,
                               samples: daily(first + 43_200, second - 43_200, start: 50, perDay: 50))
        let c = InstalledMeter(meter: 3, installedAt: second, startValue: 1_000,
                               samples: daily(second, end + 86_400, start: 1_000, perDay: 20)
                                   + [RegisterSample(time: end, value: 1_000 + 20 * Double(end - second) / 86_400)])
        let series = Consumption.series([c, a, b], grid: month)
        // a: 70,000 -> 80,000 (final value wins over the reading at the same second); b: 0 -> 500; c: 1,000 -> 1,000 + 10.4 days * 20.
        let expected = 10_000 + 500 + 20 * Double(end - second) / 86_400
        #expect(abs(series.buckets[0].consumption! - expected) < 1e-6)
        #expect(series.buckets[0].quality == .measured)
        #expect(series.annotations.map(\.kind) == [.exchange, .exchange])
        #expect(series.annotations.map(\.meter) == [2, 3])
        #expect(series.annotations.map(\.previousMeter) == [1, 2])
    }

    @Test func daylightSavingDaysHold23And25Hours() throws {
        for (identifier, springDay, autumnDay) in [("Europe/Copenhagen", (2026, 3, 29), (2026, 10, 25)),
                                                   ("America/New_York", (2026, 3, 8), (2026, 11, 1))] {
            let timeZone = zone(identifier)
            // One unit per hour, read every hour, for the whole year.
            let from = utc(2026, 1, 1), to = utc(2027, 1, 2)
            let samples = stride(from: from, through: to, by: 3_600).map { RegisterSample(time: $0, value: Double($0 - from) / 3_600) }
            let meter = InstalledMeter(meter: 1, installedAt: from, samples: samples)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            for (day, hours) in [(springDay, 23.0), (autumnDay, 25.0)] {
                let date = calendar.date(from: DateComponents(year: day.0, month: day.1, day: day.2, hour: 12))!
                let t = Int64(date.timeIntervalSince1970)
                let days = try BucketGrid(from: t, to: t + 1, resolution: .day, timeZone: timeZone)
                let series = Consumption.series([meter], grid: days)
                #expect(series.buckets.map(\.consumption) == [hours], "\(identifier)")
                let hourly = try BucketGrid(from: days.boundaries[0], to: days.boundaries[1], resolution: .hour, timeZone: timeZone)
                let hourSeries = Consumption.series([meter], grid: hourly)
                #expect(hourSeries.buckets.count == Int(hours))
                #expect(hourSeries.buckets.allSatisfy { $0.consumption == 1 && $0.quality == .measured })
            }
        }
    }

    @Test func yearOfHalfHourZoneHours() throws {
        let timeZone = zone("Asia/Kolkata")
        let from = utc(2025, 12, 31), to = utc(2027, 1, 1)
        let samples = stride(from: from, through: to, by: 3_600).map { RegisterSample(time: $0, value: Double($0 - from) / 3_600) }
        let grid = try BucketGrid(from: utc(2026, 1, 1), to: utc(2026, 12, 31), resolution: .hour, timeZone: timeZone)
        let series = Consumption.series([InstalledMeter(meter: 1, installedAt: from, samples: samples)], grid: grid)
        // Boundaries at :30 UTC sit between hourly readings: interpolated, half an hour either side.
        #expect(series.buckets.allSatisfy { $0.quality == .interpolated && abs($0.consumption! - 1) < 1e-9 })
        #expect(grid.boundaries.first == utc(2025, 12, 31, 23, 30) && grid.boundaries.last == utc(2026, 12, 31, 0, 30))
        #expect(series.buckets.count == 8_737)
        let year = try BucketGrid(from: utc(2026, 6, 1), to: utc(2026, 6, 2), resolution: .year, timeZone: timeZone)
        let yearly = Consumption.series([InstalledMeter(meter: 1, installedAt: from, samples: samples)], grid: year)
        #expect(yearly.buckets.map(\.consumption) == [8_760])
        #expect(yearly.buckets.map(\.quality) == [.interpolated])
    }

    @Test func gapsAreInterpolatedInsideAndMissingOutside() {
        // Readings at 01:00, 02:00, then 06:00: a four-hour gap.
        let samples = [RegisterSample(time: t0 + 3_600, value: 10), RegisterSample(time: t0 + 7_200, value: 12),
                       RegisterSample(time: t0 + 6 * 3_600, value: 20)]
        let series = Consumption.series([InstalledMeter(meter: 1, installedAt: t0 - 86_400, samples: samples)],
                                        grid: hourGrid(t0, hours: 8))
        #expect(series.buckets.map(\.consumption) == [nil, 2, 2, 2, 2, 2, nil, nil])
        #expect(series.buckets.map(\.quality) == [.missing, .measured, .interpolated, .interpolated, .interpolated, .interpolated,
                                                  .missing, .missing])
        #expect(series.total == 10)
    }

    @Test func boundariesNearAReadingAreMeasured() {
        // Readings arrive seven minutes after the hour; the hour is still measured, and the
        // boundary before the first reading snaps to it.
        let samples = hourly(from: t0 + 420, [0, 4, 8, 12])
        let meter = InstalledMeter(meter: 1, installedAt: t0 - 86_400, samples: samples)
        let series = Consumption.series([meter], grid: hourGrid(t0, hours: 3))
        #expect(series.buckets.map(\.quality) == [.measured, .measured, .measured])
        let expected = [4 * Double(3_600 - 420) / 3_600, 4, 4]
        for (bucket, value) in zip(series.buckets, expected) { #expect(abs(bucket.consumption! - value) < 1e-9) }
        // A tighter tolerance: the first boundary no longer snaps, the others are interpolated.
        let tight = Consumption.series([meter], grid: hourGrid(t0, hours: 3), tolerance: 60)
        #expect(tight.buckets.map(\.quality) == [.missing, .interpolated, .interpolated])
    }

    @Test func duplicatesAndOrderDoNotMatter() {
        let clean = hourly(from: t0, [5, 7, 7, 99_999, 3, 10, 11, 9, 15])
        var messy = clean + clean.prefix(4) + [clean[6]]
        var generator = SeededGenerator(seed: 42)
        messy.shuffle(using: &generator)
        let grid = hourGrid(t0 - 3_600, hours: 10)
        let a = Consumption.series([InstalledMeter(meter: 1, installedAt: t0, samples: clean)], grid: grid)
        let b = Consumption.series([InstalledMeter(meter: 1, installedAt: t0, samples: messy)], grid: grid)
        #expect(a.buckets == b.buckets)
        #expect(a.annotations == b.annotations)
        #expect(a.annotations.map(\.kind) == [.rollover, .decrease])
        #expect(a.buckets.map(\.consumption) == [nil, 2, 0, 99_992, 4, 7, 1, 0, 4, nil])
    }

    @Test func samplesOutsideTheInstallationAreIgnored() {
        let samples = hourly(from: t0, [1, 2, 1_000, 1_001, 1_002])
        let meter = InstalledMeter(meter: 1, installedAt: t0 + 3 * 3_600, samples: samples)
        let series = Consumption.series([meter], grid: hourGrid(t0, hours: 4))
        #expect(series.buckets.map(\.consumption) == [nil, nil, nil, 1])
        #expect(series.annotations.isEmpty)
    }

    @Test func nonFiniteValuesAreIgnored() {
        var samples = hourly(from: t0, [10, 12, 14])
        samples.insert(RegisterSample(time: t0 + 1_800, value: .nan), at: 1)
        samples.append(RegisterSample(time: t0 + 3 * 3_600, value: .infinity))
        let meter = InstalledMeter(meter: 1, installedAt: t0, startValue: .nan, samples: samples)
        let series = Consumption.series([meter], grid: hourGrid(t0, hours: 3))
        #expect(series.buckets.map(\.consumption) == [2, 2, nil])
        #expect(series.total == 4)
        let reading = Consumption.billingReading(at: t0 + 1_800, [meter], tolerance: 60, targetValue: .infinity)
        #expect(reading == BillingReading(value: 11, quality: .interpolated, time: t0 + 1_800, meter: 1))
        #expect(Consumption.align([samples], grid: hourGrid(t0, hours: 3), aggregate: .max) == [[10, 12, 14]])
    }

    @Test func noMetersNoValues() {
        let series = Consumption.series([], grid: hourGrid(t0, hours: 2))
        #expect(series.buckets.map(\.quality) == [.missing, .missing])
        #expect(series.total == nil)
    }

    @Test func annotationsOutsideTheGridAreLeftOut() {
        let meter = InstalledMeter(meter: 7, installedAt: t0, samples: hourly(from: t0, [99_980, 12, 30, 40]))
        let series = Consumption.series([meter], grid: BucketGrid(boundaries: [t0 + 7_200, t0 + 10_800]))
        #expect(series.annotations.isEmpty)
        #expect(series.buckets.map(\.consumption) == [10])
    }
}

/// A small deterministic generator (SplitMix64) so shuffles are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
