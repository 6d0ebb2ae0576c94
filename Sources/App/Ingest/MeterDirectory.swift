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

    /// Manufacturer and id as the radio sends them: hashing two integers, not building strings,
    /// for every telegram.
    struct Key: Hashable {
        var manufacturer: UInt16
        var id: UInt32
    }

    private struct State {
        var loaded = false
        var byAddress: [Key: [Entry]] = [:]
    }

    private let store: Store
    private let vault: KeyVault
    private let state = Mutex(State())

    init(store: Store, vault: KeyVault) {
        self.store = store
        self.vault = vault
    }

    /// The key of a meter as registered: its serial read as the 8 BCD digits of the radio id
    /// (shorter serials padded with zeros). Nil for serials no radio id can carry.
    static func key(manufacturer: String, serial: String) -> Key? {
        guard let m = MeterAddress.manufacturerValue(manufacturer.uppercased()), !serial.isEmpty, serial.utf8.count <= 8,
              let id = UInt32(serial, radix: 16) else { return nil }
        return Key(manufacturer: m, id: id)
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
        let key = Key(manufacturer: address.manufacturer, id: address.id)
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
        var map: [Key: [Entry]] = [:]
        for m in meters {
            guard let address = Self.key(manufacturer: m.manufacturer, serial: m.serial) else { continue }
            // A key that does not open (a master key changed without re-sealing) counts as no key:
            // its telegrams wait as pending instead of failing the load.
            let key = m.sealedKey.flatMap { try? vault.unseal($0, meter: m.rowID) }
            map[address, default: []].append(
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
