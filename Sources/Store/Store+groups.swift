public import FoundationEssentials
internal import SQLite

/// Groups of meters: a meter may be in any number of them. The virtual groups (`GroupSelector`)
/// are derived from the meters and cannot be changed; counts are of live meters.
extension Store {
    /// Members are live meters (a deleted meter leaves its groups: trigger in the schema), so a
    /// count is a range of the membership's primary key.
    static let groupColumns = """
        g.id, g.public_id, g.name, g.version, g.created_at, g.updated_at,
        (SELECT count(*) FROM group_members gm WHERE gm.group_id = g.id)
        """

    static func group(_ row: Row) -> GroupRecord {
        GroupRecord(id: row.string(1), name: row.string(2), isVirtual: false, meterCount: row.int(6), revision: row.int(3),
                    createdAt: date(row.int64(4)), updatedAt: date(row.int64(5)))
    }

    static func groupPath(_ id: String) -> String { "/v1/groups/\(id)" }

    /// The virtual groups (on the first page only) and a page of the tenant's groups in creation
    /// order. Two queries, whatever the number of groups.
    public func groups(tenant: Int64, limit: Int, cursor: String?) async throws -> (virtual: [GroupRecord], page: Page<GroupRecord>) {
        let after = try Store.rowID(fromCursor: cursor)
        return try await pool.read { conn in
            let virtual = after == nil ? try Store.virtualGroups(tenant: tenant, conn) : []
            var rows: [(GroupRecord, Int64)] = []
            try conn.query("SELECT \(Store.groupColumns) FROM groups g WHERE g.tenant_id = ? AND g.id > ? ORDER BY g.id LIMIT ?",
                           [tenant, after ?? 0, limit + 1]) { row in rows.append((Store.group(row), row.int64(0))) }
            return (virtual, Store.page(rows, limit: limit))
        }
    }

    /// All four virtual groups counted in one statement, each from its own index.
    static func virtualGroups(tenant: Int64, _ conn: Connection) throws -> [GroupRecord] {
        var counts = [0, 0, 0, 0]
        try conn.query("""
            SELECT (SELECT count(*) FROM meters m WHERE m.tenant_id = ?1 AND m.deleted_at IS NULL),
                   (SELECT count(*) FROM meters m WHERE m.tenant_id = ?1 AND m.deleted_at IS NULL AND m.group_count = 0),
                   (SELECT count(*) FROM meters m WHERE m.tenant_id = ?1 AND m.deleted_at IS NULL
                      AND m.import_number = (SELECT nullif(last_import_number, 0) FROM tenants WHERE id = ?1)),
                   (SELECT count(*) FROM meters m WHERE m.tenant_id = ?1 AND m.deleted_at IS NULL AND m.priority_since IS NOT NULL)
            """, [tenant]) { row in counts = [row.int(0), row.int(1), row.int(2), row.int(3)] }
        return zip(GroupSelector.virtual, counts).map { selector, count in
            GroupRecord(id: selector.virtualName ?? "", name: GroupRecord.virtualName(selector), isVirtual: true,
                        meterCount: count, revision: 0)
        }
    }

    /// One group, virtual or the tenant's, with its count.
    public func group(tenant: Int64, _ selector: GroupSelector) async throws -> GroupRecord {
        try await pool.read { conn in try Store.group(tenant: tenant, selector, conn) }
    }

    static func group(tenant: Int64, _ selector: GroupSelector, _ conn: Connection) throws -> GroupRecord {
        guard case .group(let id) = selector else {
            let condition = try selector.condition(tenant: tenant, conn)
            let count: Int = try conn.scalar("""
                SELECT count(*) FROM meters m WHERE m.tenant_id = ?1 AND m.deleted_at IS NULL
                  AND \(GroupSelector.numbered(condition.sql, from: 2))
                """, [tenant] + condition.bindings) ?? 0
            return GroupRecord(id: selector.virtualName ?? "", name: GroupRecord.virtualName(selector), isVirtual: true,
                               meterCount: count, revision: 0)
        }
        var found: GroupRecord?
        try conn.query("SELECT \(groupColumns) FROM groups g WHERE g.tenant_id = ? AND g.public_id = ?",
                       [tenant, id.uuidString.lowercased()]) { found = group($0) }
        guard let found else { throw StoreError.notFound("group") }
        return found
    }

    public func createGroup(tenant: Int64, name: String, audit: AuditEntry) async throws -> GroupRecord {
        try await pool.write { conn in
            let id = Store.newPublicID()
            let now = Store.now()
            do {
                try conn.execute("INSERT INTO groups (public_id, tenant_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                                 [id, tenant, name, now, now])
            } catch let error as SQLiteError where error.isUniqueViolation {
                throw StoreError.conflict(Store.duplicateGroup(name))
            }
            var entry = audit
            entry.target = Store.groupPath(id)
            try Store.insertAudit(entry, tenant: tenant, conn)
            return try Store.group(tenant: tenant, .group(UUID(uuidString: id)!), conn)
        }
    }

    public func renameGroup(tenant: Int64, id: UUID, name: String, ifVersion: Int?, audit: AuditEntry) async throws -> GroupRecord {
        try await pool.write { conn in
            let current = try Store.group(tenant: tenant, .group(id), conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            do {
                try conn.execute("""
                    UPDATE groups SET name = ?, version = version + 1, updated_at = ? WHERE tenant_id = ? AND public_id = ?
                    """, [name, Store.now(), tenant, current.id])
            } catch let error as SQLiteError where error.isUniqueViolation {
                throw StoreError.conflict(Store.duplicateGroup(name))
            }
            try Store.insertAudit(audit, tenant: tenant, conn)
            return try Store.group(tenant: tenant, .group(id), conn)
        }
    }

    /// The group and its membership go; the meters stay.
    public func deleteGroup(tenant: Int64, id: UUID, ifVersion: Int?, audit: AuditEntry) async throws {
        try await pool.write { conn in
            let current = try Store.group(tenant: tenant, .group(id), conn)
            if let ifVersion, ifVersion != current.revision { throw StoreError.versionMismatch(current: current.revision) }
            let row = try GroupSelector.groupRowID(tenant: tenant, id: id, conn)
            try conn.execute("DELETE FROM group_members WHERE group_id = ?", [row])
            try conn.execute("DELETE FROM groups WHERE id = ?", [row])
            try Store.insertAudit(audit, tenant: tenant, conn)
        }
    }

    /// Adds (or removes) the meters, all or nothing: an id that is not a live meter of the tenant
    /// throws `UnknownMeters` with every such position. Members already in (or not in) the group
    /// are fine. One audit event with the number changed.
    public func changeGroupMembers(tenant: Int64, id: UUID, meters: [UUID], adding: Bool,
                                   audit: AuditEntry) async throws -> GroupMembersChange {
        try await pool.write { conn in
            let group = try GroupSelector.groupRowID(tenant: tenant, id: id, conn)
            let rows = try Store.liveMeterRows(tenant: tenant, meters, conn)
            let statement = try conn.cachedStatement(adding
                ? "INSERT OR IGNORE INTO group_members (group_id, meter_id, added_at) VALUES (?1, ?2, ?3)"
                : "DELETE FROM group_members WHERE group_id = ?1 AND meter_id = ?2")
            let now = Store.now()
            var changed = 0
            for row in Set(rows) {
                try statement.bind(group, at: 1)
                try statement.bind(row, at: 2)
                if adding { try statement.bind(now, at: 3) }
                // The rows this statement changed itself (not the trigger's): 0 for a member added
                // again or a non-member removed.
                changed += try statement.execute()
            }
            var entry = audit
            entry.details = adding ? #"{"added":\#(changed)}"# : #"{"removed":\#(changed)}"#
            try Store.insertAudit(entry, tenant: tenant, conn)
            return GroupMembersChange(changed: changed, meterCount: try Store.group(tenant: tenant, .group(id), conn).meterCount)
        }
    }

    /// The row ids of the tenant's live meters with these ids, in order; `UnknownMeters` names
    /// the positions of the others.
    static func liveMeterRows(tenant: Int64, _ ids: [UUID], _ conn: Connection) throws -> [Int64] {
        let lookup = try conn.cachedStatement("SELECT id FROM meters WHERE public_id = ?1 AND tenant_id = ?2 AND deleted_at IS NULL")
        var rows: [Int64] = []
        rows.reserveCapacity(ids.count)
        var unknown: [Int] = []
        for (index, id) in ids.enumerated() {
            lookup.reset()
            try lookup.bind(id.uuidString.lowercased(), at: 1)
            try lookup.bind(tenant, at: 2)
            if try lookup.step() {
                rows.append(lookup.int64(0))
            } else {
                unknown.append(index)
            }
        }
        lookup.reset()
        guard unknown.isEmpty else { throw UnknownMeters(indexes: unknown) }
        return rows
    }

    static func duplicateGroup(_ name: String) -> String { "a group named '\(name)' exists" }
}
