internal import FoundationEssentials
public import SQLite

/// The domain's database: one writer and a pool of readers over one SQLite file, migrated
/// before anything else touches it.
public final class Store: Sendable {
    public let pool: DatabasePool
    public let path: String
    let readingIndex: ReadingLogIndex
    let readingWriter: ReadingWriter
    /// Signalled after ingest commits (events may have been added); anyone else who appends
    /// events signals it after their commit too.
    public let eventsCommitted = CommitSignal()

    /// Opens (creating if needed) `fjern.sqlite` in `directory` and applies pending migrations.
    public init(directory: String, readers: Int = 4) async throws {
        path = directory + "/fjern.sqlite"
        var configuration = DatabasePool.Configuration()
        configuration.readerCount = readers
        pool = try DatabasePool(path: path, configuration: configuration)
        _ = try await pool.migrate(Migrator(Schema.migrations))
        let index = ReadingLogIndex()
        readingIndex = index
        readingWriter = ReadingWriter(index: index)
        try await pool.read { conn in try index.rebuild(conn) }
    }

    public func close() async { await pool.close() }

    /// A consistent copy of the live database (sqlite3 backup API), safe while writes go on.
    public func backup(to file: String) async throws { try await pool.backup(to: file) }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    static func now() -> Int64 { millis(Date()) }

    /// Cursors are the last row id seen, in base 36: opaque enough, stable, and cheap to check.
    /// The contract allows 12 digits (below Int64.max, so every cursor it admits parses).
    public static func cursor(_ rowID: Int64) -> String { "c" + String(rowID, radix: 36) }

    public static func rowID(fromCursor cursor: String?) throws(StoreError) -> Int64? {
        guard let cursor else { return nil }
        guard cursor.hasPrefix("c"), let id = Int64(cursor.dropFirst(), radix: 36), id >= 0 else {
            throw StoreError.invalid("cursor")
        }
        return id
    }

    /// Lists read `limit + 1` rows in id order: the extra one only tells that another page exists.
    static func page<Item>(_ rows: [(Item, Int64)], limit: Int) -> Page<Item> {
        guard rows.count > limit else { return Page(items: rows.map(\.0), nextCursor: nil) }
        return Page(items: rows.prefix(limit).map(\.0), nextCursor: cursor(rows[limit - 1].1))
    }

    static func insertAudit(_ entry: AuditEntry, tenant: Int64?, _ conn: Connection) throws {
        _ = try conn.execute("""
            INSERT INTO audit_events (tenant_id, time, type, principal, user_public_id, token_public_id, client, target, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [tenant, now(), entry.type, entry.principal, entry.userID?.uuidString.lowercased(),
                  entry.tokenID?.uuidString.lowercased(), entry.client, entry.target, entry.details])
    }
}
