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

    /// The virtual groups in the order lists show them.
    public static let virtual: [GroupSelector] = [.all, .nonGrouped, .lastImported, .priority]

    /// The virtual group's id (its parameter spelling); nil for a tenant's group.
    public var virtualName: String? {
        switch self {
        case .all: "all"
        case .nonGrouped: "non-grouped"
        case .lastImported: "last-imported"
        case .priority: "priority"
        case .group: nil
        }
    }

    /// An SQL condition on the meters row aliased `m` (bindings in `bindings`), for a tenant.
    /// A `.group` that is not the tenant's throws notFound, so it is 404 like any other resource.
    /// The virtual groups' conditions match partial indexes of the meters table (with
    /// `m.tenant_id = ? AND m.deleted_at IS NULL` beside them, a page is an index range).
    func condition(tenant: Int64, _ conn: Connection) throws -> (sql: String, bindings: [(any Bindable)?]) {
        switch self {
        case .all:
            return ("1", [])
        case .nonGrouped:
            return ("m.group_count = 0", [])
        case .lastImported:
            // nullif: before the first import no meter is "last imported".
            return ("m.import_number = (SELECT nullif(last_import_number, 0) FROM tenants WHERE id = ?)", [tenant])
        case .priority:
            return ("m.priority_since IS NOT NULL", [])
        case .group(let id):
            let row = try Self.groupRowID(tenant: tenant, id: id, conn)
            return ("m.id IN (SELECT meter_id FROM group_members WHERE group_id = ?)", [row])
        }
    }

    /// The tenant's group's row id; notFound otherwise.
    static func groupRowID(tenant: Int64, id: UUID, _ conn: Connection) throws -> Int64 {
        let row: Int64? = try conn.scalar("SELECT id FROM groups WHERE tenant_id = ? AND public_id = ?",
                                          [tenant, id.uuidString.lowercased()])
        guard let row else { throw StoreError.notFound("group") }
        return row
    }

    /// `sql` with its anonymous parameters numbered from `first` (`?` → `?8`, `?9` …), for
    /// callers whose own statement uses numbered parameters: SQLite numbers a bare `?` after the
    /// largest number seen so far, which would collide with theirs.
    static func numbered(_ sql: String, from first: Int) -> String {
        var out = ""
        var next = first
        for c in sql {
            if c == "?" {
                out += "?\(next)"
                next += 1
            } else {
                out.append(c)
            }
        }
        return out
    }
}
