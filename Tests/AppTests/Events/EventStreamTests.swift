import Dispatch
import Foundation
import HTTPServer
import Testing
@testable import App
@testable import Store
import TestSupport

/// An open Server-Sent Events connection, read on a Dispatch thread (blocking sockets must not
/// hold the cooperative pool the server under test runs on).
final class SSEClient: @unchecked Sendable {
    let client: RawClient
    let reader: StreamReader
    let status: Int
    let contentType: String?
    private var text = ""

    init(port: Int, token: String, query: String, lastEventID: String? = nil) throws {
        // 30 s, not the default 10: once, in a full parallel run on 2 loaded cores, the head took longer.
        client = try RawClient(port: port, timeoutSeconds: 30)
        var head = "GET /v1/events/stream?\(query) HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer \(token)\r\nAccept: text/event-stream\r\n"
        if let lastEventID { head += "Last-Event-ID: \(lastEventID)\r\n" }
        try client.send(head + "\r\n")
        reader = StreamReader(fd: client.fd)
        let (status, headers) = try reader.head()
        self.status = status
        contentType = headers["Content-Type"]
    }

    /// Frames (id, event, data) until `count` events arrived; comments and `retry:` are skipped.
    func events(_ count: Int) throws -> [(id: String, event: String, data: String)] {
        var out: [(String, String, String)] = []
        while true {
            let frames = text.components(separatedBy: "\n\n")
            for frame in frames.dropLast() {
                var id = "", event = "", data = ""
                for line in frame.split(separator: "\n") {
                    if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                }
                if !id.isEmpty { out.append((id, event, data)) }
            }
            text = frames.last ?? ""
            if out.count >= count { return out }
            guard let chunk = try reader.chunk() else { return out }
            text += String(decoding: chunk, as: UTF8.self)
        }
    }

    /// Raw text until `needle` shows (for `retry:` and heartbeats).
    func raw(until needle: String) throws -> String {
        while !text.contains(needle) {
            guard let chunk = try reader.chunk() else { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text
    }

    static func open(port: Int, token: String, query: String, lastEventID: String? = nil) async throws -> SSEClient {
        try await blocking { try SSEClient(port: port, token: token, query: query, lastEventID: lastEventID) }
    }
}

func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

@Suite(.serialized, .blockingIO)
struct EventStreamTests {
    static let key: [UInt8] = Array(0..<16)

    @Test func streamsBacklogThenLiveEventsAndResumesWithLastEventID() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        _ = try await f.addMeter(tenant: f.tenantA.rowID, serial: "12121212", key: Self.key)
        _ = try await f.post("north", [try IngestFixture.multical21(id: 12_121_212, key: Self.key, litres: 10)],
                             receivedAt: "2026-11-21T10:00:00Z")
        let sse = try await SSEClient.open(port: f.app.port, token: f.adminA, query: "after=c0&timeout=20")
        #expect(sse.status == 200)
        #expect(sse.contentType == "text/event-stream")
        #expect(try await blocking { try sse.raw(until: "retry: ") }.hasPrefix("retry: "))
        let backlog = try await blocking { try sse.events(1) }
        #expect(backlog.map(\.event) == ["reading.created"])
        let data = try JSONSerialization.jsonObject(with: Data(backlog[0].data.utf8)) as? [String: Any]
        #expect(data?["id"] as? String == backlog[0].id && data?["type"] as? String == "reading.created")

        // Live: a reading committed while the stream is open arrives on it.
        _ = try await f.post("north", [try IngestFixture.multical21(id: 12_121_212, key: Self.key, litres: 20, info: 0x0008)],
                             receivedAt: "2026-11-21T10:15:00Z")
        let live = try await blocking { try sse.events(2) }
        #expect(live.map(\.event) == ["reading.created", "info-code.raised"])

        // Reconnecting with Last-Event-ID gets exactly what came after it (it wins over `after`).
        _ = try await f.post("north", [try IngestFixture.multical21(id: 12_121_212, key: Self.key, litres: 30)],
                             receivedAt: "2026-11-21T10:30:00Z")
        let again = try await SSEClient.open(port: f.app.port, token: f.adminA, query: "after=c0&timeout=20", lastEventID: live[0].id)
        let resumed = try await blocking { try again.events(3) }
        // The third reading has no info code: it clears the one raised.
        #expect(resumed.map(\.event) == ["info-code.raised", "reading.created", "info-code.cleared"])
        #expect(resumed[0].id == live[1].id)

        // Another tenant's stream shows none of it; its own stream with a types filter only what it asks.
        let other = try await SSEClient.open(port: f.app.port, token: f.adminB, query: "after=c0&timeout=1")
        #expect(try await blocking { try other.events(1) }.isEmpty)
        let filtered = try await SSEClient.open(port: f.app.port, token: f.adminA, query: "after=c0&timeout=1&types=info-code.raised")
        #expect(try await blocking { try filtered.events(5) }.map(\.event) == ["info-code.raised"])
    }

    @Test func aStreamWithoutAPositionStartsWithWhatCommitsNextAndEndsAfterItsTimeout() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        _ = try await f.addMeter(tenant: f.tenantA.rowID, serial: "34343434", key: Self.key)
        _ = try await f.post("north", [try IngestFixture.multical21(id: 34_343_434, key: Self.key, litres: 10)],
                             receivedAt: "2026-11-21T10:00:00Z")
        let begun = ContinuousClock.now
        let sse = try await SSEClient.open(port: f.app.port, token: f.adminA, query: "timeout=2")
        _ = try await f.post("north", [try IngestFixture.multical21(id: 34_343_434, key: Self.key, litres: 11)],
                             receivedAt: "2026-11-21T10:15:00Z")
        let events = try await blocking { try sse.events(10) }
        // Only the new reading, and the stream ended by itself (the last chunk, then EOF).
        #expect(events.count == 1)
        // Well short of the default 300 s: the stream's own 2 s timeout ended it (generous for loaded machines).
        #expect(ContinuousClock.now - begun < .seconds(60))
        #expect(try await blocking { sse.reader.readsEOF() })
    }

    @Test func theFeedMissesNothingUnderConcurrentIngest() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let clients = 4, batches = 8, perBatch = 5
        var meters: [UUID] = []
        for c in 0..<clients {
            meters.append(try await f.addMeter(tenant: f.tenantA.rowID, serial: "9000000\(c)", key: Self.key))
        }
        let done = ManagedAtomicFlag()
        // A reader paging with `after` while the writers run, then until it has caught up.
        let reader = Task { () -> [FedEvent] in
            var events: [FedEvent] = []
            var cursor = "c0"
            while true {
                let finished = done.isSet
                let page = try await f.call("GET", "/v1/events?limit=7&after=\(cursor)", token: f.adminA)
                let items = page.json["items"] as? [[String: Any]] ?? []
                events += items.map(FedEvent.init)
                cursor = page.json["nextCursor"] as? String ?? cursor
                if items.isEmpty && finished { return events }
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<clients {
                group.addTask {
                    for n in 0..<(batches * perBatch) {
                        // One reading a minute per meter, each posted on its own.
                        let telegram = try IngestFixture.multical21(id: UInt32(90_000_000 + c), key: Self.key,
                                                                    litres: UInt32(1000 + n), access: UInt8(truncatingIfNeeded: n))
                        _ = try await f.post(c % 2 == 0 ? "north" : "south", [telegram],
                                             receivedAt: "2026-11-21T\(10 + n / 60):\(String(format: "%02d", n % 60)):00Z")
                    }
                }
            }
            try await group.waitForAll()
        }
        done.set()
        let events = try await reader.value
        let ids = events.map(\.id)
        #expect(!ids.contains(-1))
        #expect(ids == ids.sorted() && Set(ids).count == ids.count, "the feed repeats or reorders events")
        let readingEvents = events.filter { $0.type == "reading.created" }
        #expect(readingEvents.count == clients * batches * perBatch)
        for meter in meters {
            let stored = try await f.readings(meter, token: f.adminA).compactMap { $0["time"] as? String }
            let fed = readingEvents.filter { $0.meterID == meter.uuidString.lowercased() }.compactMap(\.readingTime)
            #expect(stored.count == batches * perBatch)
            #expect(fed.sorted() == stored.sorted(), "every stored reading once in the feed")
        }
    }
}

/// What the concurrency test keeps of a feed item.
struct FedEvent: Sendable {
    var id: Int
    var type: String
    var meterID: String?
    var readingTime: String?

    init(_ json: [String: Any]) {
        id = (json["id"] as? String).flatMap { Int($0.dropFirst(), radix: 36) } ?? -1
        type = json["type"] as? String ?? ""
        meterID = json["meterId"] as? String
        readingTime = ((json["data"] as? [String: Any])?["reading"] as? [String: Any])?["time"] as? String
    }
}

/// A flag set once by the writers' side and read by the reader task.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
