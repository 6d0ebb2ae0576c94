internal import FoundationEssentials
internal import Store
internal import Synchronization

/// Runs key retrieval: on demand (`start`) and on each tenant's schedule (`startSchedule`). A
/// run fetches every page from the stored cursor first and then applies them in one
/// transaction, so a failure anywhere leaves nothing half-applied and the cursor where it was.
final class KeySyncService: Sendable {
    let store: Store
    let vault: KeyVault
    let fetcher: any KeyServerFetching
    let changes: any MeterChanges
    /// The length of a schedule minute (tests shorten it) and how often schedules are checked.
    let minute: Duration
    private let scheduler = Mutex<Task<Void, Never>?>(nil)

    static let maxPages = 1000
    static let maxKeys = 200_000
    static let maxErrors = 100

    init(store: Store, vault: KeyVault, fetcher: any KeyServerFetching, changes: any MeterChanges, minute: Duration = .seconds(60)) {
        self.store = store
        self.vault = vault
        self.fetcher = fetcher
        self.changes = changes
        self.minute = minute
    }

    /// Begins a run (409 while one runs) and carries it on in the background.
    func start(tenant: Int64, trigger: String, audit: AuditEntry) async throws -> KeySyncRunRecord {
        let run = try await store.beginKeySyncRun(tenant: tenant, trigger: trigger, audit: audit)
        Task.detached { await self.execute(tenant: tenant, run: run) }
        return run
    }

    func execute(tenant: Int64, run: KeySyncRunRecord) async {
        var received = 0
        do {
            let fetched = try await fetchAll(tenant: tenant, from: run.startCursor, received: &received)
            let outcome = try await store.finishKeySyncRun(tenant: tenant, run: run.rowID, keys: fetched.keys, received: received,
                                                           errors: fetched.errors, cursor: fetched.cursor, sealer: vault,
                                                           maxErrors: Self.maxErrors)
            // Telegrams waiting for these meters' keys are decoded now.
            if outcome.created + outcome.updated > 0 { changes.metersChanged(tenant: tenant) }
        } catch {
            let detail = (error as? KeyServerFailure)?.detail ?? "the run could not be completed: \(error)"
            do {
                try await store.failKeySyncRun(tenant: tenant, run: run.rowID, error: detail, received: received)
            } catch {
                AppLog.error("a key retrieval run could not be marked failed", [("tenant", String(tenant)), ("error", "\(error)")])
            }
        }
    }

    struct Fetched {
        var keys: [DeliveredKey] = []
        var errors: [KeySyncRunError] = []
        var cursor: String?
    }

    /// Follows `nextCursor` from `cursor` until a page has none. The cursor reached is the last
    /// one the server gave (the next run asks `since` it).
    func fetchAll(tenant: Int64, from cursor: String?, received: inout Int) async throws -> Fetched {
        guard let settings = try await store.keySyncSettings(tenant: tenant) else {
            throw KeyServerFailure(detail: "key retrieval is not configured")
        }
        var token: String?
        if let sealed = settings.sealedToken {
            guard let bytes = try? vault.unseal(sealed, context: Self.tokenContext(tenant)) else {
                throw KeyServerFailure(detail: "the stored token cannot be opened (was the master key changed?); set it again")
            }
            token = String(decoding: bytes, as: UTF8.self)
        }
        var fetched = Fetched(cursor: cursor)
        for _ in 0..<Self.maxPages {
            let url = Self.pageURL(base: settings.baseURL, since: fetched.cursor)
            let reply = try await fetcher.get(KeyServerRequest(url: url, bearerToken: token,
                                                              clientCertificatePath: settings.clientCertificatePath,
                                                              clientKeyPath: settings.clientKeyPath, verifyPeer: settings.verifyPeer,
                                                              caFile: settings.caFile))
            guard reply.status == 200 else {
                throw KeyServerFailure(detail: "the key server answered HTTP \(reply.status) to GET \(url)")
            }
            let page: KeyServerPage
            do {
                page = try KeyServerPage.parse(reply.body, firstIndex: received)
            } catch {
                throw KeyServerFailure(detail: "\(error.detail) (GET \(url))")
            }
            received += page.keys.count
            guard received <= Self.maxKeys else {
                throw KeyServerFailure(detail: "the key server delivered more than \(Self.maxKeys) meters in one run")
            }
            for entry in page.keys {
                switch entry {
                case .success(let key): fetched.keys.append(key)
                case .failure(let error): fetched.errors.append(error)
                }
            }
            guard let next = page.nextCursor, next != fetched.cursor else { return fetched }
            fetched.cursor = next
        }
        throw KeyServerFailure(detail: "the key server gave more than \(Self.maxPages) pages in one run")
    }

    /// `{base}/meters`, with `since` when a cursor is known (percent-encoded: it is the server's).
    static func pageURL(base: String, since cursor: String?) -> String {
        var url = base
        while url.hasSuffix("/") { url.removeLast() }
        url += "/meters"
        guard let cursor else { return url }
        return url + "?since=" + percentEncoded(cursor)
    }

    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
            if unreserved { out.unicodeScalars.append(Unicode.Scalar(b)) } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }

    /// The token is sealed bound to its tenant, so it opens for nothing else.
    static func tokenContext(_ tenant: Int64) -> String { "key-server-token:\(tenant)" }

    // MARK: schedule

    /// Checks every schedule once a `minute`; a tenant whose last run started at least its
    /// interval ago gets a new one. A failed run is simply followed by the next one.
    func startSchedule() {
        let task = Task.detached { [self] in
            while !Task.isCancelled {
                await runDueSchedules()
                try? await Task.sleep(for: minute)
            }
        }
        scheduler.withLock { $0 = task }
    }

    func stopSchedule() async {
        let task = scheduler.withLock { t -> Task<Void, Never>? in
            defer { t = nil }
            return t
        }
        task?.cancel()
        await task?.value
    }

    func runDueSchedules() async {
        do {
            for s in try await store.scheduledKeySyncs() {
                let due = s.lastStart.map { Date().timeIntervalSince($0) >= Self.seconds(minute) * Double(s.intervalMinutes) } ?? true
                guard due else { continue }
                do {
                    _ = try await start(tenant: s.tenant, trigger: "schedule",
                                        audit: AuditEntry(type: "key-sync.run-started", principal: "system", client: "key-sync"))
                } catch StoreError.conflict {
                    // Still running from before: the next check tries again.
                }
            }
        } catch {
            AppLog.error("scheduled key retrieval failed to start", [("error", "\(error)")])
        }
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

extension KeyVault: MeterKeyOpening {}
