public import FoundationEssentials
internal import SQLite

/// Key-server settings and runs. A run is begun (at most one running per tenant, by a partial
/// unique index), and either finished with everything it fetched applied in one transaction,
/// with the cursor moved on, or failed with nothing applied.
extension Store {
    public func keySyncSettings(tenant: Int64) async throws -> KeySyncSettingsRecord? {
        try await pool.read { conn in try Store.keySyncSettings(tenant: tenant, conn) }
    }

    static func keySyncSettings(tenant: Int64, _ conn: Connection) throws -> KeySyncSettingsRecord? {
        var found: KeySyncSettingsRecord?
        try conn.query("""
            SELECT base_url, token_sealed, client_certificate_path, client_key_path, interval_minutes, verify_peer, ca_file,
                cursor, version, updated_at FROM key_sync_settings WHERE tenant_id = ?
            """, [tenant]) { row in
            found = KeySyncSettingsRecord(baseURL: row.string(0), sealedToken: row.isNull(1) ? nil : row.blob(1),
                                          clientCertificatePath: row[2], clientKeyPath: row[3], intervalMinutes: row[4],
                                          verifyPeer: row.bool(5), caFile: row[6], cursor: row[7], version: row.int(8),
                                          updatedAt: Store.date(row.int64(9)))
        }
        return found
    }

    /// Replaces the settings (the cursor stays, unless `resetCursor`); `ifVersion` as If-Match.
    /// `keepToken`: the caller sent no token, so the stored one stays.
    public func putKeySyncSettings(tenant: Int64, _ s: KeySyncSettingsRecord, keepToken: Bool, resetCursor: Bool,
                                   ifVersion: Int?, audit: AuditEntry) async throws -> KeySyncSettingsRecord {
        try await pool.write { conn in
            let current = try Store.keySyncSettings(tenant: tenant, conn)
            if let ifVersion, ifVersion != (current?.version ?? 0) {
                throw StoreError.versionMismatch(current: current?.version ?? 0)
            }
            let token = keepToken ? current?.sealedToken : s.sealedToken
            let cursor = resetCursor ? nil : current?.cursor
            try conn.execute("""
                INSERT INTO key_sync_settings (tenant_id, base_url, token_sealed, client_certificate_path, client_key_path,
                    interval_minutes, verify_peer, ca_file, cursor, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET base_url = excluded.base_url, token_sealed = excluded.token_sealed,
                    client_certificate_path = excluded.client_certificate_path, client_key_path = excluded.client_key_path,
                    interval_minutes = excluded.interval_minutes, verify_peer = excluded.verify_peer, ca_file = excluded.ca_file,
                    cursor = excluded.cursor, version = key_sync_settings.version + 1, updated_at = excluded.updated_at
                """, [tenant, s.baseURL, token, s.clientCertificatePath, s.clientKeyPath, s.intervalMinutes, s.verifyPeer,
                      s.caFile, cursor, Store.now()])
            var entry = audit
            entry.target = "/v1/key-sync/settings"
            try Store.insertAudit(entry, tenant: tenant, conn)
            return try Store.keySyncSettings(tenant: tenant, conn)!
        }
    }

    /// Starts a run; `.conflict` while another runs, `.invalid` without settings.
    public func beginKeySyncRun(tenant: Int64, trigger: String, audit: AuditEntry) async throws -> KeySyncRunRecord {
        try await pool.write { conn in
            guard let settings = try Store.keySyncSettings(tenant: tenant, conn) else {
                throw StoreError.conflict("Key retrieval is not configured: PUT /v1/key-sync/settings first.")
            }
            let id = Store.newPublicID()
            do {
                try conn.execute("""
                    INSERT INTO key_sync_runs (public_id, tenant_id, trigger, state, started_at, start_cursor, cursor)
                    VALUES (?, ?, ?, 'running', ?, ?, ?)
                    """, [id, tenant, trigger, Store.now(), settings.cursor, settings.cursor])
            } catch let error as SQLiteError where error.isUniqueViolation {
                throw StoreError.conflict("A key retrieval run is already running for this tenant.")
            }
            var entry = audit
            entry.target = "/v1/key-sync/runs/\(id)"
            try Store.insertAudit(entry, tenant: tenant, conn)
            return try Store.keySyncRun(tenant: tenant, id: id, conn)
        }
    }

    /// Applies what the run fetched, records its counts and first errors, moves the cursor on and
    /// marks the run succeeded: all in one transaction. Returns the meters written.
    public func finishKeySyncRun(tenant: Int64, run: Int64, keys: [DeliveredKey], received: Int, errors: [KeySyncRunError],
                                 cursor: String?, sealer: any MeterKeyOpening, maxErrors: Int) async throws -> KeyDeliveryOutcome {
        try await pool.write { conn in
            let now = Store.now()
            let (outcome, _) = try Store.applyDeliveredKeys(tenant: tenant, keys, source: "key-server", sealer: sealer, now: now, conn)
            try conn.execute("""
                UPDATE key_sync_runs SET state = 'succeeded', finished_at = ?, received = ?, created = ?, updated = ?,
                    unchanged = ?, rejected = ?, cursor = ? WHERE id = ?
                """, [now, received, outcome.created, outcome.updated, outcome.unchanged, errors.count, cursor, run])
            try Store.insertRunErrors(run: run, errors.prefix(maxErrors), conn)
            try conn.execute("UPDATE key_sync_settings SET cursor = ? WHERE tenant_id = ?", [cursor, tenant])
            try Store.insertAudit(AuditEntry(type: "key-sync.run-succeeded", principal: "system", client: "key-sync",
                                             target: "/v1/key-sync/runs/\(try Store.runPublicID(run, conn))",
                                             details: #"{"received":\#(received),"created":\#(outcome.created),"updated":\#(outcome.updated),"unchanged":\#(outcome.unchanged),"rejected":\#(errors.count)}"#),
                                  tenant: tenant, conn)
            return outcome
        }
    }

    /// Marks the run failed with its reason; nothing it fetched is applied and the cursor stays.
    public func failKeySyncRun(tenant: Int64, run: Int64, error: String, received: Int) async throws {
        try await pool.write { conn in
            // Nothing changed, so nothing to audit: the run itself records the failure.
            try conn.execute("UPDATE key_sync_runs SET state = 'failed', finished_at = ?, error = ?, received = ? WHERE id = ?",
                             [Store.now(), error, received, run])
        }
    }

    /// After a restart no run is running: those that were are failed.
    public func failInterruptedKeySyncRuns() async throws {
        _ = try await pool.write { conn in
            try conn.execute("""
                UPDATE key_sync_runs SET state = 'failed', finished_at = ?, error = 'The server stopped during the run.'
                WHERE state = 'running'
                """, [Store.now()])
        }
    }

    /// Tenants with scheduled runs, with their interval and the start of their last run.
    public func scheduledKeySyncs() async throws -> [(tenant: Int64, intervalMinutes: Int, lastStart: Date?)] {
        try await pool.read { conn in
            var rows: [(Int64, Int, Date?)] = []
            try conn.query("""
                SELECT s.tenant_id, s.interval_minutes, (SELECT max(started_at) FROM key_sync_runs r WHERE r.tenant_id = s.tenant_id)
                FROM key_sync_settings s WHERE s.interval_minutes IS NOT NULL
                """) { row in rows.append((row.int64(0), row.int(1), row.isNull(2) ? nil : Store.date(row.int64(2)))) }
            return rows
        }
    }

    public func keySyncRun(tenant: Int64, id: UUID) async throws -> KeySyncRunRecord {
        try await pool.read { conn in try Store.keySyncRun(tenant: tenant, id: id.uuidString.lowercased(), conn) }
    }

    public func keySyncRuns(tenant: Int64, limit: Int, cursor: String?) async throws -> Page<KeySyncRunRecord> {
        let before = try Store.rowID(fromCursor: cursor) ?? Int64.max
        return try await pool.read { conn in
            var rows: [(KeySyncRunRecord, Int64)] = []
            // Newest first: the latest run is what one looks for.
            try conn.query("SELECT \(Store.runColumns) FROM key_sync_runs WHERE tenant_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                           [tenant, before, limit + 1]) { row in
                let run = Store.run(row)
                rows.append((run, run.rowID))
            }
            var page = Store.page(rows, limit: limit)
            for i in page.items.indices { page.items[i].errors = try Store.runErrors(page.items[i].rowID, conn) }
            return page
        }
    }

    static let runColumns = """
        id, public_id, trigger, state, started_at, finished_at, received, created, updated, unchanged, rejected,
        start_cursor, cursor, error
        """

    static func run(_ row: Row) -> KeySyncRunRecord {
        KeySyncRunRecord(rowID: row.int64(0), id: UUID(uuidString: row.string(1)) ?? UUID(), trigger: row.string(2),
                         state: row.string(3), startedAt: date(row.int64(4)), finishedAt: row.isNull(5) ? nil : date(row.int64(5)),
                         received: row.int(6), created: row.int(7), updated: row.int(8), unchanged: row.int(9),
                         rejected: row.int(10), startCursor: row[11], cursor: row[12], error: row[13], errors: [])
    }

    static func keySyncRun(tenant: Int64, id: String, _ conn: Connection) throws -> KeySyncRunRecord {
        var found: KeySyncRunRecord?
        try conn.query("SELECT \(runColumns) FROM key_sync_runs WHERE tenant_id = ? AND public_id = ?", [tenant, id]) {
            found = run($0)
        }
        guard var found else { throw StoreError.notFound("key retrieval run") }
        found.errors = try runErrors(found.rowID, conn)
        return found
    }

    static func runErrors(_ run: Int64, _ conn: Connection) throws -> [KeySyncRunError] {
        var errors: [KeySyncRunError] = []
        try conn.query("SELECT serial, reason FROM key_sync_run_errors WHERE run_id = ? ORDER BY n", [run]) {
            errors.append(KeySyncRunError(serial: $0.string(0), reason: $0.string(1)))
        }
        return errors
    }

    static func insertRunErrors(run: Int64, _ errors: ArraySlice<KeySyncRunError>, _ conn: Connection) throws {
        for (n, e) in errors.enumerated() {
            try conn.execute("INSERT INTO key_sync_run_errors (run_id, n, serial, reason) VALUES (?, ?, ?, ?)", [run, n, e.serial, e.reason])
        }
    }

    static func runPublicID(_ run: Int64, _ conn: Connection) throws -> String {
        try conn.scalar("SELECT public_id FROM key_sync_runs WHERE id = ?", [run]) ?? ""
    }
}
