internal import Store

/// The ingest pipeline: find the meter, decrypt, decode, deduplicate, commit.
final class IngestService: MeterChanges {
    let store: Store
    let vault: KeyVault

    init(store: Store, vault: KeyVault) {
        self.store = store
        self.vault = vault
    }

    func metersChanged(tenant: Int64) {}
}
