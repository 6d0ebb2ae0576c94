public import FoundationEssentials

/// One event as the feed reads it.
public struct EventRecord: Sendable {
    /// The row id: the feed's position (`Store.cursor`).
    public var rowID: Int64
    public var type: EventType
    /// When the change committed (Unix milliseconds).
    public var time: Int64
    public var meterID: UUID?
    public var meteringPointID: UUID?
    public var data: [UInt8]
}

/// A page of the feed: the events, and the position after the last row examined (an event of
/// another type, or the last item), from which the next page continues.
public struct EventPage: Sendable {
    public var items: [EventRecord]
    public var position: Int64
    /// The page stopped at the scan limit, not at the newest event: read on without waiting.
    public var more = false
}

/// The compact payloads of the event types.
public enum EventPayload {
    /// A new reading: its time (Unix seconds, 8 bytes little-endian), its source (1 byte), then
    /// its `ReadingCodec` bytes as the writer stored them.
    static func reading(time: Int64, source: ReadingSource, data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(9 + data.count)
        withUnsafeBytes(of: time.littleEndian) { out.append(contentsOf: $0) }
        out.append(UInt8(truncatingIfNeeded: source.rawValue))
        out.append(contentsOf: data)
        return out
    }

    public static func reading(_ payload: [UInt8]) -> (time: Int64, source: ReadingSource, data: ArraySlice<UInt8>)? {
        guard payload.count >= 9, let source = ReadingSource(rawValue: Int(payload[8])) else { return nil }
        var time: Int64 = 0
        for i in (0..<8).reversed() { time = time << 8 | Int64(payload[i]) }
        return (time, source, payload[9...])
    }
}
