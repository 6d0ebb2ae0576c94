internal import API
internal import Store

/// One page of the key server's `GET {base}/meters?since=<cursor>`:
/// `{"meters":[{"serial","manufacturer","model","key","version","deviceType"}],"nextCursor":"…"}`.
/// Entries that cannot become a key are kept as errors; a body that is not such a page fails.
struct KeyServerPage: Equatable {
    struct Failure: Error, Equatable {
        var detail: String
    }

    var keys: [Result<DeliveredKey, KeySyncRunError>]
    var nextCursor: String?

    static let maxCursorLength = 1000

    /// `firstIndex`: the run's count of entries so far (entries are numbered across pages).
    static func parse(_ body: [UInt8], firstIndex: Int) throws(Failure) -> KeyServerPage {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw Failure(detail: "the key server's answer is not JSON (\(error))")
        }
        guard case .array(let items)? = json["meters"] else {
            throw Failure(detail: "the key server's answer has no \"meters\" array")
        }
        var next: String?
        switch json["nextCursor"] {
        case nil, .null?: next = nil
        case .string(let s)?:
            guard s.utf8.count <= maxCursorLength else { throw Failure(detail: "the key server's nextCursor is over \(maxCursorLength) bytes") }
            next = s.isEmpty ? nil : s
        case let other?: throw Failure(detail: "the key server's nextCursor is a \(other.kindName), not a string")
        }
        var keys: [Result<DeliveredKey, KeySyncRunError>] = []
        keys.reserveCapacity(items.count)
        for (offset, item) in items.enumerated() {
            let serial = string(item["serial"])
            let checked = DeliveredKeyCheck.check(index: firstIndex + offset, serial: serial, manufacturer: string(item["manufacturer"]),
                                                  model: string(item["model"]), consumptionType: string(item["medium"]),
                                                  version: int(item["version"]), deviceType: int(item["deviceType"]),
                                                  key: string(item["key"]))
            keys.append(checked.mapError { KeySyncRunError(serial: serial ?? "", reason: "\($0.field): \($0.reason)") })
        }
        return KeyServerPage(keys: keys, nextCursor: next)
    }

    private static func string(_ v: JSONValue?) -> String? {
        if case .string(let s)? = v { return s }
        return nil
    }

    private static func int(_ v: JSONValue?) -> Int? {
        if case .int(let i)? = v { return i }
        return nil
    }
}
