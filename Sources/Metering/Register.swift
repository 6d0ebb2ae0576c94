/// The registers a reading stores, by their API names (units in the names, DESIGN "API
/// conventions"). The raw values are fixed forever: they are written into stored readings.
public enum Register: UInt8, CaseIterable, Sendable, Hashable {
    case heatEnergyKWh = 0
    case coolingEnergyKWh = 1
    case volumeM3 = 2
    case volume2M3 = 3
    case reverseVolumeM3 = 4
    case flowTemperatureC = 5
    case returnTemperatureC = 6
    case temperatureDifferenceK = 7
    case externalTemperatureC = 8
    case powerKW = 9
    case flowM3h = 10
    case hourCounterH = 11
    case p1 = 12
    case p2 = 13
    case activeEnergyImportKWh = 14
    case activeEnergyExportKWh = 15
    case activePowerImportKW = 16
    case activePowerExportKW = 17
    case pressureBar = 18
    case pulseInputA = 19
    case pulseInputB = 20
    case targetHeatEnergyKWh = 21
    case targetCoolingEnergyKWh = 22
    case targetVolumeM3 = 23

    public var name: String {
        switch self {
        case .heatEnergyKWh: "heatEnergyKWh"
        case .coolingEnergyKWh: "coolingEnergyKWh"
        case .volumeM3: "volumeM3"
        case .volume2M3: "volume2M3"
        case .reverseVolumeM3: "reverseVolumeM3"
        case .flowTemperatureC: "flowTemperatureC"
        case .returnTemperatureC: "returnTemperatureC"
        case .temperatureDifferenceK: "temperatureDifferenceK"
        case .externalTemperatureC: "externalTemperatureC"
        case .powerKW: "powerKW"
        case .flowM3h: "flowM3h"
        case .hourCounterH: "hourCounterH"
        case .p1: "p1"
        case .p2: "p2"
        case .activeEnergyImportKWh: "activeEnergyImportKWh"
        case .activeEnergyExportKWh: "activeEnergyExportKWh"
        case .activePowerImportKW: "activePowerImportKW"
        case .activePowerExportKW: "activePowerExportKW"
        case .pressureBar: "pressureBar"
        case .pulseInputA: "pulseInputA"
        case .pulseInputB: "pulseInputB"
        case .targetHeatEnergyKWh: "targetHeatEnergyKWh"
        case .targetCoolingEnergyKWh: "targetCoolingEnergyKWh"
        case .targetVolumeM3: "targetVolumeM3"
        }
    }

    /// Cumulative registers only grow (until they wrap); consumption is their difference.
    public var isCumulative: Bool {
        switch self {
        case .heatEnergyKWh, .coolingEnergyKWh, .volumeM3, .volume2M3, .reverseVolumeM3, .hourCounterH,
             .activeEnergyImportKWh, .activeEnergyExportKWh, .pulseInputA, .pulseInputB,
             .targetHeatEnergyKWh, .targetCoolingEnergyKWh, .targetVolumeM3: true
        default: false
        }
    }

    public init?(name: String) {
        guard let r = Register.allCases.first(where: { $0.name == name }) else { return nil }
        self = r
    }
}
