public import FoundationEssentials
public import Metering

/// One info-code occurrence as the list shows it, with its meter.
public struct InfoCodeOccurrenceRecord: Sendable {
    public var rowID: Int64
    public var id: UUID
    public var code: String
    /// The meter's info-code register at the raise, and which of its bits raised this code.
    public var rawBits: Int64?
    public var bits: Int64
    /// Reading times, Unix seconds. `lastSeen` of an active code is the meter's latest reading.
    public var raisedAt: Int64
    public var clearedAt: Int64?
    public var lastSeen: Int64
    public var meterID: UUID
    public var manufacturer: String
    public var serial: String
    public var address: String?
    /// This meter's occurrences of the same code that touch the historical window.
    public var history: [InfoCodeHistory.Interval]
    /// The meter's row, for the store's own follow-up queries; never leaves the store.
    var meterRowID: Int64 = 0
}

/// What the info-code list selects. Times are Unix seconds; an occurrence matches `from`/`to`
/// when it was active at some moment in `[from, to)`.
public struct InfoCodeFilter: Sendable {
    public var active: Bool?
    public var code: String?
    public var meter: UUID?
    public var group: GroupSelector?
    public var from: Int64?
    public var to: Int64?

    public init(active: Bool? = nil, code: String? = nil, meter: UUID? = nil, group: GroupSelector? = nil,
                from: Int64? = nil, to: Int64? = nil) {
        self.active = active
        self.code = code
        self.meter = meter
        self.group = group
        self.from = from
        self.to = to
    }
}

/// The list's order: one or two keys, each ascending or descending; ties go by row id in the
/// direction of the last key, so a keyset cursor (severity, reading time, id) is stable.
public struct InfoCodeSort: Sendable, Equatable {
    public enum Key: String, Sendable {
        case severity
        case readingTime
    }

    public var keys: [(key: Key, descending: Bool)]

    public static let newestFirst = InfoCodeSort(keys: [(.readingTime, true)])

    public init(keys: [(key: Key, descending: Bool)]) { self.keys = keys }

    /// `-severity,-readingTime`: comma-separated keys, `-` for descending, each at most once.
    public init?(parameter: String) {
        var keys: [(key: Key, descending: Bool)] = []
        for part in parameter.split(separator: ",", omittingEmptySubsequences: false) {
            let descending = part.hasPrefix("-")
            guard let key = Key(rawValue: String(descending ? part.dropFirst() : part)),
                  !keys.contains(where: { $0.key == key }) else { return nil }
            keys.append((key, descending))
        }
        guard !keys.isEmpty else { return nil }
        self.keys = keys
    }

    public static func == (a: InfoCodeSort, b: InfoCodeSort) -> Bool {
        a.keys.map(\.key) == b.keys.map(\.key) && a.keys.map(\.descending) == b.keys.map(\.descending)
    }
}

/// Where a page of the info-code list ends: the last row's severity rank, reading time and
/// row id. Text form `c<rank>_<time>_<id>`, each in base 36.
public struct InfoCodeCursor: Sendable, Equatable {
    public var severity: Int64
    public var time: Int64
    public var row: Int64

    public init(severity: Int64, time: Int64, row: Int64) {
        self.severity = severity
        self.time = time
        self.row = row
    }

    public init?(_ text: String) {
        guard text.hasPrefix("c") else { return nil }
        let parts = text.dropFirst().split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, let s = Int64(parts[0], radix: 36), let t = Int64(parts[1], radix: 36),
              let r = Int64(parts[2], radix: 36), s >= 0, r >= 0 else { return nil }
        self.init(severity: s, time: t, row: r)
    }

    public var text: String {
        "c" + String(severity, radix: 36) + "_" + String(time, radix: 36) + "_" + String(row, radix: 36)
    }
}
