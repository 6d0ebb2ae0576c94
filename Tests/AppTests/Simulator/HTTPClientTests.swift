import Foundation
import Glibc
import Testing
@testable import App
import API
import TestSupport

@Suite("Simulator: HTTP client", .serialized, .blockingIO)
struct HTTPClientTests {
    /// Against a real Fjern: keep-alive reuse, JSON bodies both ways, problem answers.
    @Test func talksToFjernOverOneConnection() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let client = try HTTPClient(url: "http://127.0.0.1:\(f.app.port)/", timeoutSeconds: 10)
        for _ in 0..<5 {
            let health = try client.request("GET", "/healthz")
            #expect(health.status == 200)
        }
        let me = try client.request("GET", "/v1/me", headers: [("Authorization", "Bearer \(f.adminA)")])
        #expect(me.status == 200 && me.text.contains("administrator"))
        let body = Array(#"{"name":"simulated uplink","role":"collector"}"#.utf8)
        let created = try client.request("POST", "/v1/tokens", headers: [("Authorization", "Bearer \(f.adminA)"),
                                                                           ("Content-Type", "application/json")], body: body)
        #expect(created.status == 201)
        let json = try JSONParser.parse(created.body)
        #expect(SimulatorAPI.string(json["secret"])?.hasPrefix("fj_") == true)
        #expect(created.header("location")?.hasPrefix("/v1/tokens/") == true)
        #expect(client.connectionsOpened == 1)
        // Problems become messages naming the call, status and detail.
        let api = SimulatorAPI(client: client)
        let failure = #expect(throws: SimulateFailure.self) {
            _ = try api.call("POST", "/v1/tokens", token: f.adminA, body: Array(#"{"name":""}"#.utf8))
        }
        #expect(failure?.message.contains("POST /v1/tokens -> 4") == true)
        let denied = #expect(throws: SimulateFailure.self) { _ = try api.call("GET", "/v1/me", token: "fj_wrong", body: nil) }
        #expect(denied?.message.contains("-> 401") == true)
        // A HEAD answer has no body to wait for.
        #expect(try client.request("HEAD", "/healthz").body.isEmpty)
        #expect(try client.request("GET", "/healthz").status == 200)
    }

    /// A keep-alive connection the server closed is replaced once; chunked bodies are joined.
    @Test func reconnectsOnceAndReadsChunkedBodies() throws {
        let server = try ScriptedServer(scripts: [
            .answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst", thenClose: true),
            .answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nsec\n\r\n3\r\nond\r\n0\r\nTrailer: t\r\n\r\n", thenClose: false),
            .answer("HTTP/1.1 201 Created\r\nConnection: close\r\n\r\nto the end", thenClose: true),
        ])
        let client = try HTTPClient(url: "http://127.0.0.1:\(server.port)", timeoutSeconds: 5)
        #expect(try client.request("GET", "/a").text == "first")
        let second = try client.request("POST", "/b", body: Array("x".utf8))
        #expect(second.status == 200 && second.text == "sec\nond")
        #expect(client.connectionsOpened == 2)
        let third = try client.request("GET", "/c")
        #expect(third.status == 201 && third.text == "to the end")
        server.join()
        #expect(server.requests.count == 3)
        #expect(server.requests[1].hasPrefix("POST /b HTTP/1.1\r\n") && server.requests[1].contains("Content-Length: 1\r\n"))
    }

    @Test func failsClearlyWithoutRetryingAFreshConnection() throws {
        let silent = try ScriptedServer(scripts: [.silence(milliseconds: 1500)])
        let slow = try HTTPClient(url: "http://127.0.0.1:\(silent.port)", timeoutSeconds: 0.3)
        let timeout = #expect(throws: HTTPClientError.self) { _ = try slow.request("GET", "/") }
        #expect(timeout?.description.contains("no response within") == true)
        silent.join()

        let closing = try ScriptedServer(scripts: [.close])
        let client = try HTTPClient(url: "http://127.0.0.1:\(closing.port)", timeoutSeconds: 2)
        let closed = #expect(throws: HTTPClientError.self) { _ = try client.request("GET", "/") }
        #expect(closed?.isClosedBeforeResponse == true && client.connectionsOpened == 1)
        closing.join()

        let garbage = try ScriptedServer(scripts: [.answer("NOT HTTP\r\n\r\n", thenClose: true)])
        let confused = try HTTPClient(url: "http://127.0.0.1:\(garbage.port)", timeoutSeconds: 2)
        let malformed = #expect(throws: HTTPClientError.self) { _ = try confused.request("GET", "/") }
        #expect(malformed?.description.contains("bad status line") == true)
        garbage.join()

        let refusedPort = try ScriptedServer(scripts: []).port  // closed again at once
        let refused = #expect(throws: HTTPClientError.self) { _ = try HTTPClient(url: "http://127.0.0.1:\(refusedPort)").request("GET", "/") }
        #expect(refused?.description.contains("cannot connect") == true)
    }

    @Test func parsesURLs() throws {
        let plain = try HTTPEndpoint(url: "http://example.test")
        #expect(plain.host == "example.test" && plain.port == 80 && plain.basePath == "" && plain.hostHeader == "example.test")
        let full = try HTTPEndpoint(url: "http://[::1]:8080/fjern/")
        #expect(full.host == "::1" && full.port == 8080 && full.basePath == "/fjern" && full.hostHeader == "[::1]:8080")
        for bad in ["https://x", "ftp://x", "http://", "http://x:0", "http://x:70000", "http://[::1", "http://x:port"] {
            #expect(throws: HTTPClientError.self, "\(bad)") { _ = try HTTPEndpoint(url: bad) }
        }
        #expect(throws: HTTPClientError.self) { _ = try HTTPClient(url: "http://no-such-host.invalid").request("GET", "/") }
    }
}

/// A loopback server that plays one script per accepted connection, on its own thread, and
/// records the request heads (and bodies) it read.
final class ScriptedServer: @unchecked Sendable {
    enum Script { case answer(String, thenClose: Bool), silence(milliseconds: Int), close }

    let port: Int
    private let fd: Int32
    private var thread: Background?
    private let lock = NSLock()
    private var received: [String] = []
    var requests: [String] { lock.withLock { received } }

    init(scripts: [Script]) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 8)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        fd = listener
        port = Int(UInt16(bigEndian: addr.sin_port))
        if scripts.isEmpty {
            Glibc.close(fd)
            return
        }
        thread = Background { [self] in self.play(scripts) }
    }

    func join() {
        thread?.join()
        Glibc.close(fd)
    }

    private func play(_ scripts: [Script]) {
        var connection: Int32 = -1
        for script in scripts {
            if connection < 0 { connection = accept(fd, nil, nil) }
            switch script {
            case .close:
                Glibc.close(connection)
                connection = -1
            case .silence(let milliseconds):
                usleep(UInt32(milliseconds * 1000))
                Glibc.close(connection)
                connection = -1
            case .answer(let text, let thenClose):
                let request = readRequest(connection)
                lock.withLock { received.append(request) }
                _ = Array(text.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if thenClose {
                    Glibc.close(connection)
                    connection = -1
                }
            }
        }
        if connection >= 0 { Glibc.close(connection) }
    }

    /// The head and, when it announces one, the body.
    private func readRequest(_ connection: Int32) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let text = String(decoding: bytes, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let length = text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if text[end.upperBound...].utf8.count >= length { return text }
            }
            let n = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return text }
            bytes += chunk[0..<n]
        }
    }
}
