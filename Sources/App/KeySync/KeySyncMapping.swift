internal import API
internal import Store

extension Components.Schemas.KeySyncSettings {
    init(_ s: KeySyncSettingsRecord) {
        self.init(baseUrl: s.baseURL, hasToken: s.sealedToken != nil, clientCertificatePath: s.clientCertificatePath,
                  clientKeyPath: s.clientKeyPath, intervalMinutes: s.intervalMinutes, verifyPeer: s.verifyPeer, caFile: s.caFile,
                  cursor: s.cursor, updatedAt: s.updatedAt)
    }
}

extension Components.Schemas.KeySyncRun {
    init(_ r: KeySyncRunRecord) {
        self.init(id: r.id, trigger: r.trigger == "schedule" ? .schedule : .manual,
                  state: r.state == "running" ? .running : r.state == "succeeded" ? .succeeded : .failed,
                  startedAt: r.startedAt, finishedAt: r.finishedAt, received: r.received, created: r.created, updated: r.updated,
                  unchanged: r.unchanged, rejected: r.rejected, errors: r.errors.map { .init(serial: $0.serial, reason: $0.reason) },
                  error: r.error, startCursor: r.startCursor, cursor: r.cursor)
    }
}
