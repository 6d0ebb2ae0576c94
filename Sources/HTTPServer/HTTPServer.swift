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
        case running(core: ServerCore, loops: [EventLoop], listenFd: Int32, port: Int)
        case stopped
    }

    private let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let log: any LogSink
    private let state = Mutex(State.idle)

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder,
                log: any LogSink = StandardErrorLog()) {
        self.configuration = configuration
        self.responder = responder
        self.log = log
    }

    /// Binds and starts the event loops and the worker pool. Returns once the server accepts connections.
    public func start() throws(SocketError) {
        _ = fj_ignore_sigpipe()
        let config = configuration
        let (fd, port) = try Socket.listen(host: config.host, port: config.port, backlog: config.backlog)
        let workers: WorkerPool
        do {
            workers = try WorkerPool(threads: config.workerThreads)
        } catch {
            Glibc.close(fd)
            throw error
        }
        let core = ServerCore(configuration: config, responder: responder, log: log, workers: workers)
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
            workers.stop()
            Glibc.close(fd)
            throw error
        }
        state.withLock { $0 = .running(core: core, loops: loops, listenFd: fd, port: port) }
    }

    /// The bound port (useful with port 0); 0 when not running.
    public var port: Int {
        state.withLock { if case .running(_, _, _, let port) = $0 { port } else { 0 } }
    }

    /// True from the moment shutdown begins; readiness probes should then fail.
    public var isDraining: Bool {
        state.withLock {
            switch $0 {
            case .idle: false
            case .running(let core, _, _, _): core.draining.load(ordering: .relaxed)
            case .stopped: true
            }
        }
    }

    /// Connections open right now, across all loops.
    public var openConnections: Int {
        state.withLock { if case .running(let core, _, _, _) = $0 { core.connections.load(ordering: .relaxed) } else { 0 } }
    }

    /// Stops accepting, lets in-flight requests finish for up to `gracePeriod`, then closes
    /// everything. Blocks until every loop has stopped. Safe to call more than once.
    public func shutdown(gracePeriod: Duration = .seconds(10)) {
        let running = state.withLock { s -> (ServerCore, [EventLoop], Int32)? in
            guard case .running(let core, let loops, let fd, _) = s else { return nil }
            s = .stopped
            return (core, loops, fd)
        }
        guard let (core, loops, fd) = running else { return }
        core.draining.store(true, ordering: .relaxed)
        let deadline = monotonicNanos() + gracePeriod.nanoseconds
        for loop in loops { loop.push(.call { loop.beginDrain(deadline: deadline) }) }
        for loop in loops { loop.join() }
        core.workers.stop()
        Glibc.close(fd)
    }
}
