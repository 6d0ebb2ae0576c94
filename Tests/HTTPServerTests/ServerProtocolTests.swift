import Glibc
import Testing
@testable import HTTPServer
import TestSupport

@Suite("Server over real sockets: protocol", .blockingIO)
struct ServerProtocolTests {
    @Test func pipelinedRequestsAnsweredInOrder() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /slow?200 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nfirst"
                + "POST /echo?n=2 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n"
                + "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == #"{"slow":true}"#)
            #expect(try client.readResponse().text == "first")
            let second = try client.readResponse()
            #expect(second.text == "second")
            #expect(second.headers["X-Query"] == "n=2")
            #expect(try client.readResponse().text == #"{"hello":"world"}"#)
        }
    }

    @Test func chunkedBodyInPieces() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
            try client.send("4\r\nWi")
            try client.send("ki\r\n5;ext=1\r\npedia\r\n0\r\n")
            try client.send("\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "Wikipedia")
        }
    }

    @Test func largeBodyRoundTrip() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            let body = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(body.count)\r\n\r\n")
            try client.send(body)
            let response = try client.readResponse()
            #expect(response.body == body)
        }
    }

    @Test func expectContinue() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            var interim = [UInt8](repeating: 0, count: 25)
            let n = interim.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, 25, 0) }
            #expect(String(decoding: interim[0..<max(0, n)], as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
            try client.send("data")
            #expect(try client.readResponse().text == "data")
        }
    }

    @Test func expectContinueWithOversizedBodyIsRefusedWithout100() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
        }
    }

    @Test func headHasLengthButNoBody() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try client.readResponse(head: true)
            #expect(head.headers["Content-Length"] == "17")
            #expect(head.body.isEmpty)
            #expect(try client.readResponse().text == #"{"hello":"world"}"#)
        }
    }

    @Test func connectionCloseAndHTTP10() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            #expect(try client.readResponse().headers["Connection"] == "close")
            #expect(client.readsEOF())

            let old = try RawClient(port: server.port)
            try old.send("GET /hello HTTP/1.0\r\n\r\n")
            #expect(try old.readResponse().status == 200)
            #expect(old.readsEOF())

            let kept = try RawClient(port: server.port)
            try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().headers["Connection"] == "keep-alive")
            try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().status == 200)
        }
    }

    @Test func clientHalfCloseStillGetsAnswer() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /slow?100 HTTP/1.1\r\nHost: a\r\n\r\n")
            client.shutdownWrite()
            #expect(try client.readResponse().status == 200)
            #expect(client.readsEOF())
        }
    }

    @Test func handlerErrorsBecomeProblems() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n")
            let boom = try client.readResponse()
            #expect(boom.status == 500)
            #expect(boom.headers["Content-Type"] == "application/problem+json")
            #expect(!boom.text.contains("Boom"))
            #expect(boom.text.contains(boom.headers["X-Request-Id"] ?? "missing"))
            try client.send("GET /teapot HTTP/1.1\r\nHost: a\r\n\r\n")
            let teapot = try client.readResponse()
            #expect(teapot.status == 418)
            #expect(teapot.text.contains(#""detail":"short and stout""#))
        }
    }

    @Test func unhandledErrorsAreLoggedToTheServersSink() throws {
        let log = MemoryLog()
        var requestID = ""
        try withServer(log: log) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n")
            requestID = try client.readResponse().headers["X-Request-Id"] ?? "missing"
        }
        let line = log.all.first { $0.contains(#""msg":"unhandled error""#) }
        #expect(line?.contains(#""requestId":"\#(requestID)""#) == true)
        #expect(line?.contains("Boom") == true)
    }

    @Test func responseHeadersCannotInjectLines() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /inject HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.headers["Set-Cookie"] == nil)
            #expect(response.headers["X-Evil"] == "a  Set-Cookie: x=1")
        }
    }

    @Test func noContentHasNoLength() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /no-content HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 204)
            #expect(response.headers["Content-Length"] == nil)
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func requestIDsAreEchoedWhenSaneAndLogged() throws {
        let log = MemoryLog()
        try withServer(log: log) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\nX-Request-Id: abc-123.x\r\n\r\n")
            #expect(try client.readResponse().headers["X-Request-Id"] == "abc-123.x")
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\nX-Request-Id: a\"b<script>\r\n\r\n")
            let generated = try client.readResponse().headers["X-Request-Id"] ?? ""
            #expect(generated != "a\"b<script>" && !generated.isEmpty)
        }
        let lines = log.all.filter { $0.contains(#""msg":"request""#) }
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""method":"GET","route":"/hello","status":200"#) == true)
        #expect(lines.first?.contains(#""requestId":"abc-123.x""#) == true)
    }

    @Test func requestLoggingCanBeTurnedOff() throws {
        let log = MemoryLog()
        try withServer({ $0.logRequests = false }, log: log) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            _ = try client.readResponse()
        }
        #expect(log.all.filter { $0.contains(#""msg":"request""#) }.isEmpty)
    }
}
