internal import Glibc

/// The weather and the daily rhythm every simulated meter follows, as pure functions of time:
/// outdoor temperature (season + day/night + a seeded day-to-day swing), heating degree-hours
/// below 17 °C, and the hour-of-day profiles of water and electricity use. Cumulative figures
/// come from hourly prefix tables starting at `epoch`, so a meter's register at any instant is
/// computed directly (always rising, identical in every run) without replaying its history.
struct ConsumptionModel: Sendable {
    static let heatingLimitC = 17.0
    static let horizonHours = 3 * 366 * 24

    /// Unix seconds of the tables' first hour.
    let epoch: Int64
    private let dailySwingC: [Double]
    /// Cumulative degree-hours (K·h) and solar peak-hours at each hour boundary since `epoch`.
    private let degreeHoursTable: [Double]
    private let solarTable: [Double]

    /// Share of a day's water use in each hour (sums to 1): morning and evening peaks.
    static let waterProfile = normalised([1, 0.5, 0.3, 0.3, 0.5, 2, 6, 9, 7, 4, 3, 3, 4, 3, 2.5, 2.5, 3, 5, 7, 7, 6, 5, 4, 2])
    /// Share of a day's household electricity in each hour.
    static let electricityProfile = normalised([2, 1.6, 1.5, 1.5, 1.6, 2.2, 3.5, 4.5, 4, 3.5, 3.3, 3.4, 3.6, 3.4, 3.3, 3.5, 4.2, 6, 7.5, 7.5, 6.5, 5.2, 4, 2.8])
    private static let waterCumulative = prefix(waterProfile)
    private static let electricityCumulative = prefix(electricityProfile)

    init(seed: UInt64, epoch: Int64) {
        self.epoch = epoch
        var random = SimRandom(seed: seed, stream: 0xC11A7E)
        let days = Self.horizonHours / 24 + 2
        dailySwingC = (0..<days).map { _ in random.double(-4...4) }
        var degree = [Double](repeating: 0, count: Self.horizonHours + 1)
        var solar = [Double](repeating: 0, count: Self.horizonHours + 1)
        for hour in 0..<Self.horizonHours {
            let middle = epoch + Int64(hour) * 3600 + 1800
            degree[hour + 1] = degree[hour] + Self.heatDemand(Self.temperature(middle, swing: dailySwingC, epoch: epoch))
            solar[hour + 1] = solar[hour] + Self.solarShare(middle)
        }
        degreeHoursTable = degree
        solarTable = solar
    }

    // MARK: instantaneous

    func outdoorTemperatureC(_ time: Int64) -> Double { Self.temperature(time, swing: dailySwingC, epoch: epoch) }

    /// Kelvin below the heating limit: what a house's heating power is proportional to.
    func heatDemandK(_ time: Int64) -> Double { Self.heatDemand(outdoorTemperatureC(time)) }

    /// 0...1 of a panel's peak output now.
    func solarShare(_ time: Int64) -> Double { Self.solarShare(time) }

    static func hourOfDay(_ time: Int64) -> Int { Int((time % 86_400 + 86_400) % 86_400 / 3600) }

    // MARK: cumulative since epoch

    func degreeHours(_ time: Int64) -> Double { interpolate(degreeHoursTable, time) }

    /// Panel peak-hours since epoch: × peak kW = exported kWh.
    func solarHours(_ time: Int64) -> Double { interpolate(solarTable, time) }

    /// Whole days of water use since epoch (1 per day, shaped by `waterProfile` within the day).
    func waterDays(_ time: Int64) -> Double { dayShaped(time, Self.waterProfile, Self.waterCumulative) }

    func electricityDays(_ time: Int64) -> Double { dayShaped(time, Self.electricityProfile, Self.electricityCumulative) }

    /// Hours since epoch.
    func hours(_ time: Int64) -> Double { Double(time - epoch) / 3600 }

    // MARK: pieces

    private func interpolate(_ table: [Double], _ time: Int64) -> Double {
        let offset = max(0, time - epoch)
        let hour = min(Int(offset / 3600), table.count - 2)
        let fraction = min(1, Double(offset - Int64(hour) * 3600) / 3600)
        return table[hour] + (table[hour + 1] - table[hour]) * fraction
    }

    private func dayShaped(_ time: Int64, _ profile: [Double], _ cumulative: [Double]) -> Double {
        let offset = max(0, time - epoch)
        let day = offset / 86_400
        let second = offset % 86_400
        let hour = Int(second / 3600)
        let fraction = Double(second % 3600) / 3600
        return Double(day) + cumulative[hour] + profile[hour] * fraction
    }

    private static func temperature(_ time: Int64, swing: [Double], epoch: Int64) -> Double {
        let days = Double(time) / 86_400
        let dayOfYear = days.truncatingRemainder(dividingBy: 365.2425)
        let seasonal = 8.5 - 9.5 * cos(2 * Double.pi * (dayOfYear - 22) / 365.2425)
        let hour = Double(time % 86_400) / 3600
        let daily = -3 * cos(2 * Double.pi * (hour - 4) / 24)
        // The day-to-day swing, blended between neighbouring days so the curve has no steps.
        let sinceEpoch = max(0, Double(time - epoch) / 86_400)
        let index = min(Int(sinceEpoch), swing.count - 2)
        let t = sinceEpoch - Double(index)
        return seasonal + daily + swing[index] * (1 - t) + swing[index + 1] * t
    }

    private static func heatDemand(_ temperature: Double) -> Double { max(0, heatingLimitC - temperature) }

    /// Daylight between 6 and 20 h UTC, stronger in summer.
    private static func solarShare(_ time: Int64) -> Double {
        let hour = Double(time % 86_400) / 3600
        guard hour > 6, hour < 20 else { return 0 }
        let dayOfYear = (Double(time) / 86_400).truncatingRemainder(dividingBy: 365.2425)
        let season = 0.55 - 0.45 * cos(2 * Double.pi * (dayOfYear - 10) / 365.2425)
        return season * sin(Double.pi * (hour - 6) / 14)
    }

    private static func normalised(_ weights: [Double]) -> [Double] {
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    private static func prefix(_ weights: [Double]) -> [Double] {
        var out = [0.0]
        for weight in weights { out.append(out[out.count - 1] + weight) }
        return out
    }
}
