internal import FoundationEssentials
public import Metering
internal import SQLite

/// A block of readings ready to store (`reading_blocks` row).
public struct EncodedBlock: Sendable {
    public var firstTime: Int64
    public var lastTime: Int64
    public var count: Int
    public var bytes: [UInt8]
}

/// A meter on its own metering point with its history, for the query benchmark's database.
public struct BulkMeter: Sendable {
    public var manufacturer: String
    public var serial: String
    public var version: Int
    public var deviceType: Int
    public var model: String
    public var medium: String
    public var address: String
    public var postalCode: String
    public var city: String
    public var latitude: Double
    public var longitude: Double
    /// Unix seconds: when the meter was installed on the point (its first reading).
    public var installedAt: Int64
    public var blocks: [EncodedBlock]

    public init(manufacturer: String, serial: String, version: Int, deviceType: Int, model: String, medium: String,
                address: String, postalCode: String, city: String, latitude: Double, longitude: Double,
                installedAt: Int64, blocks: [EncodedBlock]) {
        self.manufacturer = manufacturer
        self.serial = serial
        self.version = version
        self.deviceType = deviceType
        self.model = model
        self.medium = medium
        self.address = address
        self.postalCode = postalCode
        self.city = city
        self.latitude = latitude
        self.longitude = longitude
        self.installedAt = installedAt
        self.blocks = blocks
    }
}

extension Store {
    /// A meter's readings (time order, one a second at most) cut into stored blocks as the
    /// compactor cuts them. Pure: callers encode meters in parallel.
    public static func encodeBlocks(_ entries: [BlockCodec.Entry]) -> [EncodedBlock] {
        ReadingBlocks.cut(entries).map { chunk, bytes in
            EncodedBlock(firstTime: chunk.first!.time, lastTime: chunk.last!.time, count: chunk.count, bytes: bytes)
        }
    }

    /// Benchmark only (`fjern admin bench-query`): writes meters, their metering points and
    /// installations, and their reading blocks straight into the tables in one transaction,
    /// bypassing ingest, the log and the audit log. Never used on a live tenant.
    public func bulkLoad(tenant: Int64, _ meters: [BulkMeter]) async throws {
        try await pool.write { conn in
            let point = try conn.cachedStatement("""
                INSERT INTO metering_points (public_id, tenant_id, address, postal_code, city, latitude, longitude, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let meter = try conn.cachedStatement("""
                INSERT INTO meters (public_id, tenant_id, manufacturer, serial, wmbus_version, device_type, model, medium, paths,
                    lifecycle, metering_point_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'fixed-network', 'installed', ?, ?, ?)
                """)
            let installation = try conn.cachedStatement("""
                INSERT INTO installations (metering_point_id, meter_id, installed_at) VALUES (?, ?, ?)
                """)
            let block = try conn.cachedStatement("""
                INSERT INTO reading_blocks (meter_id, first_time, last_time, count, data) VALUES (?, ?, ?, ?, ?)
                """)
            let now = Store.now()
            for m in meters {
                _ = try point.execute([Store.newPublicID(), tenant, m.address, m.postalCode, m.city, m.latitude, m.longitude, now, now])
                let pointRow = conn.lastInsertRowID
                _ = try meter.execute([Store.newPublicID(), tenant, m.manufacturer, m.serial, m.version, m.deviceType, m.model,
                                       m.medium, pointRow, now, now])
                let meterRow = conn.lastInsertRowID
                _ = try installation.execute([pointRow, meterRow, m.installedAt])
                for b in m.blocks {
                    _ = try block.execute([meterRow, b.firstTime, b.lastTime, Int64(b.count), b.bytes])
                }
            }
        }
    }
}
