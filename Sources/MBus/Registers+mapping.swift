/// Which records become which register. Current registers come from storage 0, tariff 0,
/// instantaneous records; the target-date (billing) registers from storage 1. When several
/// records qualify, the first in the telegram wins.
///
/// - Energy: electricity meters (device type 0x02) give A+ and, with the backward-flow VIFE
///   (`04843C`), A-; cooling meters (0x0A/0x0B) give cooling energy; heat/cooling meters (0x0D)
///   give heat energy and, with the backward-flow VIFE, cooling energy E3 (`04863C` of the
///   MULTICAL 303 heat+cooling test in wmbusmeters kamheat.xmq); every other meter heat energy.
/// - Volume: subunit 0 is V1, subunit 1 is V2; backward flow on subunit 0 is the reverse volume.
/// - Power: electricity P+ and, backward, P-; otherwise the thermal power.
/// - Hour counter: on-time (VIF 0x20-0x23, Kamstrup's "hour counter"), else operating time.
/// - Pressure: subunit 0 is the pressure register; subunits 1 and 2 are taken as the analog
///   inputs P1 and P2 of MULTICAL 603/803. That layout is an assumption (no public telegram
///   shows them); verify against a meter before relying on it.
/// - Pulse inputs: Kamstrup `04EEFF07` / `04EEFF08` (VA/VB counters).
/// - Info-code bits: Kamstrup's info-code record, else the standard error flags.
extension Registers {
    public init(records: [Record], address: MeterAddress) {
        self.init()
        let type = address.deviceType
        let electricity = type == 0x02
        let cooling = type == 0x0A || type == 0x0B
        let heatCooling = type == 0x0D
        var errorFlags: UInt64?
        var onTime: Double?, operatingTime: Double?
        for record in records where record.tariff == 0 {
            let backward = record.modifiers.contains(.backwardFlow)
            if record.storage == 1 {
                mapTarget(record, backward: backward, cooling: cooling, heatCooling: heatCooling)
                continue
            }
            guard record.storage == 0 else { continue }
            if let pulse = Self.pulseInput(record) {
                if pulse == 0 { set(&pulseInputA, record.value.double) } else { set(&pulseInputB, record.value.double) }
                continue
            }
            switch record.quantity {
            case .infoCode where record.subunit == 0:
                if infoCodeBits == nil { infoCodeBits = InfoCodeMaps.bits(record.value) }
            case .errorFlags where record.subunit == 0 && record.function == .instantaneous:
                if errorFlags == nil { errorFlags = InfoCodeMaps.bits(record.value) }
            case .dateTime where record.subunit == 0:
                if meterTime == nil, case .dateTime(let time) = record.value { meterTime = time }
            case .onTime where record.subunit == 0 && record.function == .instantaneous:
                onTime = onTime ?? Self.hours(record)
            case .operatingTime where record.subunit == 0 && record.function == .instantaneous:
                operatingTime = operatingTime ?? Self.hours(record)
            default:
                guard record.function == .instantaneous else { continue }
                mapCurrent(record, backward: backward, electricity: electricity, cooling: cooling, heatCooling: heatCooling)
            }
        }
        if infoCodeBits == nil { infoCodeBits = errorFlags }
        hourCounterH = onTime ?? operatingTime
        // Heat meters that send t1 and t2 but not their difference (MULTICAL C1 frames) still
        // have a cooling ΔT; it is derived, rounded to the 0.01 K the temperatures carry.
        if temperatureDifferenceK == nil, let flow = flowTemperatureC, let back = returnTemperatureC {
            temperatureDifferenceK = ((flow - back) * 1000).rounded() / 1000
        }
    }

    private mutating func mapCurrent(_ r: Record, backward: Bool, electricity: Bool, cooling: Bool, heatCooling: Bool) {
        let sub = r.subunit
        switch r.quantity {
        case .energy where sub == 0:
            let kWh = Self.value(r, .kWh)
            if electricity { backward ? set(&activeEnergyExportKWh, kWh) : set(&activeEnergyImportKWh, kWh) }
            else if cooling { if !backward { set(&coolingEnergyKWh, kWh) } }
            else if heatCooling { backward ? set(&coolingEnergyKWh, kWh) : set(&heatEnergyKWh, kWh) }
            else if !backward { set(&heatEnergyKWh, kWh) }
        case .volume:
            let m3 = Self.value(r, .m3)
            if sub == 0 { backward ? set(&reverseVolumeM3, m3) : set(&volumeM3, m3) }
            else if sub == 1, !backward { set(&volume2M3, m3) }
        case .power where sub == 0:
            let kW = Self.value(r, .kW)
            if electricity { backward ? set(&activePowerExportKW, kW) : set(&activePowerImportKW, kW) }
            else if !backward { set(&powerKW, kW) }
        case .volumeFlow where sub == 0 && !backward: set(&flowM3h, Self.value(r, .m3PerHour))
        case .flowTemperature where sub == 0: set(&flowTemperatureC, Self.value(r, .celsius))
        case .returnTemperature where sub == 0: set(&returnTemperatureC, Self.value(r, .celsius))
        case .temperatureDifference where sub == 0: set(&temperatureDifferenceK, Self.value(r, .kelvin))
        case .externalTemperature where sub == 0: set(&externalTemperatureC, Self.value(r, .celsius))
        case .pressure:
            let bar = Self.value(r, .bar)
            switch sub {
            case 0: set(&pressureBar, bar)
            case 1: set(&p1, bar)
            case 2: set(&p2, bar)
            default: break
            }
        default: break
        }
    }

    private mutating func mapTarget(_ r: Record, backward: Bool, cooling: Bool, heatCooling: Bool) {
        guard r.subunit == 0 else { return }
        switch r.quantity {
        case .date:
            if targetDate == nil, case .date(let date) = r.value { targetDate = date }
        case .energy where r.function == .instantaneous:
            let kWh = Self.value(r, .kWh)
            if cooling { if !backward { set(&targetCoolingEnergyKWh, kWh) } }
            else if heatCooling, backward { set(&targetCoolingEnergyKWh, kWh) }
            else if !backward { set(&targetHeatEnergyKWh, kWh) }
        case .volume where r.function == .instantaneous && !backward:
            set(&targetVolumeM3, Self.value(r, .m3))
        default: break
        }
    }

    private func set(_ field: inout Double?, _ value: Double?) {
        if field == nil { field = value }
    }

    /// The value when the record is in the register's canonical unit; nil otherwise (a record
    /// the records helper could not normalise never lands in a register with a wrong unit).
    static func value(_ r: Record, _ unit: Unit) -> Double? {
        r.unit == unit ? r.value.double : nil
    }

    static func hours(_ r: Record) -> Double? {
        guard let v = r.value.double else { return nil }
        switch r.unit {
        case .hours: return v
        case .seconds: return v / 3600
        case .days: return v * 24
        default: return nil
        }
    }

    /// 0 for VA, 1 for VB, nil for other records.
    static func pulseInput(_ r: Record) -> Int? {
        let key = r.difvif
        guard key.count == 4, key[0] == 0x04, key[1] == 0xEE, key[2] == 0xFF else { return nil }
        switch key[3] {
        case 0x07: return 0
        case 0x08: return 1
        default: return nil
        }
    }
}
