internal import Metering
internal import Store

/// The meter's own target-date (billing) register: MULTICAL heat and water meters latch the
/// energy or volume at the target date into storage 1, which ingest keeps as the `target…`
/// registers. Stored readings do not keep the date it belongs to, so a latch at `at` is
/// recognised by what the readings around `at` show.
enum TargetRegister {
    /// The target register that mirrors `register`, for the registers meters latch.
    static func of(_ register: Register) -> Register? {
        switch register {
        case .heatEnergyKWh: .targetHeatEnergyKWh
        case .coolingEnergyKWh: .targetCoolingEnergyKWh
        case .volumeM3: .targetVolumeM3
        default: nil
        }
    }

    /// Readings after the target further away than this do not tell about it.
    static let horizon: Int64 = 62 * 86_400

    /// The value the meter latched at `at`, when the first reading after `at` carries a target
    /// value that (a) differs from the target value of the last reading at or before `at`, so
    /// the meter latched between the two, and (b) lies between the register's values at those
    /// two readings, so it is that register's value from a time between them.
    /// `series.samples` holds the register (index 0) and its target register (index 1).
    static func value(at: Int64, _ series: RegisterSeries) -> Double? {
        guard series.samples.count == 2 else { return nil }
        let register = series.samples[0], target = series.samples[1]
        guard let after = target.first(where: { $0.time > at }), after.time - at <= horizon,
              let before = target.last(where: { $0.time <= at }), before.value != after.value,
              let low = register.last(where: { $0.time <= at }), let high = register.first(where: { $0.time > at })
        else { return nil }
        // Energy registers are whole kWh rounded down, volumes litres; the latch may be too.
        let slack = after.value.rounded() == after.value && low.value.rounded() == low.value ? 1.0 : 0.001
        guard after.value >= low.value - slack, after.value <= high.value + slack else { return nil }
        return after.value
    }
}
