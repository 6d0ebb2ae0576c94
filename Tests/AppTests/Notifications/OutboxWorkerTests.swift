import Foundation
import Testing
@testable import App
import Outbound
@testable import Store
import SQLite

/// The outbox worker against a real database and a scripted transport, with time in the
/// test's hands: outcomes recorded, backoff times, the attempt limit, and a restart.
@Suite struct OutboxWorkerTests {
    static let setup = AuditEntry(type: "test.setup", principal: "test", client: "test")
    /// After any real time the rows are queued at (enqueue stamps them with the wall clock).
    static let t0: Int64 = 1_900_000_000_000

    struct Setup {
        let directory: String
        let store: Store
        let tenant: Int64
    }

    func open(_ directory: String? = nil) async throws -> Setup {
        let directory = directory ?? temporaryDirectory("fjern-outbox")
        let store = try await Store(directory: directory)
        var tenant = try await store.tenant(named: "A")?.rowID
        if tenant == nil { tenant = try await store.createTenant(name: "A", timeZone: "UTC", audit: Self.setup).rowID }
        return Setup(directory: directory, store: store, tenant: tenant!)
    }

    func enqueue(_ s: Setup, to: String = "+4551449281") async throws -> UUID {
        let message = OutboundMessage.sms(.init(to: to, text: "Leak on meter 1"))
        return try await s.store.enqueueOutbox([OutboxEntry(tenant: s.tenant, channel: .sms, origin: .notificationRule, originID: 1,
                                                            recipient: to, message: try message.encoded())])[0]
    }

    func worker(_ s: Setup, _ transport: FakeTransport, _ clock: ManualClock, maxAttempts: Int = 8) -> OutboxWorker {
        OutboxWorker(store: s.store, transport: transport, channels: { _ in ChannelSettings() }, clock: clock,
                     backoff: OutboxBackoff(maxAttempts: maxAttempts))
    }

    func close(_ s: Setup) async {
        await s.store.close()
        try? FileManager.default.removeItem(atPath: s.directory)
    }

    @Test func backoffDoublesFromThirtySecondsToAnHourWithJitter() {
        let b = OutboxBackoff()
        #expect((1...9).map { b.delay(afterAttempt: $0, jitter: 0.5) }
                == [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000])
        #expect(b.delay(afterAttempt: 1, jitter: 0) == 27_000)
        #expect(b.delay(afterAttempt: 1, jitter: 1) == 33_000)
        #expect(b.delay(afterAttempt: 60, jitter: 0.5) == 3_600_000)
        #expect(b.decision(attempt: 8, status: .transient, now: 0, jitter: 0.5).outcome == .failed)
        #expect(b.decision(attempt: 7, status: .transient, now: 5, jitter: 0.5) == (.retry, 5 + 1_920_000))
    }

    @Test func maxAttemptsIsAServeOption() throws {
        #expect(ServeOptions().outboxMaxAttempts == 8)
        #expect(try ServeOptions.parse(["--outbox-max-attempts", "3"], environment: [:]).outboxMaxAttempts == 3)
        #expect(try ServeOptions.parse([], environment: ["FJERN_OUTBOX_MAX_ATTEMPTS": "12"]).outboxMaxAttempts == 12)
        #expect(throws: ServeOptions.UsageError.self) { try ServeOptions.parse(["--outbox-max-attempts", "0"], environment: [:]) }
    }

    @Test func deliveredAtOnce() async throws {
        let s = try await open()
        let transport = FakeTransport(), clock = ManualClock(Self.t0)
        let id = try await enqueue(s)
        #expect(try await worker(s, transport, clock).sendDue() == 1)
        #expect(try await s.store.outboxRow(id)?.state == 1)
        #expect(transport.sent == [.sms(.init(to: "+4551449281", text: "Leak on meter 1"))])
        let attempts: [String] = try await s.store.pool.read { conn in
            var out: [String] = []
            try conn.query("SELECT outcome || ' ' || http_status || ' ' || message FROM outbox_attempts") { out.append($0.string(0)) }
            return out
        }
        #expect(attempts == ["0 200 The SMS was delivered."])
        await close(s)
    }

    @Test func transientFailuresBackOffThenDeliver() async throws {
        let s = try await open()
        let clock = ManualClock(Self.t0)
        let transport = FakeTransport(script: [FakeTransport.transient, FakeTransport.unavailable])
        let w = worker(s, transport, clock)
        let id = try await enqueue(s)
        try await w.sendDue()
        #expect(try await s.store.outboxRow(id) == OutboxRowState(state: 0, attempts: 1, nextAttemptAt: Self.t0 + 30_000))
        // Not due yet: nothing is sent.
        clock.advance(29_999)
        #expect(try await w.sendDue() == 0)
        clock.advance(1)
        try await w.sendDue()
        #expect(try await s.store.outboxRow(id) == OutboxRowState(state: 0, attempts: 2, nextAttemptAt: Self.t0 + 30_000 + 60_000))
        clock.advance(60_000)
        try await w.sendDue()
        #expect(try await s.store.outboxRow(id)?.state == 1)
        #expect(transport.sent.count == 3)
        await close(s)
    }

    @Test func permanentFailureIsFinal() async throws {
        let s = try await open()
        let transport = FakeTransport(fallback: FakeTransport.permanent), clock = ManualClock(Self.t0)
        let w = worker(s, transport, clock)
        let id = try await enqueue(s)
        try await w.sendDue()
        #expect(try await s.store.outboxRow(id).map { [$0.state, $0.attempts] } == [2, 1])
        clock.advance(86_400_000)
        #expect(try await w.sendDue() == 0)
        await close(s)
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let s = try await open()
        let transport = FakeTransport(fallback: FakeTransport.transient), clock = ManualClock(Self.t0)
        let w = worker(s, transport, clock, maxAttempts: 3)
        let id = try await enqueue(s)
        for _ in 0..<3 {
            try await w.sendDue()
            clock.advance(3_600_000)
        }
        #expect(try await s.store.outboxRow(id).map { [$0.state, $0.attempts] } == [2, 3])
        let last: String? = try await s.store.pool.read { conn in try conn.scalar("SELECT status_message FROM outbox") }
        #expect(last == "The connection to the SMS service failed. (gave up after 3 attempts)")
        #expect(try await w.sendDue() == 0)
        #expect(transport.sent.count == 3)
        await close(s)
    }

    @Test func queuedBeforeACrashIsSentAfterTheRestart() async throws {
        let first = try await open()
        let id = try await enqueue(first)
        await first.store.close() // the process ends before the worker got to it
        let again = try await open(first.directory)
        let transport = FakeTransport(), clock = ManualClock(Self.t0 * 2)
        #expect(try await worker(again, transport, clock).sendDue() == 1)
        #expect(try await again.store.outboxRow(id)?.state == 1)
        await close(again)
    }

    @Test func runningWorkerWakesOnQueueAndSendsEverything() async throws {
        let s = try await open()
        let transport = FakeTransport()
        let w = OutboxWorker(store: s.store, transport: transport, channels: { _ in ChannelSettings() })
        w.start()
        var ids: [UUID] = []
        for i in 0..<10 { ids.append(try await enqueue(s, to: "+45514492\(10 + i)")) }
        w.wake()
        var delivered = 0
        for _ in 0..<200 where delivered < 10 {
            delivered = try await s.store.outboxCount("state = 1")
            try await Task.sleep(for: .milliseconds(20))
        }
        await w.stop()
        #expect(delivered == 10)
        #expect(Set(transport.sent.map { if case .sms(let m) = $0 { m.to } else { "" } }).count == 10)
        await close(s)
    }
}
