internal import FoundationEssentials
internal import HTTPServer
internal import Metering

/// The checks every consumption-style request shares: its time zone, its range as a bucket
/// grid, its register. Each failure is a 400 naming the parameter.
enum ConsumptionRequest {
    /// A year of hours is 8,784 buckets at most: two years of them, or 55 years of days.
    static let maxBuckets = 20_000

    /// The zone named by `tz`, else the tenant's.
    static func zone(_ parameter: String?, tenant: String) throws(ProblemDetails) -> (name: String, zone: TimeZone) {
        let name = parameter ?? tenant
        guard TimeZoneName.isValid(name), let zone = TimeZone(identifier: name) else {
            if parameter == nil {
                throw ProblemDetails(status: 422, detail: "The tenant's time zone '\(name)' is unknown here; pass tz.")
            }
            throw invalid("tz", "is not an IANA time zone this server knows (e.g. Europe/Copenhagen)")
        }
        return (name, zone)
    }

    /// Unix seconds, rounded down: a range's edges are then whole seconds like readings.
    static func seconds(_ date: Date) -> Int64 {
        let t = date.timeIntervalSince1970.rounded(.down)
        return t >= -9.0e15 && t <= 9.0e15 ? Int64(t) : (t < 0 ? Int64.min / 2 : Int64.max / 2)
    }

    static func grid(from: Date, to: Date, resolution: Resolution, zone: TimeZone,
                     maxBuckets: Int = maxBuckets) throws(ProblemDetails) -> BucketGrid {
        let start = seconds(from), end = seconds(to)
        do {
            return try BucketGrid(from: start, to: end, resolution: resolution, timeZone: zone, maxBuckets: maxBuckets)
        } catch {
            switch error {
            case .emptyRange:
                throw invalid("to", "must be after from")
            case .tooManyBuckets(let limit):
                throw invalid("to", "gives more than \(limit) \(resolution.rawValue) buckets after from; shorten the range or coarsen the resolution")
            case .timeOutOfRange:
                // Rounded out to whole buckets, the range must still lie in the years RFC 3339 can write.
                let nearStart = start < BucketGrid.earliest + 400 * 86_400 || start > BucketGrid.latest
                throw invalid(nearStart ? "from" : "to", "must lie in the years 0001 to 9999, rounded out to whole buckets")
            }
        }
    }

    static func invalid(_ parameter: String, _ detail: String) -> ProblemDetails {
        ProblemDetails(status: 400, detail: "The request does not match the API contract.",
                       errors: [.init(pointer: "#/query/\(parameter)", detail: detail)])
    }

    /// What a register's figures are counted in, for the series and the report.
    static func unit(_ register: Register) -> String {
        switch register {
        case .heatEnergyKWh, .coolingEnergyKWh, .activeEnergyImportKWh, .activeEnergyExportKWh,
             .targetHeatEnergyKWh, .targetCoolingEnergyKWh: "kWh"
        case .volumeM3, .volume2M3, .reverseVolumeM3, .targetVolumeM3: "m3"
        case .hourCounterH: "h"
        case .pulseInputA, .pulseInputB, .p1, .p2: "pulses"
        case .flowTemperatureC, .returnTemperatureC, .externalTemperatureC: "C"
        case .temperatureDifferenceK: "K"
        case .powerKW, .activePowerImportKW, .activePowerExportKW: "kW"
        case .flowM3h: "m3/h"
        case .pressureBar: "bar"
        }
    }

    /// Figures rounded to a millionth: interpolation leaves binary noise (12.340000000000002)
    /// that no meter resolves.
    static func rounded(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }
}
