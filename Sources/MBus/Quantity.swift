/// What a data record measures, named once for the whole product: the `quantity` of
/// `fjern decode`, the key the register mapping and the conformance runner match on.
/// Raw values are the stable JSON names.
public enum Quantity: String, Sendable, Hashable, CaseIterable {
    // Primary VIF table (EN 13757-3 table 10)
    case energy
    case volume
    case mass
    case onTime
    case operatingTime
    case power
    case volumeFlow
    case massFlow
    case flowTemperature
    case returnTemperature
    case temperatureDifference
    case externalTemperature
    case pressure
    case date
    case dateTime
    case heatCostAllocation
    case averagingDuration
    case actualityDuration
    case fabricationNumber
    case enhancedIdentification
    case busAddress
    // 0xFD extension table
    case credit
    case debit
    case accessNumber
    case medium
    case manufacturer
    case parameterSet
    case modelVersion
    case hardwareVersion
    case firmwareVersion
    case softwareVersion
    case customerLocation
    case customer
    case accessCodeUser
    case accessCodeOperator
    case accessCodeSystemOperator
    case accessCodeDeveloper
    case password
    case errorFlags
    case errorMask
    case digitalOutput
    case digitalInput
    case baudRate
    case responseDelay
    case retry
    case firstStorageNumber
    case lastStorageNumber
    case storageBlockSize
    case storageInterval
    case durationSinceLastReadout
    case startOfTariff
    case durationOfTariff
    case periodOfTariff
    case dimensionless
    case voltage
    case current
    case resetCounter
    case cumulationCounter
    case controlSignal
    case dayOfWeek
    case weekNumber
    case timePointOfDayChange
    case stateOfParameterActivation
    case specialSupplierInformation
    case durationSinceLastCumulation
    case operatingTimeBattery
    case batteryChangeDate
    case remainingBatteryLifetime
    case rfLevel
    case reactiveEnergy
    case apparentEnergy
    case reactivePower
    case apparentPower
    case frequency
    case phase
    case relativeHumidity
    case colorTemperature
    case volumeTemperatureIntegral
    case pulseCounter
    // Manufacturer- and application-level
    case infoCode
    case manufacturerSpecific
    case plainText
    case unknown
}

/// The canonical unit a record's value is expressed in after normalisation (PROTOCOLS and
/// issue 4: energy kWh, volume m3, power kW, ...). `none` for counts, identifiers, dates.
public enum Unit: String, Sendable, Hashable, CaseIterable {
    case kWh
    case m3
    case kg
    case kW
    case m3PerHour = "m3/h"
    case kgPerHour = "kg/h"
    case celsius = "C"
    case kelvin = "K"
    case bar
    case hours = "h"
    case seconds = "s"
    case days = "d"
    case volt = "V"
    case ampere = "A"
    case kvarh
    case kVAh
    case kvar
    case kVA
    case hertz = "Hz"
    case degree = "deg"
    case percent = "%"
    case kelvinTemperature = "Kelvin"
    case m3C = "m3C"
    case hca = "HCA"
    case currencyUnit = "currency"
    case baud
    case bitTimes = "bit-times"
    case dBm
    case none = ""
}
