/// Told by the meter handlers after a meter or key of a tenant was created, changed or
/// removed: ingest drops its cached lookups and retries the tenant's pending telegrams.
protocol MeterChanges: Sendable {
    func metersChanged(tenant: Int64)
}
