extension Consumption {
    /// The register value of the meter installed at `at` (the new one at an exchange instant),
    /// in order of evidence:
    /// 1. `targetValue`, the meter's own target-date register when the caller has it
    ///    -> `.targetRegister` (time `at`);
    /// 2. the reading of that installation nearest to `at` within `tolerance` seconds (an
    ///    exchange's start/final values count) -> `.measured` with the reading's time;
    /// 3. linear between the readings just before and after `at` of that installation, if the
    ///    register did not go down between them (a rollover or reset: never interpolated) and
    ///    they are at most `maxGap` seconds apart when given -> `.interpolated` at `at`;
    /// 4. else `.missing` (also when no meter was installed at `at`).
    /// The value is the register as the meter shows it, not unwrapped.
    public static func billingReading(at: Int64, _ meters: [InstalledMeter], tolerance: Int64,
                                      maxGap: Int64? = nil, targetValue: Double? = nil) -> BillingReading {
        let stays = Stay.stays(of: meters)
        let targetValue = targetValue.flatMap { $0.isFinite ? $0 : nil }
        guard let stay = stays.last(where: { $0.contains(at) }) else {
            if let targetValue { return BillingReading(value: targetValue, quality: .targetRegister, time: at, meter: nil) }
            return BillingReading(value: nil, quality: .missing, time: nil, meter: nil)
        }
        if let targetValue {
            return BillingReading(value: targetValue, quality: .targetRegister, time: at, meter: stay.meter)
        }
        var readings: [RegisterSample] = []
        readings.reserveCapacity(meters[stay.source].samples.count + 2)
        stay.readings(of: meters[stay.source], into: &readings)
        // The first reading after `at` (binary search: readings are sorted).
        var low = 0, high = readings.count
        while low < high {
            let mid = (low + high) / 2
            if readings[mid].time <= at { low = mid + 1 } else { high = mid }
        }
        let before = low > 0 ? readings[low - 1] : nil
        let after = low < readings.count ? readings[low] : nil
        var nearest: RegisterSample? = nil
        if let before, at - before.time <= tolerance { nearest = before }
        if let after, after.time - at <= tolerance, nearest.map({ after.time - at < at - $0.time }) ?? true { nearest = after }
        if let nearest {
            return BillingReading(value: nearest.value, quality: .measured, time: nearest.time, meter: stay.meter)
        }
        if let before, let after, after.value >= before.value, maxGap.map({ after.time - before.time <= $0 }) ?? true {
            let fraction = Double(at - before.time) / Double(after.time - before.time)
            let value = before.value + (after.value - before.value) * fraction
            return BillingReading(value: value, quality: .interpolated, time: at, meter: stay.meter)
        }
        return BillingReading(value: nil, quality: .missing, time: nil, meter: stay.meter)
    }
}
