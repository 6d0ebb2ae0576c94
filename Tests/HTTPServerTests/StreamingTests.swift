import Glibc
import Synchronization
import Testing
@testable import HTTPServer
import TestSupport

/// What the test producers saw, shared with the test.
final class StreamProbe: Sendable {
    let produced = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)
}

/// `count` chunks `tick N\n`, then the end.
struct Ticks: HTTPBodyStream {
    let count: Int
    let probe: StreamProbe

    func next() async -> [UInt8]? {
        let n = probe.produced.add(1, ordering: .relaxed).oldValue
        return n < count ? Array("tick \(n)\n".utf8) : nil
    }
}

/// A chunk every 20 ms until cancelled; `size` bytes each, produced as fast as asked when `paced` is false.
struct Endless: HTTPBodyStream {
    let size: Int
    let paced: Bool
    let probe: StreamProbe

    func next() async -> [UInt8]? {
        do {
            try await Task.sleep(for: .milliseconds(paced ? 20 : 0))
        } catch {
            probe.cancelled.add(1, ordering: .relaxed)
            return nil
        }
        if Task.isCancelled {
            probe.cancelled.add(1, ordering: .relaxed)
            return nil
        }
        probe.produced.add(1, ordering: .relaxed)
        return [UInt8](repeating: UInt8(ascii: "x"), count: size)
    }
}

struct StreamResponder: HTTPResponder {
    let probe: StreamProbe

    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        let stream: any HTTPBodyStream
        switch request.path {
        case "/ticks": stream = Ticks(count: Int(request.query ?? "3") ?? 3, probe: probe)
        case "/endless": stream = Endless(size: 16, paced: true, probe: probe)
        case "/flood": stream = Endless(size: 256 * 1024, paced: false, probe: probe)
        default: return ProblemDetails(status: 404, detail: "No route.").response()
        }
        return HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], stream: stream)
    }
}

/// Polls `condition` for up to `seconds`.
func eventually(_ seconds: Double = 3, _ condition: () -> Bool) -> Bool {
    let start = nowSpec()
    while milliseconds(since: start) < Int(seconds * 1000) {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

@Suite("Server over real sockets: streamed responses", .blockingIO)
struct StreamingTests {
    @Test func chunksAreFramedAndTheStreamEnds() throws {
        let probe = StreamProbe()
        let server = try makeServer(responder: StreamResponder(probe: probe))
        defer { server.shutdown(gracePeriod: .seconds(2)) }
        let client = try RawClient(port: server.port)
        try client.send("GET /ticks?3 HTTP/1.1\r\nHost: a\r\n\r\n")
        let reader = StreamReader(fd: client.fd)
        let (status, headers) = try reader.head()
        #expect(status == 200)
        #expect(headers["Transfer-Encoding"] == "chunked")
        #expect(headers["Content-Length"] == nil)
        #expect(headers["Content-Type"] == "text/event-stream")
        #expect(headers["Connection"] == "close")
        #expect(try reader.chunk() == Array("tick 0\n".utf8))
        #expect(try reader.chunk() == Array("tick 1\n".utf8))
        #expect(try reader.chunk() == Array("tick 2\n".utf8))
        #expect(try reader.chunk() == nil)
        #expect(reader.readsEOF())
    }

    @Test func http10GetsTheBodyUntilClose() throws {
        let probe = StreamProbe()
        let server = try makeServer(responder: StreamResponder(probe: probe))
        defer { server.shutdown(gracePeriod: .seconds(2)) }
        let client = try RawClient(port: server.port)
        try client.send("GET /ticks?2 HTTP/1.0\r\n\r\n")
        let text = String(decoding: try client.readAll(), as: UTF8.self)
        #expect(!text.contains("Transfer-Encoding"))
        #expect(text.hasSuffix("\r\n\r\ntick 0\ntick 1\n"))
    }

    @Test func headGetsNoBodyAndNoStream() throws {
        let probe = StreamProbe()
        let server = try makeServer(responder: StreamResponder(probe: probe))
        defer { server.shutdown(gracePeriod: .seconds(2)) }
        let client = try RawClient(port: server.port)
        try client.send("HEAD /endless HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try client.readResponse(head: true)
        #expect(response.status == 200)
        usleep(100_000)
        #expect(probe.produced.load(ordering: .relaxed) == 0)
    }

    @Test func clientDisconnectCancelsTheProducer() throws {
        let probe = StreamProbe()
        let server = try makeServer(responder: StreamResponder(probe: probe))
        defer { server.shutdown(gracePeriod: .seconds(2)) }
        do {
            let client = try RawClient(port: server.port)
            try client.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
            let reader = StreamReader(fd: client.fd)
            _ = try reader.head()
            #expect(try reader.chunk()?.count == 16)
        }
        // The client is gone (its socket closed): the producer is cancelled and stops.
        #expect(eventually { probe.cancelled.load(ordering: .relaxed) == 1 })
        let after = probe.produced.load(ordering: .relaxed)
        usleep(200_000)
        #expect(probe.produced.load(ordering: .relaxed) == after)
        #expect(eventually { server.openConnections == 0 })
    }

    @Test func aSlowClientHoldsTheProducerBack() throws {
        let probe = StreamProbe()
        let server = try makeServer(responder: StreamResponder(probe: probe))
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let client = try RawClient(port: server.port)
        try client.send("GET /flood HTTP/1.1\r\nHost: a\r\n\r\n")
        // Nothing is read: once the socket buffers are full the producer is not asked again,
        // so the count settles (an unbounded buffer would keep growing).
        var previous = -1
        var settled = false
        for _ in 0..<40 {
            usleep(200_000)
            let n = probe.produced.load(ordering: .relaxed)
            if n > 0 && n == previous {
                settled = true
                break
            }
            previous = n
        }
        #expect(settled)
        // 256 KiB chunks: what the kernel's socket buffers hold, not thousands.
        #expect(previous < 100)
        withExtendedLifetime(client) {}
    }

    @Test func shutdownEndsOpenStreamsPromptly() throws {
        let probe = StreamProbe()
        let server = try makeServer(responder: StreamResponder(probe: probe))
        var stopper: Background?
        var start = nowSpec()
        do {
            let client = try RawClient(port: server.port)
            try client.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
            let reader = StreamReader(fd: client.fd)
            _ = try reader.head()
            _ = try reader.chunk()
            start = nowSpec()
            stopper = Background { server.shutdown(gracePeriod: .seconds(60)) }
            // The body ends properly (the last chunk), then the server closes its side.
            while try reader.chunk() != nil {}
            #expect(reader.readsEOF())
        }
        stopper?.join()
        // Far inside the grace period: streams end with the drain instead of holding it up
        // (a stream that held it would take the whole 60 s; the cap leaves room for a loaded machine).
        #expect(milliseconds(since: start) < 20_000)
        #expect(probe.cancelled.load(ordering: .relaxed) == 1)
    }

    @Test func streamsBeyondTheLimitGet503() throws {
        let probe = StreamProbe()
        let server = try makeServer({ $0.maxStreams = 1 }, responder: StreamResponder(probe: probe))
        defer { server.shutdown(gracePeriod: .seconds(2)) }
        do {
            let first = try RawClient(port: server.port)
            try first.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try StreamReader(fd: first.fd).head().status == 200)
            let second = try RawClient(port: server.port)
            try second.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
            let refused = try second.readResponse()
            #expect(refused.status == 503)
            #expect(refused.headers["Retry-After"] != nil)
            #expect(refused.headers["Content-Type"] == "application/problem+json")
        }
        // The slot is free again once the first stream's client leaves.
        #expect(eventually { server.openConnections == 0 })
        let third = try RawClient(port: server.port)
        try third.send("GET /ticks?1 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try StreamReader(fd: third.fd).head().status == 200)
    }
}
