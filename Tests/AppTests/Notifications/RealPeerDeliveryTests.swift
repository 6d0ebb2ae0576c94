import Crypto
import Foundation
import Testing
@testable import App
import MBus
import Outbound
@testable import Store
import TestSupport

/// The whole path with the real transport and real peers: a real Kamstrup telegram's info code
/// → occurrence and event → rule → outbox → libcurl → an SMTP server on loopback; and an SMS
/// gateway that fails, is retried with backoff, and gets the message after a server restart.
@Suite(.serialized, .blockingIO)
struct RealPeerDeliveryTests {
    func rule(_ f: IngestFixture, _ body: String) async throws -> String {
        let r = try await f.call("POST", "/v1/notification-rules", token: f.adminA, body: body)
        guard r.status == 201, let id = r.json["id"] as? String else { throw IngestFixture.Failure("rule: \(r.status) \(r.text)") }
        return id
    }

    func deliveries(_ f: IngestFixture, rule: String) async throws -> [[String: Any]] {
        try await f.call("GET", "/v1/notification-deliveries?ruleId=\(rule)", token: f.adminA).json["items"] as? [[String: Any]] ?? []
    }

    /// A cap for a loaded machine, not a timing figure.
    func waitFor(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test func aRealTelegramsInfoCodeArrivesAtARealSMTPServer() async throws {
        let smtp = try PythonPeer.smtp()
        defer { smtp.stop() }
        let f = try await IngestFixture.start(transport: CurlTransport())
        defer { Task { await f.stop() } }
        let channels = #"{"email":{"url":"smtp://127.0.0.1:\#(smtp.port)","from":"alarms@a.example","startTls":false}}"#
        #expect(try await f.call("PUT", "/v1/notification-channels", token: f.adminA, body: channels).status == 200)
        let dry = try await rule(f, #"{"recipient":"ops@a.example","channel":"email","infoCodes":["dry"],"subject":"Måleralarm: tør"}"#)
        _ = try await rule(f, #"{"recipient":"leaks@a.example","channel":"email","infoCodes":["leak"]}"#)
        _ = try await f.addMeter(tenant: f.tenantA.rowID, serial: "76348799", key: InfoCodeTests.realKey)

        // wmbusmeters' MULTICAL 21 telegram, status DRY.
        _ = try await f.post("north", [try Hex.decode(InfoCodeTests.realTelegram)], receivedAt: "2026-11-21T10:00:00Z")
        #expect(try await waitFor { smtp.mails().count == 1 })
        let mails = smtp.mails()
        try #require(mails.count == 1) // the leak rule matched nothing
        let mail = mails[0]
        #expect(mail.mailFrom == "alarms@a.example" && mail.rcptTos == ["ops@a.example"])
        let text = String(decoding: mail.bytes, as: UTF8.self)
        let (head, body) = try #require(split(text))
        #expect(head.contains("From: alarms@a.example") && head.contains("To: ops@a.example"))
        #expect(head.contains("MIME-Version: 1.0") && head.contains("Content-Type: text/plain; charset=UTF-8"))
        // The UTF-8 subject as an RFC 2047 encoded word.
        #expect(head.contains("Subject: =?UTF-8?"))
        #expect(decodedSubject(head) == "Måleralarm: tør")
        #expect(body.contains("Dry on meter 76348799"))

        #expect(try await waitFor { try await deliveries(f, rule: dry).first?["state"] as? String == "delivered" })
        let delivery = try #require(try await deliveries(f, rule: dry).first)
        #expect(delivery["status"] as? String == "Success" && delivery["kind"] as? String == "immediate")
        let shown = try await f.call("GET", "/v1/notification-rules/\(dry)", token: f.adminA).json
        #expect(shown["deliveryStatus"] as? String == "Success" && shown["lastSent"] is String)
    }

    @Test func aFailingGatewayIsRetriedWithBackoffAndServedAfterARestart() async throws {
        let gateway = try PythonPeer.http()
        defer { gateway.stop() }
        let clock = ManualClock(Int64(Date().timeIntervalSince1970 * 1000))
        var f = try await IngestFixture.start(transport: CurlTransport(), outboxClock: clock)
        defer { let last = f; Task { await last.stop() } }
        func gatewayChannel(_ path: String) -> String {
            #"{"sms":{"url":"http://127.0.0.1:\#(gateway.port)\#(path)","bodyTemplate":"to={to}&text={text}","format":"form"}}"#
        }
        #expect(try await f.call("PUT", "/v1/notification-channels", token: f.adminA, body: gatewayChannel("/status/500")).status == 200)
        let sms = try await rule(f, #"{"recipient":"+4551449281","channel":"sms"}"#)
        #expect(try await f.call("POST", "/v1/notification-rules/\(sms)/test", token: f.adminA).status == 202)
        // The row was queued at the wall clock's now: the test's clock moves past it.
        clock.set(Int64(Date().timeIntervalSince1970 * 1000) + 1_000)
        f.app.notificationServices?.worker?.wake()

        // The gateway's 500 is a transient failure: recorded, and the message waits for its retry.
        #expect(try await waitFor { (try await deliveries(f, rule: sms).first?["attempts"] as? [Any])?.count == 1 })
        var delivery = try #require(try await deliveries(f, rule: sms).first)
        #expect(delivery["state"] as? String == "pending" && delivery["status"] as? String == "Pending")
        let first = try #require((delivery["attempts"] as? [[String: Any]])?.first)
        #expect(first["outcome"] as? String == "retry" && first["peerStatus"] as? Int == 500)
        #expect((first["message"] as? String)?.contains("HTTP 500") == true)
        let next = try #require(parseTime(delivery["nextAttemptAt"]))
        let after = next.timeIntervalSince1970 * 1000 - Double(clock.now())
        #expect(after >= 27_000 && after <= 33_000) // 30 s ± 10%
        #expect(gateway.requests().count == 1)

        // The gateway is fixed while Fjern is down; after the restart, once the backoff has
        // passed, the queued message goes out, once.
        #expect(try await f.call("PUT", "/v1/notification-channels", token: f.adminA, body: gatewayChannel("/status/200")).status == 200)
        clock.advance(10_000)
        f = try await f.restarted(transport: CurlTransport(), outboxClock: clock)
        f.app.notificationServices?.worker?.wake()
        try await Task.sleep(for: .milliseconds(300))
        #expect(gateway.requests().count == 1) // not before its time
        clock.advance(25_000)
        f.app.notificationServices?.worker?.wake()
        #expect(try await waitFor { try await deliveries(f, rule: sms).first?["state"] as? String == "delivered" })
        delivery = try #require(try await deliveries(f, rule: sms).first)
        #expect((delivery["attempts"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["retry", "delivered"])
        let requests = gateway.requests()
        #expect(requests.map(\.path) == ["/status/500", "/status/200"])
        #expect(requests.count == 2 && requests[0].bodyBytes == requests[1].bodyBytes)
        #expect(String(decoding: requests[1].bodyBytes, as: UTF8.self).hasPrefix("to=%2B4551449281&text="))
    }

    private func split(_ message: String) -> (head: String, body: String)? {
        guard let range = message.range(of: "\r\n\r\n") else { return nil }
        return (String(message[..<range.lowerBound]), String(message[range.upperBound...]))
    }

    /// The Subject header's RFC 2047 words (B or Q encoding, UTF-8), decoded and joined.
    private func decodedSubject(_ head: String) -> String? {
        guard let start = head.range(of: "Subject: ") else { return nil }
        var raw = String(head[start.upperBound...])
        if let end = raw.range(of: "\r\n(?=[^ \t])", options: .regularExpression) { raw = String(raw[..<end.lowerBound]) }
        var out = ""
        for word in raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) {
            let parts = word.split(separator: "?", omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0] == "=", parts[4] == "=" else { return nil }
            switch parts[2].uppercased() {
            case "B":
                guard let data = Data(base64Encoded: String(parts[3])) else { return nil }
                out += String(decoding: data, as: UTF8.self)
            case "Q":
                var bytes: [UInt8] = []
                var chars = Array(parts[3].utf8)[...]
                while let c = chars.popFirst() {
                    if c == UInt8(ascii: "_") { bytes.append(0x20) } else if c == UInt8(ascii: "="), chars.count >= 2,
                        let b = UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) {
                        bytes.append(b); chars = chars.dropFirst(2)
                    } else { bytes.append(c) }
                }
                out += String(decoding: bytes, as: UTF8.self)
            default: return nil
            }
        }
        return out
    }

    private func parseTime(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        return try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
            ?? Date(text, strategy: .iso8601)
    }
}
