internal import SQLite

/// What the event feed says happened. The raw values are the feed's `type` strings; `code` is
/// what the `events` table stores.
public enum EventType: String, Sendable, CaseIterable {
    case readingCreated = "reading.created"
    case infoCodeRaised = "info-code.raised"
    case infoCodeCleared = "info-code.cleared"
    case meterExchanged = "meter.exchanged"
    /// A consumption alert's limit was exceeded; subject: the meter, data: the alert's public id.
    case consumptionAlertTriggered = "consumption-alert.triggered"

    public var code: Int64 {
        switch self {
        case .readingCreated: 1
        case .infoCodeRaised: 2
        case .infoCodeCleared: 3
        case .meterExchanged: 4
        case .consumptionAlertTriggered: 5
        }
    }

    public init?(code: Int64) {
        switch code {
        case 1: self = .readingCreated
        case 2: self = .infoCodeRaised
        case 3: self = .infoCodeCleared
        case 4: self = .meterExchanged
        case 5: self = .consumptionAlertTriggered
        default: return nil
        }
    }

    /// Whether the subject is a metering point (else a meter).
    var isAboutMeteringPoint: Bool { self == .meterExchanged }
}

extension Store {
    /// Appends one event inside the caller's write transaction, so the event commits with the
    /// change it reports or not at all. `subject` is the row id of the meter (or metering point)
    /// the event is about; `data` is the type's own compact payload. `time` is Unix milliseconds.
    static func appendEvent(tenant: Int64, _ type: EventType, time: Int64, subject: Int64?, data: [UInt8]?,
                            _ conn: Connection) throws {
        let statement = try conn.cachedStatement(insertEventSQL)
        try statement.bind(tenant, at: 1)
        try statement.bind(type.code, at: 2)
        try statement.bind(time, at: 3)
        if let subject { try statement.bind(subject, at: 4) } else { try statement.bindNull(at: 4) }
        if let data { try statement.bind(data, at: 5) } else { try statement.bindNull(at: 5) }
        _ = try statement.step()
        statement.reset()
    }

    static let insertEventSQL = "INSERT INTO events (tenant_id, type, time, subject_id, data) VALUES (?, ?, ?, ?, ?)"
}
