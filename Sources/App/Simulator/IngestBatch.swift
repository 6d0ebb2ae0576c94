internal import API
internal import FoundationEssentials

/// Request bodies for `POST /v1/ingest/telegrams`, written straight into bytes (the benchmark
/// builds a million of them), and the sums of the answers.
struct IngestBatch {
    private(set) var body: [UInt8] = []
    private(set) var count = 0

    init(capacity: Int) {
        body.reserveCapacity(capacity * 190 + 32)
        body += Array(#"{"telegrams":["#.utf8)
    }

    /// `{"hex":"...","receivedAt":"...Z","rssi":-71}` with upper-case hex.
    mutating func append(telegram: [UInt8], receivedAtMilliseconds: Int64, rssi: Int) {
        if count > 0 { body.append(UInt8(ascii: ",")) }
        body += Array(#"{"hex":""#.utf8)
        for byte in telegram {
            body.append(Self.hexDigits[Int(byte >> 4)])
            body.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        body += Array(#"","receivedAt":""#.utf8)
        RFC3339.appendDateTime(Date(timeIntervalSince1970: Double(receivedAtMilliseconds) / 1000), to: &body)
        body += Array(#"","rssi":"#.utf8)
        body += Array(String(rssi).utf8)
        body.append(UInt8(ascii: "}"))
        count += 1
    }

    /// The finished JSON document.
    func finished() -> [UInt8] { body + Array("]}".utf8) }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}

/// What the server said about the telegrams, summed over requests.
struct IngestCounts: Sendable, Equatable {
    var sent = 0
    var accepted = 0
    var decoded = 0
    var duplicates = 0
    var pending = 0
    var rejected = 0
    /// The first few distinct reasons of rejected or pending telegrams, to print.
    var reasons: [String] = []

    /// The answer's counters without its per-telegram results when every telegram was stored
    /// (the server writes the counters first): the load generator shares the server's two
    /// cores, and parsing a thousand results per request would be measured as server time.
    static func summary(_ body: [UInt8]) throws -> JSONValue {
        let marker = Array(#","results":["#.utf8)
        if let at = firstIndex(of: marker, in: body) {
            let head = try JSONParser.parse(Array(body[..<at]) + [UInt8(ascii: "}")])
            if (SimulatorAPI.int(head["pending"]) ?? 0) == 0, (SimulatorAPI.int(head["rejected"]) ?? 0) == 0 { return head }
        }
        return try JSONParser.parse(body)
    }

    private static func firstIndex(of marker: [UInt8], in body: [UInt8]) -> Int? {
        guard body.count >= marker.count else { return nil }
        for i in 0...(body.count - marker.count) where body[i] == marker[0] {
            if body[i..<(i + marker.count)].elementsEqual(marker) { return i }
        }
        return nil
    }

    mutating func add(sent: Int, answer: JSONValue) {
        self.sent += sent
        accepted += SimulatorAPI.int(answer["accepted"]) ?? 0
        decoded += SimulatorAPI.int(answer["decoded"]) ?? 0
        duplicates += SimulatorAPI.int(answer["duplicates"]) ?? 0
        pending += SimulatorAPI.int(answer["pending"]) ?? 0
        rejected += SimulatorAPI.int(answer["rejected"]) ?? 0
        guard reasons.count < 5, case .array(let results)? = answer["results"] else { return }
        for result in results {
            guard let reason = SimulatorAPI.string(result["reason"]), !reasons.contains(reason) else { continue }
            reasons.append(reason)
            if reasons.count == 5 { break }
        }
    }

    mutating func merge(_ other: IngestCounts) {
        sent += other.sent
        accepted += other.accepted
        decoded += other.decoded
        duplicates += other.duplicates
        pending += other.pending
        rejected += other.rejected
        for reason in other.reasons where reasons.count < 5 && !reasons.contains(reason) { reasons.append(reason) }
    }

    /// `sent=... accepted=... decoded=... duplicates=... pending=... rejected=...`
    var line: String {
        "sent=\(sent) accepted=\(accepted) decoded=\(decoded) duplicates=\(duplicates) pending=\(pending) rejected=\(rejected)"
    }
}
