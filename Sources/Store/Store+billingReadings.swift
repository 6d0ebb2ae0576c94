public import FoundationEssentials
public import Metering
internal import SQLite

/// What a billing reading at a target date is computed from: the metering point and the stays
/// of meters on it at that time, each with its readings around the target.
public struct BillingInput: Sendable {
    public var meteringPoint: UUID
    public var stays: [MeterStay]
}

extension Store {
    /// One metering point's billing input at `at` (Unix seconds).
    public func billingInput(tenant: Int64, meteringPoint id: UUID, registers: [Register], at: Int64) async throws -> BillingInput {
        let index = readingIndex
        return try await pool.read { conn in
            let point = try Store.meteringPointRow(tenant: tenant, id: id, conn)
            return BillingInput(meteringPoint: id, stays: try Store.stays(point: point, registers: registers, from: at, to: at + 1,
                                                                          infoCodes: false, index: index, conn))
        }
    }

    /// A page of billing inputs, one per live metering point whose current meter is in `group`
    /// (every live point for `.all`), in row order.
    public func billingInputs(tenant: Int64, group: GroupSelector, registers: [Register], at: Int64, limit: Int,
                              cursor: String?) async throws -> Page<BillingInput> {
        let after = try Store.rowID(fromCursor: cursor) ?? 0
        let index = readingIndex
        return try await pool.read { conn in
            var filter = ""
            var bindings: [(any Bindable)?] = [tenant, after]
            if group != .all {
                let condition = try group.condition(tenant: tenant, conn)
                filter = """
                     AND EXISTS (SELECT 1 FROM meters m WHERE m.metering_point_id = p.id AND m.deleted_at IS NULL
                                 AND m.tenant_id = p.tenant_id AND \(condition.sql))
                    """
                bindings += condition.bindings
            }
            bindings.append(limit + 1)
            var points: [(row: Int64, id: UUID)] = []
            try conn.query("""
                SELECT p.id, p.public_id FROM metering_points p
                WHERE p.tenant_id = ? AND p.deleted_at IS NULL AND p.id > ?\(filter)
                ORDER BY p.id LIMIT ?
                """, bindings) { row in
                points.append((row.int64(0), UUID(uuidString: row.string(1)) ?? UUID()))
            }
            var rows: [(BillingInput, Int64)] = []
            rows.reserveCapacity(points.count)
            for point in points.prefix(limit) {
                let stays = try Store.stays(point: point.row, registers: registers, from: at, to: at + 1, infoCodes: false,
                                            index: index, conn)
                rows.append((BillingInput(meteringPoint: point.id, stays: stays), point.row))
            }
            if points.count > limit, let last = points.last { rows.append((BillingInput(meteringPoint: last.id, stays: []), last.row)) }
            return Store.page(rows, limit: limit)
        }
    }
}
