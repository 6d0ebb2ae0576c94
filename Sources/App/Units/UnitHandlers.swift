internal import API
internal import Store

/// Collection units, their tokens, sharing between tenants, and who hears which meter.
struct UnitHandlers: Sendable {
    let store: Store
}
