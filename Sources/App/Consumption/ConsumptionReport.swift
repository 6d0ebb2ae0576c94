internal import FoundationEssentials
internal import Metering

/// One consumption series ready to present: what the JSON, the CSV and the SVG report show.
struct ConsumptionReport: Sendable {
    struct Note: Sendable {
        /// exchange, rollover, decrease or info-code.
        var kind: String
        var time: Int64
        var meter: UUID?
        var detail: String
    }

    var meteringPoint: UUID
    var register: Register
    var resolution: Resolution
    var zoneName: String
    var zone: TimeZone
    var buckets: [ConsumptionBucket]
    var notes: [Note]
    var total: Double?

    var unit: String { ConsumptionRequest.unit(register) }

    /// The notes inside each bucket, by bucket index (a note at a boundary belongs to the
    /// bucket it starts).
    func notesByBucket() -> [Int: [Note]] {
        var out: [Int: [Note]] = [:]
        guard let first = buckets.first else { return out }
        for note in notes where note.time >= first.start && note.time < buckets[buckets.count - 1].end {
            var low = 0, high = buckets.count
            while low < high {
                let mid = (low + high) / 2
                if buckets[mid].end <= note.time { low = mid + 1 } else { high = mid }
            }
            if low < buckets.count { out[low, default: []].append(note) }
        }
        return out
    }
}

/// Local-clock labels for report rows and chart axes (`2026-03-29`, `2026-03`, `2026-03-29 02:00`).
enum LocalTime {
    static func label(_ time: Int64, _ resolution: Resolution, _ zone: TimeZone) -> String {
        let local = time + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(time))))
        let (year, month, day) = civil(local)
        let second = ((local % 86_400) + 86_400) % 86_400
        let date = "\(pad(year, 4))-\(pad(month, 2))"
        switch resolution {
        case .year: return pad(year, 4)
        case .month: return date
        case .day: return date + "-" + pad(day, 2)
        case .hour, .fifteenMinutes, .fiveMinutes:
            return date + "-" + pad(day, 2) + " " + pad(Int(second / 3600), 2) + ":" + pad(Int(second % 3600 / 60), 2)
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Year, month, day of a Unix time, UTC.
    static func civil(_ time: Int64) -> (Int, Int, Int) {
        let date = CivilDate(unixSeconds: time)
        return (Int(date.year), Int(date.month), Int(date.day))
    }
}

/// Decimal text without exponents and without binary noise: at most `decimals` places,
/// trailing zeros dropped (12.5, 0.001, 1234567).
enum DecimalText {
    static func format(_ value: Double, decimals: Int = 3) -> String {
        guard value.isFinite else { return "" }
        let scale = [1.0, 10, 100, 1000, 10_000, 100_000, 1_000_000][min(max(decimals, 0), 6)]
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { return String(value) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        var fraction = units % Int64(scale)
        var places = decimals
        while places > 0, fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        let sign = value < 0 && units != 0 ? "-" : ""
        if places == 0 { return sign + String(whole) }
        return sign + String(whole) + "." + LocalTime.pad(Int(fraction), places)
    }
}
