import Glibc
import Testing
@testable import HTTPServer
import TestSupport

@Suite("Server over real sockets: concurrency and shutdown", .blockingIO)
struct ServerConcurrencyTests {
    @Test func slowHandlerDoesNotStallOthers() throws {
        try withServer({ $0.eventLoops = 1 }) { server in
            let slow = try RawClient(port: server.port, timeoutSeconds: 30)
            // Ratios, not timings: 50 quick requests finish long before one slow one does.
            try slow.send("GET /slow?10000 HTTP/1.1\r\nHost: a\r\n\r\n")
            let start = nowSpec()
            let fast = try RawClient(port: server.port)
            for _ in 0..<50 {
                try fast.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try fast.readResponse().status == 200)
            }
            #expect(milliseconds(since: start) < 8000)
            #expect(try slow.readResponse().status == 200)
        }
    }

    @Test func manyConcurrentConnections() throws {
        try withServer { server in
            let clients = try (0..<300).map { _ in try RawClient(port: server.port) }
            for (i, client) in clients.enumerated() {
                try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(String(i).utf8.count)\r\n\r\n\(i)")
            }
            for (i, client) in clients.enumerated() {
                #expect(try client.readResponse().text == String(i))
            }
            #expect(server.openConnections == 300)
        }
    }

    @Test func parallelClientsOnThreads() throws {
        try withServer { server in
            let failures = UnsafeMutablePointer<Int>.allocate(capacity: 8)
            failures.initialize(repeating: 0, count: 8)
            defer { failures.deallocate() }
            let threads = (0..<8).map { t in
                Background {
                    do {
                        let client = try RawClient(port: server.port)
                        for n in 0..<200 {
                            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n\(t)-\(format3(n))")
                            if try client.readResponse().text != "\(t)-\(format3(n))" { failures[t] += 1 }
                        }
                    } catch {
                        failures[t] += 1000
                    }
                }
            }
            threads.forEach { $0.join() }
            #expect((0..<8).map { failures[$0] }.reduce(0, +) == 0)
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequests() throws {
        let server = try makeServer()
        let busy = try RawClient(port: server.port)
        let idle = try RawClient(port: server.port)
        try idle.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = try idle.readResponse()
        try busy.send("GET /slow?600 HTTP/1.1\r\nHost: a\r\n\r\n")
        usleep(100_000)
        let start = nowSpec()
        let stopper = Background { server.shutdown(gracePeriod: .seconds(60)) }
        // The idle keep-alive connection is closed at once...
        #expect(idle.readsEOF())
        // ...the in-flight request completes, told the connection closes...
        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.headers["Connection"] == "close")
        stopper.join()
        // Well before the 60 s grace period: shutdown ends when the work does, not when the grace runs out.
        #expect(milliseconds(since: start) < 20_000)
        // ...and nobody is accepted any more.
        #expect((try? RawClient(port: server.port)) == nil)
    }

    @Test func shutdownGivesUpAfterGracePeriod() throws {
        let server = try makeServer()
        let busy = try RawClient(port: server.port)
        try busy.send("GET /slow?60000 HTTP/1.1\r\nHost: a\r\n\r\n")
        usleep(100_000)
        let start = nowSpec()
        server.shutdown(gracePeriod: .milliseconds(300))
        // Long before the 60 s request would have finished.
        #expect(milliseconds(since: start) < 15_000)
        #expect(busy.readsEOF())
    }
}

private func format3(_ n: Int) -> String {
    n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)"
}
