internal import FoundationEssentials
internal import SQLite

/// The map: a group's meters at their metering point's coordinates and the collection units the
/// tenant may see, each with what the map shows about it.
extension Store {
    public func map(tenant: Int64, group: GroupSelector, box: BoundingBox?) async throws -> MapRecords {
        try await pool.read { conn in
            var records = MapRecords()
            let condition = try group.condition(tenant: tenant, conn)
            // The latest reception of each meter by any unit: a probe of heard_meters_by_meter.
            try conn.query("""
                SELECT m.public_id, m.manufacturer, m.serial, m.medium, m.active_info_codes <> '', p.longitude, p.latitude,
                       (SELECT max(h.last_heard) FROM heard_meters h WHERE h.meter_id = m.id)
                FROM meters m LEFT JOIN metering_points p ON p.id = m.metering_point_id
                WHERE m.tenant_id = ?1 AND m.deleted_at IS NULL AND \(GroupSelector.numbered(condition.sql, from: 2))
                ORDER BY m.id
                """, [tenant] + condition.bindings) { row in
                guard let longitude: Double = row[5], let latitude: Double = row[6] else {
                    records.omittedMeters += 1
                    return
                }
                guard box?.contains(longitude: longitude, latitude: latitude) ?? true else { return }
                records.meters.append(MapMeterRecord(id: UUID(uuidString: row.string(0)) ?? UUID(), manufacturer: row.string(1),
                                                     serial: row.string(2), medium: row.string(3), longitude: longitude,
                                                     latitude: latitude, hasActiveInfoCodes: row.bool(4), lastHeard: row[7]))
            }
            try conn.query("""
                SELECT u.public_id, u.type, u.name, u.longitude, u.latitude FROM collection_units u
                WHERE \(Store.visibleUnits) ORDER BY u.id
                """, [tenant]) { row in
                guard let longitude: Double = row[3], let latitude: Double = row[4] else {
                    records.omittedUnits += 1
                    return
                }
                guard box?.contains(longitude: longitude, latitude: latitude) ?? true else { return }
                records.units.append(MapUnitRecord(id: UUID(uuidString: row.string(0)) ?? UUID(), type: row.string(1),
                                                   name: row.string(2), longitude: longitude, latitude: latitude))
            }
            return records
        }
    }
}
