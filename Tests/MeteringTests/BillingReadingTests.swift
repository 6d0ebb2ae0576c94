import Metering
import Testing

@Suite struct BillingReadingTests {
    let target = utc(2026, 12, 31, 23)

    @Test func realReadingWithinToleranceIsMeasured() {
        let samples = [RegisterSample(time: target - 1_000, value: 500), RegisterSample(time: target + 400, value: 502),
                       RegisterSample(time: target + 5_000, value: 510)]
        let meter = InstalledMeter(meter: 4, installedAt: utc(2026, 1, 1), samples: samples)
        let reading = Consumption.billingReading(at: target, [meter], tolerance: 3_600)
        // The nearest reading wins.
        #expect(reading == BillingReading(value: 502, quality: .measured, time: target + 400, meter: 4))
        let earlier = Consumption.billingReading(at: target - 900, [meter], tolerance: 3_600)
        #expect(earlier == BillingReading(value: 500, quality: .measured, time: target - 1_000, meter: 4))
    }

    @Test func gapIsInterpolatedWithinTheInstallation() {
        let samples = [RegisterSample(time: target - 7_200, value: 100), RegisterSample(time: target + 14_400, value: 130)]
        let meter = InstalledMeter(meter: 4, installedAt: utc(2026, 1, 1), samples: samples)
        #expect(Consumption.billingReading(at: target, [meter], tolerance: 600)
                == BillingReading(value: 110, quality: .interpolated, time: target, meter: 4))
        // Too far apart for the caller's maximum gap.
        #expect(Consumption.billingReading(at: target, [meter], tolerance: 600, maxGap: 5 * 3_600)
                == BillingReading(value: nil, quality: .missing, time: nil, meter: 4))
    }

    @Test func missingBeforeTheFirstAndAfterTheLastReading() {
        let meter = InstalledMeter(meter: 4, installedAt: utc(2026, 1, 1), samples: [RegisterSample(time: target + 7_200, value: 9)])
        #expect(Consumption.billingReading(at: target, [meter], tolerance: 600).quality == .missing)
        #expect(Consumption.billingReading(at: target + 20_000, [meter], tolerance: 600).quality == .missing)
        // No meter installed at the target time at all.
        #expect(Consumption.billingReading(at: utc(2025, 6, 1), [meter], tolerance: 600)
                == BillingReading(value: nil, quality: .missing, time: nil, meter: nil))
        #expect(Consumption.billingReading(at: target, [], tolerance: 600).quality == .missing)
    }

    @Test func neverAcrossAnExchange() {
        let exchange = target - 3_600
        let old = InstalledMeter(meter: 1, installedAt: utc(2026, 1, 1), removedAt: exchange,
                                 samples: [RegisterSample(time: target - 7_200, value: 54_000), RegisterSample(time: target - 3_700, value: 54_010)])
        let new = InstalledMeter(meter: 2, installedAt: exchange,
                                 samples: [RegisterSample(time: target + 3_600, value: 20)])
        // The new meter's first reading is after the target and nothing of it before: missing,
        // not a line from the old meter's register to the new one's.
        #expect(Consumption.billingReading(at: target, [old, new], tolerance: 1_800)
                == BillingReading(value: nil, quality: .missing, time: nil, meter: 2))
        // With the exchange's start value the new meter has a reading at the exchange.
        var withStart = new
        withStart.startValue = 4
        #expect(Consumption.billingReading(at: target, [old, withStart], tolerance: 600)
                == BillingReading(value: 12, quality: .interpolated, time: target, meter: 2))
        #expect(Consumption.billingReading(at: target - 3_000, [old, withStart], tolerance: 900)
                == BillingReading(value: 4, quality: .measured, time: exchange, meter: 2))
        // Before the exchange the old meter answers, also with a reading just before it.
        #expect(Consumption.billingReading(at: target - 3_650, [old, withStart], tolerance: 900)
                == BillingReading(value: 54_010, quality: .measured, time: target - 3_700, meter: 1))
    }

    @Test func neverAcrossARolloverOrDecrease() {
        let samples = [RegisterSample(time: target - 3_600, value: 99_990), RegisterSample(time: target + 3_600, value: 10)]
        let meter = InstalledMeter(meter: 4, installedAt: utc(2026, 1, 1), samples: samples)
        #expect(Consumption.billingReading(at: target, [meter], tolerance: 600).quality == .missing)
    }

    @Test func targetRegisterComesFirst() {
        let meter = InstalledMeter(meter: 4, installedAt: utc(2026, 1, 1), samples: [RegisterSample(time: target, value: 7)])
        #expect(Consumption.billingReading(at: target, [meter], tolerance: 600, targetValue: 6.5)
                == BillingReading(value: 6.5, quality: .targetRegister, time: target, meter: 4))
    }

    @Test func duplicatesAndOrderDoNotMatter() {
        let samples = [RegisterSample(time: target + 3_600, value: 30), RegisterSample(time: target - 3_600, value: 10),
                       RegisterSample(time: target + 3_600, value: 30), RegisterSample(time: target - 3_600, value: 10)]
        let meter = InstalledMeter(meter: 4, installedAt: utc(2026, 1, 1), samples: samples)
        #expect(Consumption.billingReading(at: target, [meter], tolerance: 600)
                == BillingReading(value: 20, quality: .interpolated, time: target, meter: 4))
    }
}
