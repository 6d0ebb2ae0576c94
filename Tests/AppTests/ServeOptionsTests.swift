import Testing
import TestSupport
@testable import App
import HTTPServer

@Suite("fjern serve options", .blockingIO)
struct ServeOptionsTests {
    @Test func defaults() throws {
        let options = try ServeOptions.parse([], environment: [:])
        #expect(options.host == "127.0.0.1")
        #expect(options.port == 8080)
        #expect(options.dataDirectory == "./data")
        #expect(options.logRequests)
    }

    @Test func environmentThenFlags() throws {
        let env = ["FJERN_ADDR": "0.0.0.0:9000", "FJERN_DATA_DIR": "/var/lib/fjern", "FJERN_LOG_REQUESTS": "off"]
        let fromEnv = try ServeOptions.parse([], environment: env)
        #expect(fromEnv.host == "0.0.0.0" && fromEnv.port == 9000)
        #expect(fromEnv.dataDirectory == "/var/lib/fjern")
        #expect(!fromEnv.logRequests)
        let flags = try ServeOptions.parse(["--addr", "[::1]:0", "--data-dir=/tmp/x", "--log-requests", "on"], environment: env)
        #expect(flags.host == "::1" && flags.port == 0)
        #expect(flags.dataDirectory == "/tmp/x")
        #expect(flags.logRequests)
        #expect(try ServeOptions.parse(["--event-loops", "3"], environment: [:]).eventLoops == 3)
        #expect(try ServeOptions.parse([], environment: ["FJERN_EVENT_LOOPS": "1"]).eventLoops == 1)
        #expect(try ServeOptions.parse(["--handlers", "loop"], environment: [:]).handlerPlacement == .eventLoop)
        #expect(try ServeOptions.parse([], environment: ["FJERN_HANDLERS": "pool"]).handlerPlacement == .workerPool)
        #expect(try ServeOptions.parse([], environment: [:]).handlerPlacement == .automatic)
    }

    @Test(arguments: [
        ["--addr"], ["--addr", "nohost"], ["--addr", ":80"], ["--addr", "a:99999"], ["--addr", "a:x"],
        ["--addr", "[::1]8080"], ["--log-requests", "maybe"], ["--bogus"], ["--data-dir="], ["--shutdown-grace", "-1"], ["--event-loops", "0"], ["--event-loops", "x"], ["--handlers", "threads"],
    ])
    func rejectsBadArguments(arguments: [String]) {
        #expect(throws: ServeOptions.UsageError.self) { try ServeOptions.parse(arguments, environment: [:]) }
    }

    @Test func limits() throws {
        let options = try ServeOptions.parse(["--max-connections", "50", "--max-body-bytes=1024", "--idle-timeout", "5"],
                                             environment: ["FJERN_MAX_IN_FLIGHT": "7", "FJERN_REQUEST_HEAD_TIMEOUT": "3"])
        #expect(options.maxConnections == 50)
        #expect(options.maxBodyBytes == 1024)
        #expect(options.idleTimeoutSeconds == 5)
        #expect(options.maxInFlightRequests == 7)
        #expect(options.requestHeadTimeoutSeconds == 3)
        #expect(throws: ServeOptions.UsageError.self) { try ServeOptions.parse(["--max-connections", "0"], environment: [:]) }
        #expect(throws: ServeOptions.UsageError.self) { try ServeOptions.parse([], environment: ["FJERN_IDLE_TIMEOUT": "x"]) }
    }

    @Test func authThrottle() throws {
        let defaults = try ServeOptions.parse([], environment: [:])
        #expect((defaults.authSlowAfter, defaults.authBlockAfter) == (5, 20))
        let options = try ServeOptions.parse(["--auth-slow-after", "50"], environment: ["FJERN_AUTH_BLOCK_AFTER": "200"])
        #expect((options.authSlowAfter, options.authBlockAfter) == (50, 200))
        #expect(throws: ServeOptions.UsageError.self) { try ServeOptions.parse(["--auth-block-after", "0"], environment: [:]) }
    }

    @Test func badEnvironmentIsAnError() {
        #expect(throws: ServeOptions.UsageError.self) { try ServeOptions.parse([], environment: ["FJERN_ADDR": "x"]) }
    }
}
