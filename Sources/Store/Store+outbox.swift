public import FoundationEssentials
internal import SQLite

/// What an outbox row is for; stored as `outbox.origin_kind`.
public enum OutboxOrigin: Int64, Sendable {
    case notificationRule = 1
    case notificationTest = 2
    case webhook = 3
    case notificationDigest = 4
}

/// The channel an outbox row goes out on; stored as `outbox.channel`.
public enum OutboxChannel: Int64, Sendable {
    case email = 1
    case sms = 2
    case webhook = 3
}

/// One message to send, as its cause queues it (the message already rendered and encoded).
public struct OutboxEntry: Sendable {
    public var tenant: Int64
    public var channel: OutboxChannel
    public var origin: OutboxOrigin
    public var originID: Int64
    /// E-mail address, phone number or URL: what the delivery log shows.
    public var recipient: String
    public var message: [UInt8]

    public init(tenant: Int64, channel: OutboxChannel, origin: OutboxOrigin, originID: Int64, recipient: String, message: [UInt8]) {
        self.tenant = tenant
        self.channel = channel
        self.origin = origin
        self.originID = originID
        self.recipient = recipient
        self.message = message
    }
}

/// A pending row the worker is to send.
public struct OutboxDue: Sendable {
    public var rowID: Int64
    public var id: UUID
    public var tenant: Int64
    public var channel: OutboxChannel
    public var origin: OutboxOrigin
    public var originID: Int64
    public var recipient: String
    public var message: [UInt8]
    /// Attempts made before this one.
    public var attempts: Int
}

/// How one attempt ended; stored as `outbox_attempts.outcome`.
public enum OutboxAttemptOutcome: Int64, Sendable {
    case delivered = 0
    /// Failed; the row stays pending with a later `next_attempt_at`.
    case retry = 1
    /// Failed for good; the row is marked failed.
    case failed = 2
}

extension Store {
    /// Queues a message inside the caller's write transaction (the cause's), due at once.
    /// Returns its public id.
    @discardableResult
    static func enqueueOutbox(_ entry: OutboxEntry, now: Int64, _ conn: Connection) throws -> UUID {
        let id = newPublicID()
        try conn.execute("""
            INSERT INTO outbox (public_id, tenant_id, channel, origin_kind, origin_id, recipient, message, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, entry.tenant, entry.channel.rawValue, entry.origin.rawValue, entry.originID, entry.recipient, entry.message,
                  now, now])
        return UUID(uuidString: id)!
    }

    /// Queues messages in one transaction of their own.
    public func enqueueOutbox(_ entries: [OutboxEntry]) async throws -> [UUID] {
        guard !entries.isEmpty else { return [] }
        return try await pool.write { conn in
            let now = Store.now()
            return try entries.map { try Store.enqueueOutbox($0, now: now, conn) }
        }
    }

    /// Pending rows due at `now` (Unix ms), oldest due first.
    public func dueOutbox(now: Int64, limit: Int) async throws -> [OutboxDue] {
        try await pool.read { conn in
            var due: [OutboxDue] = []
            try conn.query("""
                SELECT id, public_id, tenant_id, channel, origin_kind, origin_id, recipient, message, attempts
                FROM outbox WHERE state = 0 AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
                """, [now, Int64(limit)]) { row in
                guard let channel = OutboxChannel(rawValue: row.int64(3)), let origin = OutboxOrigin(rawValue: row.int64(4)),
                      let id = UUID(uuidString: row.string(1)) else { return }
                due.append(OutboxDue(rowID: row.int64(0), id: id, tenant: row.int64(2), channel: channel, origin: origin,
                                     originID: row.int64(5), recipient: row.string(6), message: row.blob(7),
                                     attempts: Int(row.int64(8))))
            }
            return due
        }
    }

    /// When the next pending row is due (Unix ms), or nil when nothing is pending.
    public func nextOutboxDue() async throws -> Int64? {
        try await pool.read { conn in
            var next: Int64?
            try conn.query("SELECT min(next_attempt_at) FROM outbox WHERE state = 0") { row in
                next = row.isNull(0) ? nil : row.int64(0)
            }
            return next
        }
    }

    /// Records one attempt and moves the row on: delivered, failed for good, or pending again
    /// from `retryAt` (Unix ms, required for `.retry`).
    public func recordOutboxAttempt(rowID: Int64, outcome: OutboxAttemptOutcome, httpStatus: Int?, message: String,
                                    retryAt: Int64?) async throws {
        try await pool.write { conn in
            let now = Store.now()
            let state: Int64 = switch outcome {
            case .delivered: 1
            case .retry: 0
            case .failed: 2
            }
            let next: Int64? = outcome == .retry ? (retryAt ?? now) : nil
            let changed = try conn.execute("""
                UPDATE outbox SET attempts = attempts + 1, state = ?, last_attempt_at = ?, status_message = ?,
                    next_attempt_at = coalesce(?, next_attempt_at)
                WHERE id = ? AND state = 0
                """, [state, now, message, next, rowID])
            guard changed == 1 else { return }
            let peer: Int64? = httpStatus.map { Int64($0) }
            _ = try conn.execute("""
                INSERT INTO outbox_attempts (outbox_id, attempt, time, outcome, http_status, message)
                VALUES (?, (SELECT attempts FROM outbox WHERE id = ?), ?, ?, ?, ?)
                """, [rowID, rowID, now, outcome.rawValue, peer, message])
        }
    }
}
