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
    /// Streamed responses (event streams) open at once across the server; beyond it, 503 + Retry-After.
    public var maxStreams = 256
    public var backlog: Int32 = 1024
    /// Seconds suggested in `Retry-After` when overloaded.
    public var retryAfterSeconds = 1
    /// One JSON line per request on the log.
    public var logRequests = true
    /// Threads of the handler worker pool (used as `handlerPlacement` says).
    public var workerThreads = max(2, sysconfNumberOfCores())
    /// Where handlers run; see `HandlerPlacement`.
    public var handlerPlacement = HandlerPlacement.automatic

    public init() {}
}

func sysconfNumberOfCores() -> Int {
    Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

/// Where a request's handler runs. Handlers must await, never block, for slow things (the
/// database has threads of its own); what placement decides is who pays for CPU work.
public enum HandlerPlacement: Sendable, Equatable {
    /// On the server's worker pool (`workerThreads` threads of its own). A handler
    /// that computes for long occupies a pool thread, never an event loop, so every other
    /// connection keeps being read and answered. Costs two thread hops per request.
    case workerPool
    /// On the connection's own event loop (the loop is the task's executor): no thread hop, the
    /// fastest placement, but a handler that computes for long stalls that loop's connections.
    case eventLoop
    /// Requests whose body is larger than `bodyThreshold` bytes (imports, ingest batches: work
    /// that grows with the input) go to the worker pool; the rest run on their event loop.
    case auto(bodyThreshold: Int)

    public static let automatic = HandlerPlacement.auto(bodyThreshold: 64 * 1024)

    /// The name used by `--handlers`.
    public var name: String {
        switch self {
        case .workerPool: "pool"
        case .eventLoop: "loop"
        case .auto: "auto"
        }
    }

    public init?(name: String) {
        switch name {
        case "pool": self = .workerPool
        case "loop": self = .eventLoop
        case "auto": self = .automatic
        default: return nil
        }
    }

    func runsOnPool(bodySize: Int) -> Bool {
        switch self {
        case .workerPool: true
        case .eventLoop: false
        case .auto(let threshold): bodySize > threshold
        }
    }
}
