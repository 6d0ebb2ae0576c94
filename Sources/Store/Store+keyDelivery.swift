internal import FoundationEssentials
internal import SQLite

/// Keys delivered in bulk (a KEM file, a key-server run): each meter is found by manufacturer
/// and serial (version and device type when both sides know them) or created `in-stock`, and
/// its key stored sealed with the delivery's source. Meters whose key is already that key are
/// left alone.
extension Store {
    static func applyDeliveredKeys(tenant: Int64, _ keys: [DeliveredKey], source: String, sealer: any MeterKeyOpening,
                                   now: Int64, _ conn: Connection) throws -> (KeyDeliveryOutcome, [Int64]) {
        var outcome = KeyDeliveryOutcome()
        var written: [Int64] = []
        for k in keys {
            if let meter = try deliveryTarget(tenant: tenant, k, conn) {
                var current: [UInt8]?
                try conn.query("SELECT sealed FROM meter_keys WHERE meter_id = ?", [meter]) { current = $0.blob(0) }
                // A stored key that no longer opens (master key changed) is replaced like any other.
                if let current, (try? sealer.unseal(current, meter: meter)) == k.key {
                    outcome.unchanged += 1
                    continue
                }
                try storeKey(meter: meter, sealed: sealer.seal(k.key, meter: meter), source: source, now: now, conn)
                try conn.execute("UPDATE meters SET version = version + 1, updated_at = ?, model = ifnull(model, ?) WHERE id = ?",
                                 [now, k.model, meter])
                outcome.updated += 1
                written.append(meter)
            } else {
                var f = MeterFields()
                f.manufacturer = k.manufacturer
                f.serial = k.serial
                f.version = k.version
                f.deviceType = k.deviceType
                f.model = k.model
                f.medium = k.medium
                f.lifecycle = "in-stock"
                let meter = try insertMeter(tenant: tenant, f, meteringPoint: nil, now: now, conn)
                try storeKey(meter: meter, sealed: sealer.seal(k.key, meter: meter), source: source, now: now, conn)
                outcome.created += 1
                written.append(meter)
            }
        }
        return (outcome, written)
    }

    /// The live meter a delivered key belongs to: same manufacturer and serial, and version and
    /// device type equal where both are known. An exact match wins over a partial one.
    static func deliveryTarget(tenant: Int64, _ k: DeliveredKey, _ conn: Connection) throws -> Int64? {
        var best: (rowID: Int64, score: Int)?
        try conn.query("""
            SELECT id, wmbus_version, device_type FROM meters
            WHERE tenant_id = ? AND manufacturer = ? AND serial = ? AND deleted_at IS NULL ORDER BY id
            """, [tenant, k.manufacturer, k.serial]) { row in
            let version: Int? = row[1], deviceType: Int? = row[2]
            if let v = version, let w = k.version, v != w { return }
            if let d = deviceType, let e = k.deviceType, d != e { return }
            let score = (version != nil && version == k.version ? 1 : 0) + (deviceType != nil && deviceType == k.deviceType ? 1 : 0)
            if best == nil || score > best!.score { best = (row.int64(0), score) }
        }
        return best?.rowID
    }

    /// A decrypted key file's meters in one transaction with its audit event; the meters
    /// written become the tenant's "last-imported" group.
    public func importKeyFile(tenant: Int64, keys: [DeliveredKey], rejected: Int, sealer: any MeterKeyOpening,
                              audit: AuditEntry) async throws -> KeyDeliveryOutcome {
        try await pool.write { conn in
            let now = Store.now()
            let (outcome, written) = try Store.applyDeliveredKeys(tenant: tenant, keys, source: "kem", sealer: sealer, now: now, conn)
            if !written.isEmpty {
                let number: Int64 = (try conn.scalar("SELECT last_import_number FROM tenants WHERE id = ?", [tenant]) ?? 0) + 1
                let stamp = try conn.cachedStatement("UPDATE meters SET import_number = ?1 WHERE id = ?2")
                for meter in written {
                    try stamp.bind(number, at: 1)
                    try stamp.bind(meter, at: 2)
                    try stamp.execute()
                }
                try conn.execute("UPDATE tenants SET last_import_number = ? WHERE id = ?", [number, tenant])
            }
            var entry = audit
            entry.target = "/v1/meters"
            entry.details = #"{"created":\#(outcome.created),"updated":\#(outcome.updated),"unchanged":\#(outcome.unchanged),"rejected":\#(rejected)}"#
            try Store.insertAudit(entry, tenant: tenant, conn)
            return outcome
        }
    }
}
