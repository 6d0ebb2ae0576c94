internal import CShims
internal import Glibc
internal import Synchronization

/// An HTTP/1.1 server: one listening socket, one epoll event loop per core.
///
///     let server = HTTPServer(configuration: config, responder: app)
///     try server.start()
///     ...
///     server.shutdown(gracePeriod: .seconds(10))
public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(loops: [EventLoop], listenFd: Int32, port: Int)
        case stopped
    }

    private let core: ServerCore
    private let state = Mutex(State.idle)

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder,
                log: any LogSink = StandardErrorLog()) {
        core = ServerCore(configuration: configuration, responder: responder, log: log)
    }

    /// Binds and starts the event loops. Returns once the server accepts connections.
    public func start() throws(SocketError) {
        _ = fj_ignore_sigpipe()
        let config = core.configuration
        let (fd, port) = try Socket.listen(host: config.host, port: config.port, backlog: config.backlog)
        var loops: [EventLoop] = []
        do {
            for index in 0..<max(1, config.eventLoops) {
                let loop = try EventLoop(index: index, core: core, listenFd: fd)
                try loop.start()
                loops.append(loop)
            }
        } catch {
            for loop in loops { loop.push(.call { loop.beginDrain(deadline: 0) }) }
            for loop in loops { loop.join() }
            Glibc.close(fd)
            throw error
        }
        state.withLock { $0 = .running(loops: loops, listenFd: fd, port: port) }
    }

    /// The bound port (useful with port 0); 0 when not running.
    public var port: Int {
        state.withLock { if case .running(_, _, let port) = $0 { port } else { 0 } }
    }

    /// True from the moment shutdown begins; readiness probes should then fail.
    public var isDraining: Bool { core.draining.load(ordering: .relaxed) }

    /// Connections open right now, across all loops.
    public var openConnections: Int { core.connections.load(ordering: .relaxed) }

    /// Stops accepting, lets in-flight requests finish for up to `gracePeriod`, then closes
    /// everything. Blocks until every loop has stopped. Safe to call more than once.
    public func shutdown(gracePeriod: Duration = .seconds(10)) {
        let running = state.withLock { s -> ([EventLoop], Int32)? in
            guard case .running(let loops, let fd, _) = s else { return nil }
            s = .stopped
            return (loops, fd)
        }
        guard let (loops, fd) = running else { return }
        core.draining.store(true, ordering: .relaxed)
        let deadline = monotonicNanos() + gracePeriod.nanoseconds
        for loop in loops { loop.push(.call { loop.beginDrain(deadline: deadline) }) }
        for loop in loops { loop.join() }
        Glibc.close(fd)
    }
}
