/// The meter registers Fjern stores for a reading (DESIGN "reading"): the current (storage 0)
/// values of the standard records, in the canonical units their names carry. Nil = the
/// telegram did not carry it. Built from the records by `Registers.init(records:address:)`
/// (Registers+mapping.swift).
public struct Registers: Sendable, Hashable {
    public var heatEnergyKWh: Double?
    public var coolingEnergyKWh: Double?
    public var volumeM3: Double?
    public var volume2M3: Double?
    public var reverseVolumeM3: Double?
    public var flowTemperatureC: Double?
    public var returnTemperatureC: Double?
    public var temperatureDifferenceK: Double?
    public var externalTemperatureC: Double?
    public var powerKW: Double?
    public var flowM3h: Double?
    public var hourCounterH: Double?
    /// Analog inputs P1/P2 of MULTICAL 603/803 (pressure in bar when so configured).
    public var p1: Double?
    public var p2: Double?
    /// Electricity: active energy import (A+) / export (A-), active power import (P+) / export (P-).
    public var activeEnergyImportKWh: Double?
    public var activeEnergyExportKWh: Double?
    public var activePowerImportKW: Double?
    public var activePowerExportKW: Double?
    public var pressureBar: Double?
    /// Pulse inputs A/B (Kamstrup VA/VB counters).
    public var pulseInputA: Double?
    public var pulseInputB: Double?
    /// The meter's own billing (target-date) values, storage 1, and the date they belong to.
    public var targetDate: MeterDate?
    public var targetHeatEnergyKWh: Double?
    public var targetCoolingEnergyKWh: Double?
    public var targetVolumeM3: Double?
    /// The meter's clock when the telegram carries it.
    public var meterTime: MeterDateTime?
    /// The raw info-code / error-flag bits as the meter sent them (the map depends on the model).
    public var infoCodeBits: UInt64?

    public init() {}

    /// Every numeric register that is present, by its JSON name, in a fixed order.
    public var numericEntries: [(name: String, value: Double)] {
        var out: [(String, Double)] = []
        func add(_ name: String, _ value: Double?) { if let value { out.append((name, value)) } }
        add("heatEnergyKWh", heatEnergyKWh)
        add("coolingEnergyKWh", coolingEnergyKWh)
        add("volumeM3", volumeM3)
        add("volume2M3", volume2M3)
        add("reverseVolumeM3", reverseVolumeM3)
        add("flowTemperatureC", flowTemperatureC)
        add("returnTemperatureC", returnTemperatureC)
        add("temperatureDifferenceK", temperatureDifferenceK)
        add("externalTemperatureC", externalTemperatureC)
        add("powerKW", powerKW)
        add("flowM3h", flowM3h)
        add("hourCounterH", hourCounterH)
        add("p1", p1)
        add("p2", p2)
        add("activeEnergyImportKWh", activeEnergyImportKWh)
        add("activeEnergyExportKWh", activeEnergyExportKWh)
        add("activePowerImportKW", activePowerImportKW)
        add("activePowerExportKW", activePowerExportKW)
        add("pressureBar", pressureBar)
        add("pulseInputA", pulseInputA)
        add("pulseInputB", pulseInputB)
        add("targetHeatEnergyKWh", targetHeatEnergyKWh)
        add("targetCoolingEnergyKWh", targetCoolingEnergyKWh)
        add("targetVolumeM3", targetVolumeM3)
        return out
    }
}
