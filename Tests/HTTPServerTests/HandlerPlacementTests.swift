import Glibc
import Testing
@testable import HTTPServer
import TestSupport

/// Where handlers run decides whether a handler that blocks its thread stalls other clients.
/// One event loop in each test, so "other connections" share the loop with the blocker.
@Suite("Handler placement", .blockingIO)
struct HandlerPlacementTests {
    /// Milliseconds for `count` quick requests on a fresh connection.
    func quickRequests(_ count: Int, port: Int) throws -> Int {
        let client = try RawClient(port: port)
        let start = nowSpec()
        for _ in 0..<count {
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
        return milliseconds(since: start)
    }

    @Test func workerPoolKeepsOthersServed() throws {
        try withServer({ $0.eventLoops = 1; $0.workerThreads = 2; $0.handlerPlacement = .workerPool }) { server in
            let blocker = try RawClient(port: server.port)
            try blocker.send("GET /block?1500 HTTP/1.1\r\nHost: a\r\n\r\n")
            usleep(100_000)
            #expect(try quickRequests(20, port: server.port) < 1000)
            #expect(try blocker.readResponse().status == 200)
        }
    }

    @Test func eventLoopPlacementStallsTheLoop() throws {
        // The trade-off the other placements exist for: proof that the tests above can fail.
        try withServer({ $0.eventLoops = 1; $0.handlerPlacement = .eventLoop }) { server in
            let blocker = try RawClient(port: server.port)
            try blocker.send("GET /block?800 HTTP/1.1\r\nHost: a\r\n\r\n")
            usleep(100_000)
            #expect(try quickRequests(1, port: server.port) >= 400)
            #expect(try blocker.readResponse().status == 200)
        }
    }

    @Test func autoSendsLargeBodiesToThePool() throws {
        try withServer({ $0.eventLoops = 1; $0.workerThreads = 2; $0.handlerPlacement = .auto(bodyThreshold: 1024) }) { server in
            let blocker = try RawClient(port: server.port)
            let body = [UInt8](repeating: UInt8(ascii: "x"), count: 4096)
            try blocker.send("POST /block?1500 HTTP/1.1\r\nHost: a\r\nContent-Length: \(body.count)\r\n\r\n")
            try blocker.send(body)
            usleep(100_000)
            #expect(try quickRequests(20, port: server.port) < 1000)
            #expect(try blocker.readResponse().status == 200)
        }
    }

    @Test func poolExhaustionIsBoundedByTheInFlightLimit() throws {
        try withServer({ $0.eventLoops = 1; $0.workerThreads = 1; $0.handlerPlacement = .workerPool
                         $0.maxInFlightRequests = 2 }) { server in
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            try first.send("GET /block?700 HTTP/1.1\r\nHost: a\r\n\r\n")
            try second.send("GET /block?10 HTTP/1.1\r\nHost: a\r\n\r\n")
            usleep(100_000)
            // The one worker is busy and a request waits for it: a third is refused, not queued.
            let third = try RawClient(port: server.port)
            try third.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let refused = try third.readResponse()
            #expect(refused.status == 503)
            #expect(refused.headers["Retry-After"] != nil)
            #expect(try first.readResponse().status == 200)
            #expect(try second.readResponse().status == 200)
        }
    }

    @Test func placementNames() {
        #expect(HandlerPlacement(name: "auto") == .automatic)
        #expect(HandlerPlacement(name: "pool") == .workerPool)
        #expect(HandlerPlacement(name: "loop") == .eventLoop)
        #expect(HandlerPlacement(name: "threads") == nil)
        #expect(HandlerPlacement.automatic.runsOnPool(bodySize: 64 * 1024 + 1))
        #expect(!HandlerPlacement.automatic.runsOnPool(bodySize: 64 * 1024))
    }
}
