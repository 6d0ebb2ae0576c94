import Glibc
import Synchronization
@testable import HTTPServer
import TestSupport

/// Routes for exercising the server: echo, slow, throwing, a small-body route.
struct TestResponder: HTTPResponder {
    struct Boom: Error {}

    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        switch request.path {
        case "/hello":
            return .json(200, Array(#"{"hello":"world"}"#.utf8), route: "/hello")
        case "/echo":
            var headers: HTTPHeaders = ["Content-Type": "application/octet-stream"]
            headers.add("X-Method", request.method.rawValue)
            headers.add("X-Query", request.query ?? "")
            return HTTPResponse(status: 200, headers: headers, body: request.body, route: "/echo")
        case "/slow":
            try await Task.sleep(for: .milliseconds(Int(request.query ?? "1000") ?? 1000))
            return .json(200, Array(#"{"slow":true}"#.utf8), route: "/slow")
        case "/block":
            // Blocks its thread, as a handler doing synchronous work would.
            usleep(UInt32(Int(request.query ?? "1000") ?? 1000) * 1000)
            return .json(200, Array(#"{"blocked":true}"#.utf8), route: "/block")
        case "/boom":
            throw Boom()
        case "/teapot":
            throw ProblemDetails(status: 418, detail: "short and stout")
        case "/inject":
            return HTTPResponse(status: 200, headers: ["X-Evil": "a\r\nSet-Cookie: x=1"], route: "/inject")
        case "/no-content":
            return HTTPResponse(status: 204, route: "/no-content")
        default:
            return ProblemDetails(status: 404, detail: "No route.").response()
        }
    }

    func maxBodySize(method: HTTPMethod, path: String) -> Int? {
        path == "/small" ? 10 : nil
    }
}

/// Collects log lines in memory.
final class MemoryLog: LogSink {
    private let lines = Mutex<[String]>([])
    func write(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        lines.withLock { $0 += text.split(separator: "\n").map(String.init) }
    }
    var all: [String] { lines.withLock { $0 } }
}

/// A started server on an ephemeral loopback port; shut down by the test.
func makeServer(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                responder: any HTTPResponder = TestResponder(), log: MemoryLog = MemoryLog()) throws -> HTTPServer {
    var config = HTTPServerConfiguration()
    config.port = 0
    config.eventLoops = 2
    configure(&config)
    let server = HTTPServer(configuration: config, responder: responder, log: log)
    try server.start()
    return server
}

func withServer(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                log: MemoryLog = MemoryLog(),
                _ body: (HTTPServer) throws -> Void) throws {
    let server = try makeServer(configure, log: log)
    defer { server.shutdown(gracePeriod: .seconds(2)) }
    try body(server)
}
