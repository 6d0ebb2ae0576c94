internal import Glibc

/// Everything the server can be told, with defaults fit for an API behind a load balancer.
public struct HTTPServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks an ephemeral port; read it back from `HTTPServer.port`.
    public var port = 8080
    /// One epoll thread per core by default.
    public var eventLoops = max(1, sysconfNumberOfCores())
    public var limits = HTTPLimits()
    /// Time from a request's first byte (or a new connection) to its complete head: slowloris guard (408).
    public var requestHeadTimeout: Duration = .seconds(10)
    /// Time from a complete head to a complete body (408).
    public var requestBodyTimeout: Duration = .seconds(60)
    /// A keep-alive connection with no request in progress is closed after this.
    public var idleTimeout: Duration = .seconds(60)
    /// A client that reads nothing of a pending response for this long is dropped.
    public var writeTimeout: Duration = .seconds(30)
    public var maxConnections = 10_000
    /// Requests being handled at once across the server; beyond it, 503 + Retry-After.
    public var maxInFlightRequests = 4_096
    /// Bytes buffered from one connection while its previous request is still being handled
    /// (pipelining); reading pauses beyond this.
    public var maxPipelineBuffer = 256 * 1024
    public var backlog: Int32 = 1024
    /// Seconds suggested in `Retry-After` when overloaded.
    public var retryAfterSeconds = 1
    /// One JSON line per request on the log.
    public var logRequests = true

    public init() {}
}

func sysconfNumberOfCores() -> Int {
    Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
