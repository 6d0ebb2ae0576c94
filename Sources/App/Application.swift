internal import API
public import Outbound
internal import Glibc
public import HTTPServer
internal import Store
internal import Synchronization

/// Starts Fjern with its options and runs it until SIGTERM or SIGINT.
public final class Application: Sendable {
    public let options: ServeOptions
    public let readiness = Readiness()
    private let log: any LogSink
    private let throttle: AuthThrottle
    private let running = Mutex<(server: HTTPServer, store: Store)?>(nil)
    /// Sends what the outbox holds; without one, messages are queued and wait.
    private let transport: (any MessageTransport)?
    private let notificationTasks = Mutex<NotificationServices?>(nil)

    public convenience init(options: ServeOptions, log: any LogSink = StandardErrorLog(), transport: (any MessageTransport)? = nil) {
        self.init(options: options, log: log,
                  throttle: AuthThrottle(slowAfter: options.authSlowAfter, blockAfter: max(options.authBlockAfter, options.authSlowAfter)),
                  transport: transport)
    }

    init(options: ServeOptions, log: any LogSink, throttle: AuthThrottle, transport: (any MessageTransport)? = nil,
         outboxClock: any OutboxClock = SystemOutboxClock()) {
        self.options = options
        self.log = log
        self.throttle = throttle
        self.transport = transport
        self.outboxClock = outboxClock
    }

    private let outboxClock: any OutboxClock
    /// The outbox worker, notifier and digest scheduler while running (tests drive them).
    var notificationServices: NotificationServices? { notificationTasks.withLock { $0 } }

    /// The open database while running (tests inspect it directly).
    var store: Store? { running.withLock { $0?.store } }
    private let ingestService = Mutex<IngestService?>(nil)
    private let compactorTask = Mutex<ReadingCompactor?>(nil)
    private let prunerTask = Mutex<EventPruner?>(nil)
    private let dispatcherTask = Mutex<WebhookDispatcher?>(nil)
    private let keySyncService = Mutex<KeySyncService?>(nil)
    /// The ingest pipeline while running (tests tell it about meters they write directly).
    var ingest: IngestService? { ingestService.withLock { $0 } }

    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Prepares the data directory, opens and migrates the database, then opens the listener.
    /// After this returns the server answers.
    public func start() async throws(StartupError) {
        try DataDirectory.prepare(options.dataDirectory)
        let store: Store
        do {
            store = try await Store(directory: options.dataDirectory)
        } catch {
            throw StartupError(description: "cannot open the database in \(options.dataDirectory): \(String(describing: error))")
        }
        let vault: KeyVault
        do {
            vault = try KeyVault.open(dataDirectory: options.dataDirectory, environmentKey: options.masterKey)
        } catch {
            await store.close()
            throw error
        }
        let permissions = PermissionCache()
        let ingest = IngestService(store: store, vault: vault)
        ingestService.withLock { $0 = ingest }
        do {
            try await ingest.loadWaitingCompactFrames()
        } catch {
            await store.close()
            throw StartupError(description: "cannot read the pending telegrams: \(error)")
        }
        let compactor = ReadingCompactor(store: store)
        compactorTask.withLock { $0 = compactor }
        let pruner = EventPruner(store: store, retentionDays: options.eventRetentionDays)
        prunerTask.withLock { $0 = pruner }
        let dispatcher = WebhookDispatcher(store: store)
        dispatcherTask.withLock { $0 = dispatcher }
        let webhookSecrets = WebhookSecrets(store: store, vault: vault)
        let notifications = NotificationServices(store: store, vault: vault, transport: transport, clock: outboxClock,
                                                 maxAttempts: options.outboxMaxAttempts,
                                                 webhookSecret: { try await webhookSecrets.secret(tenant: $0, webhookRowID: $1) })
        notificationTasks.withLock { $0 = notifications }
        // A run cut short by a stop or crash is failed; its scheduled successor retries.
        do {
            try await store.failInterruptedKeySyncRuns()
        } catch {
            await store.close()
            throw StartupError(description: "cannot read the key retrieval runs: \(error)")
        }
        let keySync = KeySyncService(store: store, vault: vault, fetcher: CurlKeyServer(), changes: ingest)
        keySyncService.withLock { $0 = keySync }
        let api = FjernAPI(operations: OperationsHandlers(readiness: readiness),
                           access: AccessHandlers(store: store, permissions: permissions),
                           meters: MeterHandlers(store: store, vault: vault, changes: ingest),
                           units: UnitHandlers(store: store),
                           ingest: IngestHandlers(store: store, service: ingest),
                           infoCodes: InfoCodeHandlers(store: store),
                           consumptionAlerts: ConsumptionAlertHandlers(store: store),
                           webhooks: WebhookHandlers(store: store, secrets: webhookSecrets),
                           notifications: notifications.handlers,
                           keySync: KeySyncHandlers(store: store, vault: vault, service: keySync),
                           meteringPoints: MeteringPointHandlers(store: store),
                           exchanges: ExchangeHandlers(store: store),
                           groups: GroupHandlers(store: store),
                           map: MapHandlers(store: store),
                           customers: CustomerHandlers(store: store),
                           events: EventHandlers(store: store),
                           consumption: ConsumptionHandlers(store: store))
        // Chains are built per operation: public ones run none of these.
        let middleware: [any APIMiddleware] = [
            AuthMiddleware(store: store, throttle: throttle, permissions: permissions),
            IdempotencyMiddleware(store: store),
            ConstraintMapping(),
        ]
        let server = HTTPServer(configuration: serverConfiguration(),
                                responder: APIResponder(handler: api, middleware: middleware), log: log)
        do {
            try server.start()
        } catch {
            await store.close()
            throw StartupError(description: "cannot listen on \(options.host):\(options.port): \(error)")
        }
        running.withLock { $0 = (server, store) }
        compactor.start()
        pruner.start()
        dispatcher.start()
        notifications.start()
        keySync.startSchedule()
        readiness.set(true)
        AppLog.info("listening", [("addr", "http://\(hostForURL):\(server.port)"),
                                  ("dataDir", options.dataDirectory), ("version", BuildInfo.version)])
    }

    private func serverConfiguration() -> HTTPServerConfiguration {
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
        if let n = options.maxStreams { config.maxStreams = n }
        return config
    }

    /// The bound port (the real one when the options asked for port 0); 0 when not running.
    public var port: Int { running.withLock { $0?.server.port ?? 0 } }

    /// Fails readiness first, drains and closes the server, then closes the database.
    public func stop() async {
        readiness.set(false)
        guard let (server, store) = running.withLock({ value -> (HTTPServer, Store)? in
            defer { value = nil }
            return value.map { ($0.server, $0.store) }
        }) else { return }
        server.shutdown(gracePeriod: .seconds(options.shutdownGraceSeconds))
        await compactorTask.withLock { $0 }?.stop()
        await prunerTask.withLock { $0 }?.stop()
        await dispatcherTask.withLock { $0 }?.stop()
        await notificationTasks.withLock { $0 }?.stop()
        await keySyncService.withLock { $0 }?.stopSchedule()
        await store.close()
    }

    /// `fjern serve`: start, wait for a shutdown signal, drain, return the exit code.
    public static func serve(options: ServeOptions) async -> Int32 {
        ShutdownSignal.install()
        let app = Application(options: options, transport: CurlTransport())
        do {
            try await app.start()
        } catch {
            AppLog.error("startup failed", [("reason", error.description)])
            return 1
        }
        let signal = await ShutdownSignal.next()
        AppLog.info("shutting down", [("signal", signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "\(signal)"),
                                      ("graceSeconds", String(options.shutdownGraceSeconds))])
        await app.stop()
        AppLog.info("stopped")
        return 0
    }

    private var hostForURL: String { options.host.contains(":") ? "[\(options.host)]" : options.host }
}
