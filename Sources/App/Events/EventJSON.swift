internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Metering
internal import Store

/// Events as the feed shows them, as JSON and as Server-Sent Events frames.
enum EventJSON {
    static func event(_ r: EventRecord) -> Components.Schemas.Event {
        var data = Components.Schemas.EventData()
        switch r.type {
        case .readingCreated:
            if let payload = EventPayload.reading(r.data), let decoded = try? ReadingCodec.decode(payload.data) {
                data.reading = .init(time: Date(timeIntervalSince1970: Double(payload.time)),
                                     source: .init(rawValue: payload.source.name) ?? .fixedNetwork,
                                     registers: ReadingJSON.registers(decoded.values),
                                     infoCodes: TelegramReading.infoCodes(decoded.infoCodes),
                                     infoCodeBits: ReadingJSON.infoCodeBits(decoded))
            }
        case .infoCodeRaised, .infoCodeCleared:
            data.infoCode = String(decoding: r.data, as: UTF8.self)
        case .meterExchanged:
            data.exchangeId = UUID(uuidString: String(decoding: r.data, as: UTF8.self))
        case .consumptionAlertTriggered:
            data.alertId = UUID(uuidString: String(decoding: r.data, as: UTF8.self))
        }
        return .init(id: Store.cursor(r.rowID), type: .init(rawValue: r.type.rawValue)!,
                     time: Date(timeIntervalSince1970: Double(r.time) / 1000), meterId: r.meterID,
                     meteringPointId: r.meteringPointID, data: data)
    }

    /// `id:`, `event:` and `data:` lines per event, each frame ending in a blank line. The JSON
    /// is written without newlines, so one `data:` line carries it.
    static func frames(_ records: [EventRecord]) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 * records.count)
        for r in records {
            writer.bytes.append(contentsOf: "id: ".utf8)
            writer.bytes.append(contentsOf: Store.cursor(r.rowID).utf8)
            writer.bytes.append(contentsOf: "\nevent: ".utf8)
            writer.bytes.append(contentsOf: r.type.rawValue.utf8)
            writer.bytes.append(contentsOf: "\ndata: ".utf8)
            event(r).writeJSON(to: &writer)
            writer.bytes.append(contentsOf: "\n\n".utf8)
        }
        return writer.bytes
    }

    /// The `types` parameter: comma-separated type names (the contract's pattern admits only
    /// known ones; this is the server's own check).
    static func types(_ text: String?) throws -> Set<EventType>? {
        guard let text else { return nil }
        var types = Set<EventType>()
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let type = EventType(rawValue: String(name)) else {
                throw ProblemDetails(status: 400, detail: "The request does not match the API contract.",
                                     errors: [.init(pointer: "#/query/types", detail: "'\(name)' is not an event type")])
            }
            types.insert(type)
        }
        return types
    }

    /// A position from `after` or `Last-Event-ID`.
    static func position(_ cursor: String?, pointer: String) throws -> Int64? {
        guard let cursor else { return nil }
        guard let id = try? Store.rowID(fromCursor: cursor) else {
            throw ProblemDetails(status: 400, detail: "The request does not match the API contract.",
                                 errors: [.init(pointer: pointer, detail: "is not an event position this server gave out")])
        }
        return id
    }
}
