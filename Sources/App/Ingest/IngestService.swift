internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import MBus
internal import Store
internal import Synchronization

/// The ingest pipeline (DESIGN "Data flow" 1): find the unit and the meter, decrypt, decode,
/// commit through group commit, and answer per telegram. Decoding runs on the request's thread;
/// only the database work is serialised, in the shared write transaction.
final class IngestService: MeterChanges {
    let store: Store
    let directory: MeterDirectory
    let decoders = DecoderPool()
    private let retry = Mutex(RetryState())

    struct Unit: Sendable {
        var rowID: Int64
        var id: UUID
        var type: String
        /// The owner first, then the tenants it is shared with.
        var tenants: [Int64]
        var loadedAt: ContinuousClock.Instant
    }

    /// Unit bindings are cached briefly: a revoked share or deleted unit takes effect within this.
    static let unitCacheLifetime = Duration.seconds(5)
    private let units = Mutex<[UUID: Unit]>([:])

    init(store: Store, vault: KeyVault) {
        self.store = store
        self.directory = MeterDirectory(store: store, vault: vault)
    }

    struct Item: Sendable {
        var hex: String
        var receivedAt: Date?
        var rssi: Int?
    }

    /// One telegram's fate before the commit.
    enum Verdict {
        case readings([IngestReading], meterID: UUID?, address: MeterAddress)
        case pending([PendingTelegram], reason: String, detail: String, meterID: UUID?)
        case rejected(reason: String, detail: String)
    }

    func unit(for token: UUID) async throws -> Unit {
        let now = ContinuousClock.now
        if let cached = units.withLock({ $0[token] }), now - cached.loadedAt < Self.unitCacheLifetime { return cached }
        guard let found = try await store.ingestUnit(token: token) else {
            throw ProblemDetails(status: 403, detail: "This token is not bound to a collection unit; create one with POST /v1/collection-units/{unitId}/tokens.")
        }
        let unit = Unit(rowID: found.unit, id: found.id, type: found.type, tenants: found.tenants, loadedAt: now)
        units.withLock { $0[token] = unit }
        return unit
    }

    static func source(unitType: String, wired: Bool) -> ReadingSource {
        if wired { return .wired }
        switch unitType {
        case "field-device": return .driveBy
        case "4g-bridge": return .pointToPoint
        case "mbus-master": return .wired
        default: return .fixedNetwork
        }
    }

    /// Ingests a batch for the caller's unit; `viewer` is the caller's tenant (meter ids of other
    /// tenants' meters are not named in the answer).
    func ingest(_ items: [Item], wired: Bool, unit: Unit, viewer: Int64) async throws -> Components.Schemas.IngestResult {
        let now = Date()
        var verdicts: [Verdict] = []
        verdicts.reserveCapacity(items.count)
        let source = Self.source(unitType: unit.type, wired: wired)
        try await directory.ensureLoaded()
        decoders.withDecoder { decoder in
            for item in items {
                verdicts.append(judge(item, wired: wired, unit: unit, source: source, now: now, decoder: decoder))
            }
        }
        var readings: [IngestReading] = []
        var pending: [PendingTelegram] = []
        for v in verdicts {
            switch v {
            case .readings(let r, _, _): readings.append(contentsOf: r)
            case .pending(let p, _, _, _): pending.append(contentsOf: p)
            case .rejected: break
            }
        }
        let outcomes = try await store.commitIngest(readings: readings, pending: pending, resolved: [])
        retryCompactFrames(after: verdicts)
        return Self.result(verdicts, outcomes: outcomes, viewer: viewer)
    }

    static func result(_ verdicts: [Verdict], outcomes: [IngestOutcome], viewer: Int64) -> Components.Schemas.IngestResult {
        var results: [Components.Schemas.IngestItemResult] = []
        results.reserveCapacity(verdicts.count)
        var decoded = 0, duplicates = 0, pendingCount = 0, rejected = 0
        var next = 0
        for (index, v) in verdicts.enumerated() {
            switch v {
            case .readings(let r, let meterID, _):
                // Heard for several tenants: decoded if any tenant got a new reading.
                let mine = outcomes[next..<(next + r.count)]
                next += r.count
                if mine.contains(.stored) {
                    decoded += 1
                    results.append(.init(index: index, status: .decoded, meterId: meterID))
                } else {
                    duplicates += 1
                    results.append(.init(index: index, status: .duplicate, meterId: meterID))
                }
            case .pending(_, let reason, let detail, let meterID):
                pendingCount += 1
                results.append(.init(index: index, status: .pending, meterId: meterID, reason: reason, detail: detail))
            case .rejected(let reason, let detail):
                rejected += 1
                results.append(.init(index: index, status: .rejected, reason: reason, detail: detail))
            }
        }
        return .init(accepted: decoded + duplicates + pendingCount, decoded: decoded, duplicates: duplicates,
                     pending: pendingCount, rejected: rejected, results: results)
    }

    private func judge(_ item: Item, wired: Bool, unit: Unit, source: ReadingSource, now: Date, decoder: TelegramDecoder) -> Verdict {
        let bytes: [UInt8]
        switch HexText.decode(item.hex) {
        case .success(let b): bytes = b
        case .failure(let problem): return .rejected(reason: problem.reason, detail: problem.detail)
        }
        let received = Int64((item.receivedAt ?? now).timeIntervalSince1970.rounded(.down))
        let kind: Telegram.Kind, address: MeterAddress
        do {
            (kind, address) = try TelegramDecoder.meterAddress(of: bytes)
        } catch {
            return .rejected(reason: error.code.rawValue, detail: error.detail)
        }
        if wired != (kind == .mbus) {
            return .rejected(reason: "invalid-frame", detail: wired
                ? "not a wired M-Bus long frame (68 L L 68 ... 16); wireless telegrams go to /v1/ingest/telegrams"
                : "a wired M-Bus frame; send it to /v1/ingest/mbus-frames")
        }
        let candidates = directory.loadedCandidates(for: address, tenants: unit.tenants)
        let context = TelegramContext(bytes: bytes, kind: kind, address: address, unit: unit.rowID, receivedAt: received,
                                      rssi: item.rssi, source: source)
        return Self.judge(context, candidates: candidates, viewer: unit.tenants[0], decoder: decoder)
    }

    struct TelegramContext {
        var bytes: [UInt8]
        var kind: Telegram.Kind
        var address: MeterAddress
        var unit: Int64
        var receivedAt: Int64
        var rssi: Int?
        var source: ReadingSource

        func pending(tenant: Int64?, reason: String, detail: String) -> PendingTelegram {
            PendingTelegram(unit: unit, tenant: tenant, kind: kind == .mbus ? "mbus" : "wmbus", manufacturer: address.manufacturerCode,
                            serial: address.idString, version: Int(address.version), deviceType: Int(address.deviceType),
                            frame: bytes, receivedAt: receivedAt, rssi: rssi, reason: reason, detail: detail)
        }
    }

    static func judge(_ t: TelegramContext, candidates: [MeterDirectory.Entry], viewer: Int64, decoder: TelegramDecoder) -> Verdict {
        guard !candidates.isEmpty else {
            // Nobody's meter; still refuse what is not a telegram at all.
            do {
                _ = try decoder.decode(t.bytes)
            } catch {
                switch error.code {
                case .noKey, .unknownCompactFormat, .decryptionFailed, .macMismatch: break
                default: return .rejected(reason: error.code.rawValue, detail: error.detail)
                }
            }
            return .pending([t.pending(tenant: nil, reason: "unknown-meter", detail: "no meter \(t.address.manufacturerCode) \(t.address.idString) (version \(t.address.version), device type \(t.address.deviceType)) in the tenants using this unit")],
                            reason: "unknown-meter", detail: "no such meter", meterID: nil)
        }
        var readings: [IngestReading] = []
        var pending: [PendingTelegram] = []
        var firstPending: (String, String)?
        var visibleID: UUID?
        for meter in candidates {
            if meter.tenant == viewer { visibleID = meter.id }
            do {
                let telegram = try decoder.decode(t.bytes, options: DecodeOptions(key: meter.key))
                if meter.key != nil, telegram.security == .none {
                    return .rejected(reason: "spoofed-plaintext",
                                     detail: "a plaintext telegram for a meter that has a key is not trusted as its data")
                }
                let (data, codes, masks) = TelegramReading.encode(telegram)
                readings.append(IngestReading(meter: meter.rowID, tenant: meter.tenant, time: t.receivedAt, source: t.source, data: data,
                                              unit: t.unit, receivedAt: t.receivedAt, rssi: t.rssi, infoCodes: codes,
                                              infoCodeMasks: masks))
            } catch {
                let reason: String
                switch error.code {
                case .noKey: reason = "no-key"
                case .unknownCompactFormat: reason = "unknown-compact-format"
                case .decryptionFailed, .macMismatch:
                    if meter.key != nil, let plain = try? decoder.decode(t.bytes), plain.security == .none {
                        return .rejected(reason: "spoofed-plaintext",
                                         detail: "a plaintext telegram for a meter that has a key is not trusted as its data")
                    }
                    reason = "decryption-failed"
                default:
                    return .rejected(reason: error.code.rawValue, detail: error.detail)
                }
                pending.append(t.pending(tenant: meter.tenant, reason: reason, detail: error.detail))
                if firstPending == nil || meter.tenant == viewer { firstPending = (reason, error.detail) }
            }
        }
        if !readings.isEmpty {
            // Kept pending for another tenant's meter is that tenant's business, not this answer's.
            return .readings(readings, meterID: visibleID, address: t.address)
        }
        let (reason, detail) = firstPending ?? ("unknown-meter", "")
        return .pending(pending, reason: reason, detail: detail, meterID: visibleID)
    }

    // MARK: pending telegrams

    private struct RetryState {
        var running = false
        var queued: Set<Int64> = []
        /// Of these, only the pending telegrams are retried (the meters did not change).
        var pendingOnly: Set<Int64> = []
        /// Meters with compact frames waiting for their format, by tenant.
        var waitingForFormat: Set<WaitingMeter> = []
    }

    struct WaitingMeter: Hashable {
        var tenant: Int64
        var meter: MeterDirectory.Key
    }

    /// After a restart: the compact frames still waiting go on waiting for their full frames.
    func loadWaitingCompactFrames() async throws {
        let rows = try await store.metersWaitingForFormat()
        let meters = rows.compactMap { row in
            MeterDirectory.key(manufacturer: row.manufacturer, serial: row.serial).map { WaitingMeter(tenant: row.tenant, meter: $0) }
        }
        retry.withLock { $0.waitingForFormat.formUnion(meters) }
    }

    /// A compact frame waits for a full frame of its format; once a full frame of that meter
    /// decodes, the format is known and the waiting frames are retried.
    private func retryCompactFrames(after verdicts: [Verdict]) {
        var waiting: [WaitingMeter] = []
        var decoded: [WaitingMeter] = []
        for v in verdicts {
            switch v {
            case .pending(let p, let reason, _, _) where reason == "unknown-compact-format":
                for t in p {
                    guard let tenant = t.tenant, let key = MeterDirectory.key(manufacturer: t.manufacturer, serial: t.serial) else { continue }
                    waiting.append(WaitingMeter(tenant: tenant, meter: key))
                }
            case .readings(let r, _, let address):
                let key = MeterDirectory.Key(manufacturer: address.manufacturer, id: address.id)
                for reading in r { decoded.append(WaitingMeter(tenant: reading.tenant, meter: key)) }
            default: break
            }
        }
        guard !waiting.isEmpty || !decoded.isEmpty else { return }
        let start = retry.withLock { state -> Bool in
            state.waitingForFormat.formUnion(waiting)
            var due: Set<Int64> = []
            for meter in decoded where state.waitingForFormat.remove(meter) != nil { due.insert(meter.tenant) }
            guard !due.isEmpty else { return false }
            for tenant in due where !state.queued.contains(tenant) {
                state.queued.insert(tenant)
                state.pendingOnly.insert(tenant)
            }
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if start { Task.detached { await self.drainRetries() } }
    }

    func metersChanged(tenant: Int64) {
        let start = retry.withLock { state -> Bool in
            state.queued.insert(tenant)
            state.pendingOnly.remove(tenant)
            guard !state.running else { return false }
            state.running = true
            return true
        }
        guard start else { return }
        Task.detached { await self.drainRetries() }
    }

    private func drainRetries() async {
        while let (tenant, pendingOnly) = retry.withLock({ state -> (Int64, Bool)? in
            guard let t = state.queued.popFirst() else {
                state.running = false
                return nil
            }
            return (t, state.pendingOnly.remove(t) != nil)
        }) {
            do {
                if !pendingOnly { try await directory.reload(tenant: tenant) }
                try await retryPending(tenant: tenant)
            } catch {
                AppLog.error("pending telegrams could not be retried", [("tenant", String(tenant)), ("error", String(describing: error))])
            }
        }
    }

    /// Runs a tenant's pending telegrams through the pipeline again, as their unit would have:
    /// decoded ones become readings and leave the pending list; the rest stay, with their
    /// reason brought up to date.
    func retryPending(tenant: Int64) async throws {
        var after: Int64 = 0
        while true {
            let page = try await store.pendingTelegrams(tenant: tenant, after: after, limit: 1000)
            guard let last = page.last else { return }
            after = last.rowID
            var readings: [IngestReading] = []
            var stillPending: [PendingTelegram] = []
            var resolved: [Int64] = []
            var tenantsByUnit: [Int64: [Int64]] = [:]
            for record in page {
                let p = record.telegram
                let tenants: [Int64]
                if let known = tenantsByUnit[record.unit] { tenants = known } else {
                    tenants = try await store.unitTenants(unit: record.unit).map { [$0.owner] + $0.sharers } ?? []
                    tenantsByUnit[record.unit] = tenants
                }
                guard !tenants.isEmpty else { continue }
                guard let (kind, address) = try? TelegramDecoder.meterAddress(of: p.frame) else { continue }
                let candidates = try await directory.candidates(for: address, tenants: tenants)
                let context = TelegramContext(bytes: p.frame, kind: kind, address: address, unit: record.unit, receivedAt: p.receivedAt,
                                              rssi: p.rssi, source: Self.source(unitType: record.unitType, wired: kind == .mbus))
                let verdict = decoders.withDecoder { Self.judge(context, candidates: candidates, viewer: tenants[0], decoder: $0) }
                switch verdict {
                case .readings(let r, _, _):
                    readings.append(contentsOf: r)
                    resolved.append(record.rowID)
                case .pending(let again, _, _, _):
                    let unchanged = again.count == 1 && again[0].reason == p.reason && again[0].tenant == p.tenant
                    if !unchanged {
                        resolved.append(record.rowID)
                        stillPending.append(contentsOf: again)
                    }
                case .rejected:
                    continue
                }
            }
            if !resolved.isEmpty {
                _ = try await store.commitIngest(readings: readings, pending: stillPending, resolved: resolved)
            }
        }
    }
}
