internal import API
internal import Store

/// Telegram and frame ingest, pending telegrams and readings.
struct IngestHandlers: Sendable {
    let store: Store
    let service: IngestService
}
