internal import API
internal import Glibc
public import HTTPServer

/// Starts Fjern with its options and runs it until SIGTERM or SIGINT.
public final class Application: Sendable {
    public let options: ServeOptions
    public let readiness = Readiness()
    private let server: HTTPServer

    public init(options: ServeOptions, log: any LogSink = StandardErrorLog()) {
        self.options = options
        var config = HTTPServerConfiguration()
        config.host = options.host
        config.port = options.port
        config.logRequests = options.logRequests
        if let loops = options.eventLoops { config.eventLoops = loops }
        config.handlerPlacement = options.handlerPlacement
        if let n = options.maxConnections { config.maxConnections = n }
        if let n = options.maxInFlightRequests { config.maxInFlightRequests = n }
        if let n = options.maxBodyBytes { config.limits.maxBodySize = n }
        if let n = options.requestHeadTimeoutSeconds { config.requestHeadTimeout = .seconds(n) }
        if let n = options.idleTimeoutSeconds { config.idleTimeout = .seconds(n) }
        let api = FjernAPI(operations: OperationsHandlers(readiness: readiness))
        server = HTTPServer(configuration: config, responder: APIResponder(handler: api), log: log)
    }

    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Prepares the data directory and opens the listener. After this returns the server answers.
    public func start() throws(StartupError) {
        try DataDirectory.prepare(options.dataDirectory)
        do {
            try server.start()
        } catch {
            throw StartupError(description: "cannot listen on \(options.host):\(options.port): \(error)")
        }
        readiness.set(true)
        AppLog.info("listening", [("addr", "http://\(hostForURL):\(server.port)"),
                                  ("dataDir", options.dataDirectory), ("version", BuildInfo.version)])
    }

    /// The bound port (the real one when the options asked for port 0).
    public var port: Int { server.port }

    /// Fails readiness first, then drains and closes.
    public func stop() {
        readiness.set(false)
        server.shutdown(gracePeriod: .seconds(options.shutdownGraceSeconds))
    }

    /// `fjern serve`: start, wait for a shutdown signal, drain, return the exit code.
    public static func serve(options: ServeOptions) -> Int32 {
        ShutdownSignal.install()
        let app = Application(options: options)
        do {
            try app.start()
        } catch {
            AppLog.error("startup failed", [("reason", error.description)])
            return 1
        }
        let signal = ShutdownSignal.wait()
        AppLog.info("shutting down", [("signal", signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "\(signal)"),
                                      ("graceSeconds", String(options.shutdownGraceSeconds))])
        app.stop()
        AppLog.info("stopped")
        return 0
    }

    private var hostForURL: String { options.host.contains(":") ? "[\(options.host)]" : options.host }
}
