import Glibc
import Testing
@testable import HTTPServer
import TestSupport

/// Every limit answers its status as problem+json, closes that connection, and leaves the
/// server serving everyone else.
@Suite("Server over real sockets: limits and hostile input", .blockingIO)
struct ServerLimitsTests {
    func expectRefused(_ raw: String, status: Int, port: Int, file: StaticString = #filePath) throws {
        let client = try RawClient(port: port)
        try client.send(raw)
        let response = try client.readResponse()
        #expect(response.status == status, "\(raw.prefix(60).debugDescription)")
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(response.headers["Connection"] == "close")
        #expect(response.text.contains("\"status\":\(status)"))
        #expect(client.readsEOF())
        // Others are unharmed.
        let other = try RawClient(port: port)
        try other.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try other.readResponse().status == 200)
    }

    @Test func malformedInputGetsProblems() throws {
        try withServer { server in
            try expectRefused("GET / HTTP/1.1\nHost: a\n\n", status: 400, port: server.port)
            try expectRefused("GARBAGE\r\n\r\n", status: 400, port: server.port)
            try expectRefused("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", status: 400, port: server.port)
            try expectRefused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400, port: server.port)
            try expectRefused("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n", status: 400, port: server.port)
            try expectRefused("GET / HTTP/1.1\r\nHost: a\r\nX: \u{0}\r\n\r\n", status: 400, port: server.port)
            try expectRefused("GET / HTTP/3.0\r\nHost: a\r\n\r\n", status: 505, port: server.port)
            try expectRefused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501, port: server.port)
        }
    }

    @Test func sizeLimits() throws {
        try withServer({
            $0.limits.maxRequestLine = 1024
            $0.limits.maxHeaderBytes = 4096
            $0.limits.maxHeaderCount = 20
            $0.limits.maxBodySize = 1000
        }) { server in
            try expectRefused("GET /" + String(repeating: "a", count: 2000) + " HTTP/1.1\r\nHost: a\r\n\r\n", status: 414, port: server.port)
            try expectRefused("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 5000) + "\r\n\r\n", status: 431, port: server.port)
            try expectRefused("GET / HTTP/1.1\r\nHost: a\r\n" + (0..<25).map { "X\($0): v\r\n" }.joined() + "\r\n", status: 431, port: server.port)
            try expectRefused("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n", status: 413, port: server.port)
            try expectRefused("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3E9\r\n" + String(repeating: "x", count: 1001) + "\r\n0\r\n\r\n", status: 413, port: server.port)
            // The per-route override is 10 bytes.
            try expectRefused("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n12345678901", status: 413, port: server.port)
        }
    }

    @Test func slowlorisHeadTimesOut() throws {
        try withServer({ $0.requestHeadTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            let start = nowSpec()
            try client.send("GET /hello HTTP/1.1\r\nHo")
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(milliseconds(since: start) < 8000) // a cap for a loaded machine; the timeout is 300 ms
            #expect(client.readsEOF())
        }
    }

    @Test func silentConnectionIsClosed() throws {
        try withServer({ $0.requestHeadTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            #expect(client.readsEOF())
        }
    }

    @Test func slowBodyTimesOut() throws {
        try withServer({ $0.requestBodyTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n12")
            #expect(try client.readResponse().status == 408)
        }
    }

    @Test func idleKeepAliveIsClosed() throws {
        try withServer({ $0.idleTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            let start = nowSpec()
            #expect(client.readsEOF())
            #expect(milliseconds(since: start) < 8000) // a cap for a loaded machine; the timeout is 300 ms
        }
    }

    @Test func connectionLimitAnswers503() throws {
        try withServer({ $0.maxConnections = 2 }) { server in
            let a = try RawClient(port: server.port)
            let b = try RawClient(port: server.port)
            try a.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            try b.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            _ = try a.readResponse()
            _ = try b.readResponse()
            let c = try RawClient(port: server.port)
            let refused = try c.readResponse()
            #expect(refused.status == 503)
            #expect(refused.headers["Retry-After"] == "1")
        }
    }

    @Test func overloadAnswers503WithRetryAfter() throws {
        try withServer({ $0.maxInFlightRequests = 1 }) { server in
            let busy = try RawClient(port: server.port)
            try busy.send("GET /slow?500 HTTP/1.1\r\nHost: a\r\n\r\n")
            usleep(100_000)
            let other = try RawClient(port: server.port)
            try other.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let refused = try other.readResponse()
            #expect(refused.status == 503)
            #expect(refused.headers["Retry-After"] == "1")
            #expect(try busy.readResponse().status == 200)
            // Capacity comes back.
            try other.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try other.readResponse().status == 200)
        }
    }

    @Test func slowReaderIsDropped() throws {
        try withServer({ $0.writeTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            let size = 32 << 20
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(size)\r\n\r\n")
            try client.send([UInt8](repeating: 7, count: size))
            // Read nothing; the server gives up on us and keeps serving others.
            usleep(1_500_000)
            let other = try RawClient(port: server.port)
            try other.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try other.readResponse().status == 200)
            let all = (try? client.readAll()) ?? []
            #expect(all.count < size)
        }
    }
}

@Suite("Server over real sockets: pipelined floods", .blockingIO)
struct PipelineFloodTests {
    @Test func thousandsOfPipelinedRequestsRefusedWhileOverloaded() throws {
        // Every request is answered at once with 503 (no capacity): all 20,000 answers arrive, in order,
        // and the server neither stalls nor drops the connection.
        try withServer({ $0.maxInFlightRequests = 0; $0.maxPipelineBuffer = 1 << 20 }) { server in
            let client = try RawClient(port: server.port, timeoutSeconds: 20)
            let count = 20_000
            let one = "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n"
            try client.send(String(repeating: one, count: count))
            for _ in 0..<count {
                #expect(try client.readResponse().status == 503)
            }
        }
    }

    @Test func refusedBodyGetsItsOwnRequestID() throws {
        let log = MemoryLog()
        try withServer({ $0.limits.maxBodySize = 10 }, log: log) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let first = try client.readResponse().headers["X-Request-Id"]
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n")
            let refused = try client.readResponse()
            #expect(refused.status == 413)
            #expect(refused.headers["X-Request-Id"] != first)
        }
    }
}
