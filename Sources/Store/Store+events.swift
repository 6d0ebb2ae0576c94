internal import SQLite

/// What the event feed says happened. The raw values are the feed's `type` strings.
public enum EventType: String, Sendable, CaseIterable {
    case readingCreated = "reading.created"
    case infoCodeRaised = "info-code.raised"
    case infoCodeCleared = "info-code.cleared"
    case meterExchanged = "meter.exchanged"
}

extension Store {
    /// Appends one event inside the caller's write transaction, so the event commits with the
    /// change it reports or not at all. `subject` is the row id of the meter (or metering point)
    /// the event is about; `data` is the type's own compact payload.
    static func appendEvent(tenant: Int64, _ type: EventType, time: Int64, subject: Int64?, data: [UInt8]?,
                            _ conn: Connection) throws {
        try conn.execute("INSERT INTO events (tenant_id, type, time, subject_id, data) VALUES (?, ?, ?, ?, ?)",
                         [tenant, type.rawValue, time, subject, data])
    }
}
