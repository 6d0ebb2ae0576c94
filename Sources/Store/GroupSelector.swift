public import FoundationEssentials
internal import SQLite

/// A `group` filter: one of the tenant's groups, or a virtual group every tenant has. Every
/// list, report and export that takes `group` resolves it through here.
public enum GroupSelector: Sendable, Equatable {
    case all
    case nonGrouped
    case lastImported
    case priority
    case group(UUID)

    /// The query parameter's spelling: a group id or a virtual group's name.
    public init?(parameter: String) {
        switch parameter {
        case "all": self = .all
        case "non-grouped": self = .nonGrouped
        case "last-imported": self = .lastImported
        case "priority": self = .priority
        default:
            guard let id = UUID(uuidString: parameter) else { return nil }
            self = .group(id)
        }
    }

    /// An SQL condition on the meters row aliased `m` (bindings in `bindings`), for a tenant.
    /// A `.group` that is not the tenant's throws notFound, so it is 404 like any other resource.
    func condition(tenant: Int64, _ conn: Connection) throws -> (sql: String, bindings: [(any Bindable)?]) {
        switch self {
        case .all:
            return ("1", [])
        case .nonGrouped:
            return ("NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.meter_id = m.id)", [])
        case .lastImported:
            return ("m.import_number > 0 AND m.import_number = (SELECT last_import_number FROM tenants WHERE id = m.tenant_id)", [])
        case .priority:
            return ("m.priority_since IS NOT NULL", [])
        case .group(let id):
            let row: Int64? = try conn.scalar("SELECT id FROM groups WHERE tenant_id = ? AND public_id = ?",
                                              [tenant, id.uuidString.lowercased()])
            guard let row else { throw StoreError.notFound("group") }
            return ("m.id IN (SELECT meter_id FROM group_members WHERE group_id = ?)", [row])
        }
    }
}
