internal import Glibc
internal import Store
internal import Synchronization

/// Each tenant's role → permissions matrix, read once and kept until it changes here (the
/// handler that changes it invalidates) or for at most `ttl` seconds.
final class PermissionCache: Sendable {
    private let entries = Mutex<[Int64: (matrix: [String: Set<String>], at: Int)]>([:])
    let ttl: Int

    init(ttlSeconds: Int = 30) { ttl = ttlSeconds }

    func permissions(role: String, tenant: Int64, store: Store) async throws -> Set<String> {
        let now = Int(time(nil))
        if let cached = entries.withLock({ $0[tenant] }), now - cached.at < ttl {
            return cached.matrix[role] ?? []
        }
        let matrix = try await store.rolePermissions(tenant: tenant).mapValues { Set($0.permissions) }
        entries.withLock { $0[tenant] = (matrix, now) }
        return matrix[role] ?? []
    }

    func invalidate(tenant: Int64) {
        _ = entries.withLock { $0.removeValue(forKey: tenant) }
    }
}
