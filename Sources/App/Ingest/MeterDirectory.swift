internal import Crypto
internal import FoundationEssentials
internal import MBus
internal import Store
internal import Synchronization

/// The live meters by wireless address, with their keys opened once: ingest looks up every
/// telegram here instead of querying the database. Loaded on first use; a tenant's entries
/// are reloaded after its meters or keys change.
final class MeterDirectory: Sendable {
    struct Entry: Sendable {
        var rowID: Int64
        var id: UUID
        var tenant: Int64
        var version: Int?
        var deviceType: Int?
        var key: [UInt8]?
    }

    private struct State {
        var loaded = false
        var byAddress: [String: [Entry]] = [:]
    }

    private let store: Store
    private let vault: KeyVault
    private let state = Mutex(State())

    init(store: Store, vault: KeyVault) {
        self.store = store
        self.vault = vault
    }

    /// "KAM76348799": manufacturer and the serial as the radio sends it (8 BCD digits).
    static func addressKey(manufacturer: String, serial: String) -> String {
        var digits = serial
        if digits.count < 8, digits.allSatisfy(\.isNumber) { digits = String(repeating: "0", count: 8 - digits.count) + digits }
        return manufacturer.uppercased() + digits.uppercased()
    }

    /// The meters of `tenants` that `address` may be: same manufacturer and serial, and the same
    /// version and device type where the meter records them.
    func candidates(for address: MeterAddress, tenants: [Int64]) async throws -> [Entry] {
        try await ensureLoaded()
        return loadedCandidates(for: address, tenants: tenants)
    }

    func ensureLoaded() async throws {
        if !state.withLock({ $0.loaded }) { try await load(tenant: nil) }
    }

    /// After `ensureLoaded`: no suspension per telegram on the hot path.
    func loadedCandidates(for address: MeterAddress, tenants: [Int64]) -> [Entry] {
        let key = Self.addressKey(manufacturer: address.manufacturerCode, serial: address.idString)
        return state.withLock { state in
            (state.byAddress[key] ?? []).filter { e in
                tenants.contains(e.tenant) && (e.version.map { $0 == Int(address.version) } ?? true)
                    && (e.deviceType.map { $0 == Int(address.deviceType) } ?? true)
            }
        }
    }

    func reload(tenant: Int64) async throws {
        guard state.withLock({ $0.loaded }) else { return }
        try await load(tenant: tenant)
    }

    private func load(tenant: Int64?) async throws {
        let meters = try await store.ingestMeters(tenant: tenant)
        var map: [String: [Entry]] = [:]
        for m in meters {
            // A key that does not open (a master key changed without re-sealing) counts as no key:
            // its telegrams wait as pending instead of failing the load.
            let key = m.sealedKey.flatMap { try? vault.unseal($0, meter: m.rowID) }
            map[Self.addressKey(manufacturer: m.manufacturer, serial: m.serial), default: []].append(
                Entry(rowID: m.rowID, id: m.id, tenant: m.tenant, version: m.version, deviceType: m.deviceType, key: key))
        }
        state.withLock { state in
            if let tenant {
                for (k, list) in state.byAddress {
                    let kept = list.filter { $0.tenant != tenant }
                    state.byAddress[k] = kept.isEmpty ? nil : kept
                }
                for (k, list) in map { state.byAddress[k, default: []].append(contentsOf: list) }
            } else {
                state.byAddress = map
                state.loaded = true
            }
        }
    }
}
