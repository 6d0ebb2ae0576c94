import Foundation
import Glibc
@testable import App
import Outbound
@testable import Store
import SQLite
import Synchronization

/// A transport that records what it was given and answers from a script (then `fallback`).
final class FakeTransport: MessageTransport, Sendable {
    private let state: Mutex<(script: [DeliveryOutcome], sent: [OutboundMessage], channels: [ChannelSettings])>
    let fallback: DeliveryOutcome

    init(script: [DeliveryOutcome] = [], fallback: DeliveryOutcome = .init(status: .delivered, message: "The SMS was delivered.", peerStatus: 200)) {
        state = Mutex((script, [], []))
        self.fallback = fallback
    }

    func deliver(_ message: OutboundMessage, channels: ChannelSettings, webhookSecret: [UInt8]?) async -> DeliveryOutcome {
        state.withLock { s in
            s.sent.append(message)
            s.channels.append(channels)
            return s.script.isEmpty ? fallback : s.script.removeFirst()
        }
    }

    var sent: [OutboundMessage] { state.withLock { $0.sent } }
    var channelsSeen: [ChannelSettings] { state.withLock { $0.channels } }

    static let transient = DeliveryOutcome(status: .transient, message: "The connection to the SMS service failed.")
    static let unavailable = DeliveryOutcome(status: .transient, message: "ServiceUnavailable", peerStatus: 503)
    static let permanent = DeliveryOutcome(status: .permanent, message: "The gateway refused the message.", peerStatus: 400)
}

/// Time that moves only when a test says so; jitter fixed at the middle (the nominal delay).
final class ManualClock: OutboxClock, Sendable {
    private let millis: Mutex<Int64>
    init(_ start: Int64) { millis = Mutex(start) }
    func now() -> Int64 { millis.withLock { $0 } }
    func jitter() -> Double { 0.5 }
    func advance(_ delta: Int64) { millis.withLock { $0 += delta } }
    func set(_ value: Int64) { millis.withLock { $0 = value } }
}

/// A temporary data directory, removed by `remove`.
func temporaryDirectory(_ prefix: String) -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
}

/// One outbox row's state, attempts and next attempt time.
struct OutboxRowState: Equatable {
    var state: Int64
    var attempts: Int64
    var nextAttemptAt: Int64
}

extension Store {
    func outboxRow(_ id: UUID) async throws -> OutboxRowState? {
        try await pool.read { conn in
            var row: OutboxRowState?
            try conn.query("SELECT state, attempts, next_attempt_at FROM outbox WHERE public_id = ?", [id.uuidString.lowercased()]) {
                row = OutboxRowState(state: $0.int64(0), attempts: $0.int64(1), nextAttemptAt: $0.int64(2))
            }
            return row
        }
    }

    func outboxCount(_ where: String = "1") async throws -> Int {
        try await pool.read { conn in try conn.scalar("SELECT count(*) FROM outbox WHERE \(`where`)") ?? 0 }
    }
}
