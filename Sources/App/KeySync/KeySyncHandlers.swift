internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Key retrieval: the key-server settings, runs, and the KEM/KEM2 key-file import.
struct KeySyncHandlers: Sendable {
    let store: Store
    let vault: KeyVault
    let service: KeySyncService

    func settings(_ input: Operations.GetKeySyncSettings.Input) async throws -> Operations.GetKeySyncSettings.Output {
        guard let s = try await store.keySyncSettings(tenant: RequestContext.required.tenant) else {
            throw StoreError.notFound("key retrieval settings")
        }
        return .ok(.init(s), eTag: ETag.format(s.version))
    }

    func putSettings(_ input: Operations.PutKeySyncSettings.Input) async throws -> Operations.PutKeySyncSettings.Output {
        let c = RequestContext.required
        let b = input.body
        var errors: [ProblemDetails.FieldError] = []
        if !Self.allowedBaseURL(b.baseUrl) {
            errors.append(.init(pointer: "/baseUrl", detail: "must be https://, or http:// on a loopback host (127.0.0.1, localhost, [::1])"))
        }
        if (b.clientCertificatePath == nil) != (b.clientKeyPath == nil) {
            errors.append(.init(pointer: b.clientKeyPath == nil ? "/clientKeyPath" : "/clientCertificatePath",
                                detail: "a client certificate needs both clientCertificatePath and clientKeyPath"))
        }
        guard errors.isEmpty else { throw ProblemDetails(status: 422, detail: "The key-server settings are not valid.", errors: errors) }
        let sealedToken = try b.token.map { try vault.seal(Array($0.utf8), context: KeySyncService.tokenContext(c.tenant)) }
        let record = KeySyncSettingsRecord(baseURL: b.baseUrl, sealedToken: sealedToken, clientCertificatePath: b.clientCertificatePath,
                                           clientKeyPath: b.clientKeyPath, intervalMinutes: b.intervalMinutes,
                                           verifyPeer: b.verifyPeer ?? true, caFile: b.caFile)
        // The token is write-only: the audit says whether one was set, never what it is.
        let saved = try await store.putKeySyncSettings(tenant: c.tenant, record, keepToken: b.token == nil,
                                                       resetCursor: b.resetCursor ?? false, ifVersion: ETag.required(input.headers.ifMatch),
                                                       audit: c.audit(b.token == nil ? "key-sync.settings-updated" : "key-sync.settings-updated-with-token"))
        return .ok(.init(saved), eTag: ETag.format(saved.version))
    }

    func startRun(_ input: Operations.StartKeySyncRun.Input) async throws -> Operations.StartKeySyncRun.Output {
        let c = RequestContext.required
        let run = try await service.start(tenant: c.tenant, trigger: "manual", audit: c.audit("key-sync.run-started"))
        return .accepted(.init(run), location: Self.location(run.id))
    }

    func runs(_ input: Operations.ListKeySyncRuns.Input) async throws -> Operations.ListKeySyncRuns.Output {
        let page = try await store.keySyncRuns(tenant: RequestContext.required.tenant, limit: pageLimit(input.query.limit),
                                               cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.KeySyncRun.init), nextCursor: page.nextCursor))
    }

    func run(_ input: Operations.GetKeySyncRun.Input) async throws -> Operations.GetKeySyncRun.Output {
        .ok(.init(try await store.keySyncRun(tenant: RequestContext.required.tenant, id: input.path.runId)))
    }

    static func location(_ id: UUID) -> String { "/v1/key-sync/runs/\(id.uuidString.lowercased())" }

    /// https anywhere; plain http only to this machine (a local relay, the tests' key server).
    static func allowedBaseURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("https://") { return lower.count > 8 }
        guard lower.hasPrefix("http://") else { return false }
        let rest = lower.dropFirst(7)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else { return false }
        let host: Substring
        if authority.hasPrefix("[") {
            host = authority.prefix { $0 != "]" } + "]"
        } else {
            host = authority.prefix { $0 != ":" }
        }
        return host == "127.0.0.1" || host == "localhost" || host == "[::1]"
    }
}
