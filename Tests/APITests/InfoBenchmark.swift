import Testing
import FoundationEssentials
import HTTPServer
import API

/// Router + decode + handler + encode for GET /v1/info, in-process. Not a timed test: it prints.
/// `FJERN_BENCH=1 swift test -c release --filter InfoBenchmark`
@Suite struct InfoBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FJERN_BENCH"] == "1"))
    func getInfo() async throws {
        let responder = APIResponder(handler: StubHandler())
        let request = HTTPRequest(method: .get, path: "/v1/info")
        let iterations = 200_000
        var bytes = 0
        for _ in 0..<10_000 { bytes &+= try await responder.respond(to: request).body.count }
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for _ in 0..<iterations { bytes &+= try await responder.respond(to: request).body.count }
        }
        let nanoseconds = Double(elapsed.components.attoseconds) / 1e9 + Double(elapsed.components.seconds) * 1e9
        print("GET /v1/info responder: \(Int(nanoseconds / Double(iterations))) ns/request (\(bytes) bytes)")
        let router = Router(API.Routes.operations)
        let routing = clock.measure {
            for _ in 0..<iterations { if case .found(let i, _) = router.match(method: .get, path: "/v1/info") { bytes &+= i } }
        }
        let info = API.Components.Schemas.Info(name: "fjern", version: "0.1.0",
                                               build: .init(configuration: .debug, compiler: "6.3.1", startedAt: StubHandler.startedAt))
        let encoding = clock.measure {
            for _ in 0..<iterations { bytes &+= ResponseEncoding.json(200, info).body.count }
        }
        print("router.match: \(routing / iterations), encode Info: \(encoding / iterations)")
    }
}
