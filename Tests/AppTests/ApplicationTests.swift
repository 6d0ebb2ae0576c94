import FoundationEssentials
import Glibc
import Testing
@testable import App
@testable import HTTPServer
import TestSupport

/// The real application on an ephemeral port with a temporary data directory, over sockets.
@Suite("Application over real sockets", .blockingIO)
struct ApplicationTests {
    static func withApp(_ body: (Application) throws -> Void) async throws {
        var template = Array("/tmp/fjern-test-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        defer { _ = try? FileManager.default.removeItem(atPath: dir) }
        var options = ServeOptions()
        options.port = 0
        options.dataDirectory = dir + "/data/nested"
        options.logRequests = false
        let app = Application(options: options, log: DiscardLog())
        try await app.start()
        do {
            try body(app)
        } catch {
            await app.stop()
            throw error
        }
        await app.stop()
    }

    func get(_ path: String, port: Int) throws -> RawClient.Response {
        let client = try RawClient(port: port)
        try client.send("GET \(path) HTTP/1.1\r\nHost: test\r\n\r\n")
        return try client.readResponse()
    }

    @Test func probesAndInfo() async throws {
        try await Self.withApp { app in
            #expect(try get("/healthz", port: app.port).text == #"{"status":"ok"}"#)
            #expect(try get("/readyz", port: app.port).text == #"{"status":"ready"}"#)
            let info = try get("/v1/info", port: app.port)
            #expect(info.status == 200)
            #expect(info.headers["Content-Type"] == "application/json")
            #expect(info.text.hasPrefix(#"{"name":"fjern","version":"\#(BuildInfo.version)","build":{"configuration":"#))
            #expect(info.headers["X-Request-Id"]?.isEmpty == false)
        }
    }

    @Test func readinessFailsOnceShutdownBegins() async throws {
        try await Self.withApp { app in
            app.readiness.set(false)
            let response = try get("/readyz", port: app.port)
            #expect(response.status == 503)
            #expect(response.headers["Retry-After"] == "1")
            #expect(response.headers["Content-Type"] == "application/problem+json")
        }
    }

    @Test func servesItsContractByteForByte() async throws {
        let specURL = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "openapi.yaml")
        let onDisk = try Data(contentsOf: specURL)
        try await Self.withApp { app in
            let response = try get("/openapi.yaml", port: app.port)
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"] == "application/yaml")
            #expect(Data(response.body) == onDisk)
        }
    }

    @Test func contractViolationsAreProblems() async throws {
        try await Self.withApp { app in
            let unknown = try get("/v1/info?verbose=1", port: app.port)
            #expect(unknown.status == 400)
            #expect(unknown.headers["Content-Type"] == "application/problem+json")
            #expect(unknown.text.contains(##""pointer":"#/query/verbose""##))
            #expect(try get("/v1/nothing", port: app.port).status == 404)
            let client = try RawClient(port: app.port)
            try client.send("DELETE /v1/info HTTP/1.1\r\nHost: test\r\n\r\n")
            let wrongMethod = try client.readResponse()
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.headers["Allow"]?.contains("GET") == true)
        }
    }

    @Test func dataDirectoryMustBeUsable() async throws {
        var options = ServeOptions()
        options.port = 0
        options.dataDirectory = "/proc/fjern-cannot-exist"
        let app = Application(options: options, log: DiscardLog())
        await #expect(throws: Application.StartupError.self) { try await app.start() }
    }
}

struct DiscardLog: LogSink {
    func write(_ bytes: [UInt8]) {}
}
