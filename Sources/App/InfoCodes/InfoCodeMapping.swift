internal import API
internal import FoundationEssentials
internal import MBus
internal import Metering
internal import Store

/// An occurrence as the contract shows it. `now` and `zone` place the historical window.
struct InfoCodeRow {
    var record: InfoCodeOccurrenceRecord
    var entry: InfoCodeMaps.Entry?
    var historicalDays: Int

    init(_ record: InfoCodeOccurrenceRecord, now: Int64, zone: TimeZone) {
        self.record = record
        entry = InfoCodeMaps.entry(record.code)
        historicalDays = InfoCodeHistory.activeDays(record.history, now: now, zone: zone)
    }

    var title: String { entry?.title ?? record.code }
    var severity: InfoCodeMaps.Severity { entry?.severity ?? .info }
    var historical: String? { InfoCodeHistory.summary(title: title, days: historicalDays) }

    /// The positions of the set bits of the occurrence's mask.
    var bitPositions: [Int] {
        let mask = UInt64(bitPattern: record.bits)
        return (0..<64).filter { mask >> UInt64($0) & 1 == 1 }
    }

    var json: Components.Schemas.InfoCodeOccurrence {
        let r = record
        return .init(id: r.id, meterId: r.meterID, manufacturer: r.manufacturer, serialNumber: r.serial, address: r.address,
                     infoCode: r.code, title: title, severity: .init(rawValue: severity.rawValue) ?? .info,
                     rawBits: r.rawBits.map { Int($0) }, bits: bitPositions, readingTime: Self.date(r.raisedAt),
                     firstSeen: Self.date(r.raisedAt), lastSeen: Self.date(r.lastSeen), active: r.clearedAt == nil,
                     clearedAt: r.clearedAt.map(Self.date), historicalDays: historicalDays, historical: historical)
    }

    static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: Double(seconds)) }
}

extension Components.Schemas.InfoCodeType {
    init(_ entry: InfoCodeMaps.Entry) {
        self.init(code: entry.code, title: entry.title, severity: .init(rawValue: entry.severity.rawValue) ?? .info,
                  description: entry.description)
    }
}
