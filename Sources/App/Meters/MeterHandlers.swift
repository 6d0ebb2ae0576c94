internal import API
internal import Store

/// Meters, their keys and bulk import.
struct MeterHandlers: Sendable {
    let store: Store
    let vault: KeyVault
    let changes: any MeterChanges
}
