internal import MBus
internal import Metering

/// What a simulated meter shows at an instant, rounded to the resolution its telegram carries,
/// as the `Registers` a decoder must read back from that telegram.
extension SimulatedMeter {
    /// Volumetric heat capacity of water, kWh per m³ and kelvin.
    static let waterHeatCapacity = 1.163

    func registers(at time: Int64, model: ConsumptionModel) -> Registers {
        var r = Registers()
        let noise = 0.94 + 0.12 * jitter(time)
        switch kind {
        case .multical403, .multical603, .omsHeat:
            let used = demandPerKelvin * model.degreeHours(time) + baseLoad * model.hours(time)
            let energy = (startValue + used).rounded(.down)
            r.heatEnergyKWh = energy
            r.volumeM3 = ((startVolume + used / (Self.waterHeatCapacity * designDeltaK)) * 100).rounded(.down) / 100
            let demand = model.heatDemandK(time)
            let power = (demandPerKelvin * demand + baseLoad) * noise
            let flowC = min(80, 55 + 1.1 * demand)
            let deltaK = designDeltaK * (0.7 + 0.3 * min(1, demand / 25))
            let temperatureStep = kind == .omsHeat ? 10.0 : 100.0
            r.flowTemperatureC = (flowC * temperatureStep).rounded() / temperatureStep
            r.returnTemperatureC = ((flowC - deltaK) * temperatureStep).rounded() / temperatureStep
            r.powerKW = (power * 100).rounded() / 100
            r.flowM3h = (power / (Self.waterHeatCapacity * deltaK) * 1000).rounded() / 1000
            r.hourCounterH = (startHours + model.hours(time)).rounded(.down)
            r.temperatureDifferenceK = ((r.flowTemperatureC! - r.returnTemperatureC!) * 1000).rounded() / 1000
            if kind != .omsHeat { r.infoCodeBits = UInt64(infoBits(at: time)) }
        case .multical21, .omsWater:
            r.volumeM3 = waterLitres(time, model: model) / 1000
            let monthStart = Self.monthStart(time)
            r.targetVolumeM3 = waterLitres(monthStart, model: model) / 1000
            let hourly = baseLoad * ConsumptionModel.waterProfile[ConsumptionModel.hourOfDay(time)] * noise
            r.flowM3h = ((hourly + lossRate(at: time)) * 1000).rounded() / 1000
            if kind == .multical21 {
                r.infoCodeBits = UInt64(infoBits(at: time))
            } else {
                let (year, month, day) = Self.civil(monthStart)
                r.targetDate = MeterDate(year: year, month: month, day: day)
            }
        case .omnipower:
            r.activeEnergyImportKWh = ((startValue + baseLoad * model.electricityDays(time)) * 100).rounded(.down) / 100
            r.activeEnergyExportKWh = (solarPeakKW * model.solarHours(time) * 100).rounded(.down) / 100
            let importKW = baseLoad * ConsumptionModel.electricityProfile[ConsumptionModel.hourOfDay(time)] * noise
            r.activePowerImportKW = (importKW * 1000).rounded() / 1000
            r.activePowerExportKW = (solarPeakKW * model.solarShare(time) * 1000).rounded() / 1000
        }
        return r
    }

    /// Whole litres through a water meter by `time`.
    func waterLitres(_ time: Int64, model: ConsumptionModel) -> Double {
        ((startValue + baseLoad * model.waterDays(time) + lostWater(until: time)) * 1000).rounded(.down)
    }

    /// 0...1, fixed for this meter and instant.
    func jitter(_ time: Int64) -> Double {
        Double(SimRandom.mix(UInt64(index) << 40 ^ UInt64(bitPattern: time)) >> 11) * 0x1.0p-53
    }

    // MARK: calendar (UTC)

    /// Unix seconds of the first day of `time`'s month, 00:00 UTC.
    static func monthStart(_ time: Int64) -> Int64 {
        let (year, month, _) = civil(time)
        return days(year: year, month: month, day: 1) * 86_400
    }

    /// Year, month, day of a Unix time, UTC.
    static func civil(_ time: Int64) -> (Int, Int, Int) {
        let date = CivilDate(unixSeconds: time)
        return (Int(date.year), Int(date.month), Int(date.day))
    }

    static func days(year: Int, month: Int, day: Int) -> Int64 {
        CivilDate(year: Int64(year), month: Int64(month), day: Int64(day)).days
    }
}
