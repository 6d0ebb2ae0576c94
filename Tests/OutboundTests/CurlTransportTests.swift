import Crypto
import Foundation
import Outbound
import Testing
import TestSupport

@Suite("Outbound: CurlTransport against real peers", .blockingIO)
struct CurlTransportTests {
    /// Timeouts well below the peer's /slow (8 s), well above a loaded machine's slowest answer.
    let transport = CurlTransport(webhookTimeoutSeconds: 4)
    /// For peers that must answer (TLS handshakes are slow on a loaded machine).
    let patient = CurlTransport(webhookTimeoutSeconds: 10)

    // MARK: E-mail

    /// Parses a received message with Python's `email` package: an independent reader of headers and body.
    static func parsed(_ mail: ReceivedMail) throws -> [String: String] {
        let script = """
            import email, email.policy, json, sys, base64
            m = email.message_from_bytes(base64.b64decode(sys.argv[1]), policy=email.policy.default)
            out = {k: str(m[k]) for k in ("Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding")}
            out["body"] = m.get_content().replace("\\r\\n", "\\n")
            out["defects"] = str(len(m.defects) + sum(len(m[k].defects) for k in m.keys()))
            print(json.dumps(out))
            """
        let output = try PythonPeer.run("python3", ["-c", script, mail.data])
        return try JSONDecoder().decode([String: String].self, from: Data(output.utf8))
    }

    @Test func anEmailArrivesAsAProperMessage() async throws {
        let peer = try PythonPeer.smtp()
        defer { peer.stop() }
        let settings = SMTPSettings(url: "smtp://127.0.0.1:\(peer.port)", from: "alarms@fjern.test", startTLS: false, timeoutSeconds: 5)
        let subject = "Lækage på måler 76348799 — " + String(repeating: "flow ✓ ", count: 10)
        let body = "Måler 76348799 melder lækage.\nSe https://fjern.test/meters/76348799?x=1&y=2\n.\nHilsen Fjern"
        let outcome = await transport.deliver(.email(.init(to: "drift@forsyning.test", subject: subject, body: body)),
                                              channels: ChannelSettings(email: settings), webhookSecret: nil)
        #expect(outcome == DeliveryOutcome(status: .delivered, message: "The e-mail was delivered.", peerStatus: 250))
        let mails = peer.mails()
        try #require(mails.count == 1)
        #expect(mails[0].mailFrom == "alarms@fjern.test")
        #expect(mails[0].rcptTos == ["drift@forsyning.test"])
        #expect(zip(mails[0].bytes, mails[0].bytes.dropFirst()).allSatisfy { $1 != 0x0A || $0 == 0x0D }) // CRLF only
        let message = try Self.parsed(mails[0])
        #expect(message["Subject"] == subject)
        #expect(message["From"] == "alarms@fjern.test")
        #expect(message["To"] == "drift@forsyning.test")
        #expect(message["MIME-Version"] == "1.0")
        #expect(message["Content-Type"]?.lowercased().replacingOccurrences(of: "\"", with: "") == "text/plain; charset=utf-8")
        #expect(message["Content-Transfer-Encoding"] == "quoted-printable")
        #expect(message["Message-ID"]?.hasSuffix("@fjern.test>") == true)
        #expect(message["Date"]?.hasSuffix("+0000") == true)
        #expect(message["body"] == body + "\n")
        #expect(message["defects"] == "0")
    }

    @Test func smtpRepliesDecideTransientOrPermanent() async throws {
        let peer = try PythonPeer.smtp(auth: "fjern:s3cret")
        defer { peer.stop() }
        var settings = SMTPSettings(url: "smtp://127.0.0.1:\(peer.port)", username: "fjern", password: "s3cret", from: "alarms@fjern.test",
                                    startTLS: false, timeoutSeconds: 5)
        func send(to: String) async -> DeliveryOutcome {
            await transport.deliver(.email(.init(to: to, subject: "s", body: "b")), channels: ChannelSettings(email: settings), webhookSecret: nil)
        }
        #expect(await send(to: "busy@forsyning.test") == DeliveryOutcome(status: .transient, message: "The mail server deferred the message (SMTP 451).", peerStatus: 451))
        #expect(await send(to: "nobody@forsyning.test") == DeliveryOutcome(status: .permanent, message: "The mail server refused the message (SMTP 550).", peerStatus: 550))
        settings.password = "wrong"
        #expect(await send(to: "drift@forsyning.test") == DeliveryOutcome(status: .permanent, message: "The mail server refused the login (SMTP 535).", peerStatus: 535))
        settings.password = "s3cret"
        settings.startTLS = true
        #expect(await send(to: "drift@forsyning.test") == DeliveryOutcome(status: .permanent, message: "The mail server does not offer STARTTLS."))
        #expect(peer.mails().isEmpty)
    }

    @Test func emailFailuresBeforeAnyServer() async {
        let closed = SMTPSettings(url: "smtp://127.0.0.1:\(PythonPeer.closedPort())", from: "alarms@fjern.test", startTLS: false, timeoutSeconds: 5)
        let email = OutboundMessage.email(.init(to: "drift@forsyning.test", subject: "s", body: "b"))
        #expect(await transport.deliver(email, channels: ChannelSettings(email: closed), webhookSecret: nil)
            == DeliveryOutcome(status: .transient, message: "The connection to the mail server failed."))
        #expect(await transport.deliver(email, channels: ChannelSettings(), webhookSecret: nil)
            == DeliveryOutcome(status: .permanent, message: "No e-mail channel is configured."))
        let injected = await transport.deliver(.email(.init(to: "drift@forsyning.test", subject: "s\r\nBcc: victim@x.test", body: "b")),
                                               channels: ChannelSettings(email: closed), webhookSecret: nil)
        #expect(injected == DeliveryOutcome(status: .permanent, message: "The subject contains a line break."))
        let badAddress = await transport.deliver(.email(.init(to: "drift@forsyning.test>\r\nRCPT TO:<x@y.test", subject: "s", body: "b")),
                                                 channels: ChannelSettings(email: closed), webhookSecret: nil)
        #expect(badAddress.status == .permanent)
        #expect(badAddress.message.hasPrefix("The recipient address"))
    }

    // MARK: SMS

    static func gateway(_ port: Int, path: String = "/sms", method: String = "POST", format: SMSGatewaySettings.BodyFormat = .form,
                        template: String = "to={to}&text={text}") -> SMSGatewaySettings {
        SMSGatewaySettings(url: "http://127.0.0.1:\(port)\(path)", method: method,
                           headers: [.init(name: "Authorization", value: "Bearer sms-token")],
                           bodyTemplate: template, format: format, timeoutSeconds: 4)
    }

    static let sms = OutboundMessage.sms(.init(to: "+4512345678", text: "Lækage & \"tryk\"\nMåler 7"))

    @Test func smsAsAFormPostWithTheConfiguredHeaders() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let outcome = await transport.deliver(Self.sms, channels: ChannelSettings(sms: Self.gateway(peer.port)), webhookSecret: nil)
        #expect(outcome == DeliveryOutcome(status: .delivered, message: "The SMS was delivered.", peerStatus: 200))
        let request = try #require(peer.requests().first)
        #expect(request.method == "POST")
        #expect(request.path == "/sms")
        #expect(request.header("authorization") == "Bearer sms-token")
        #expect(request.header("content-type") == "application/x-www-form-urlencoded")
        let form = formFields(String(decoding: request.bodyBytes, as: UTF8.self))
        #expect(form.map(\.name) == ["to", "text"])
        #expect(form.first { $0.name == "to" }?.value == "+4512345678")
        #expect(form.first { $0.name == "text" }?.value == "Lækage & \"tryk\"\nMåler 7")
    }

    @Test func smsAsJSON() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let settings = Self.gateway(peer.port, method: "PUT", format: .json, template: #"{"to":"{to}","text":"{text}"}"#)
        let outcome = await transport.deliver(Self.sms, channels: ChannelSettings(sms: settings), webhookSecret: nil)
        #expect(outcome.status == .delivered)
        let request = try #require(peer.requests().first)
        #expect(request.method == "PUT")
        #expect(request.header("content-type") == "application/json")
        let object = try JSONSerialization.jsonObject(with: Data(request.bodyBytes)) as? [String: String]
        #expect(object == ["to": "+4512345678", "text": "Lækage & \"tryk\"\nMåler 7"])
    }

    @Test func smsAsAGetPutsTheTemplateInTheQuery() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let settings = Self.gateway(peer.port, path: "/send?key=k1", method: "GET")
        #expect(await transport.deliver(Self.sms, channels: ChannelSettings(sms: settings), webhookSecret: nil).status == .delivered)
        let request = try #require(peer.requests().first)
        #expect(request.method == "GET")
        #expect(request.bodyBytes.isEmpty)
        let parts = request.path.split(separator: "?", maxSplits: 1).map(String.init)
        #expect(parts.first == "/send")
        let query = formFields(parts.last ?? "")
        #expect(query.map(\.name) == ["key", "to", "text"])
        #expect(query.last?.value == "Lækage & \"tryk\"\nMåler 7")
    }

    @Test func smsStatusesDecideTheOutcome() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let cases: [(Int, DeliveryOutcome)] = [
            (500, DeliveryOutcome(status: .transient, message: "The SMS service could not take the message (HTTP 500).", peerStatus: 500)),
            (503, DeliveryOutcome(status: .transient, message: "The SMS service could not take the message (HTTP 503).", peerStatus: 503)),
            (429, DeliveryOutcome(status: .transient, message: "The SMS service could not take the message (HTTP 429).", peerStatus: 429)),
            (408, DeliveryOutcome(status: .transient, message: "The SMS service could not take the message (HTTP 408).", peerStatus: 408)),
            (400, DeliveryOutcome(status: .permanent, message: "The SMS service refused the message (HTTP 400).", peerStatus: 400)),
            (401, DeliveryOutcome(status: .permanent, message: "The SMS service refused the message (HTTP 401).", peerStatus: 401)),
            (202, DeliveryOutcome(status: .delivered, message: "The SMS was delivered.", peerStatus: 202)),
        ]
        for (status, expected) in cases {
            let outcome = await transport.deliver(Self.sms, channels: ChannelSettings(sms: Self.gateway(peer.port, path: "/status/\(status)")),
                                                  webhookSecret: nil)
            #expect(outcome == expected)
        }
    }

    @Test func smsFailuresWithoutAStatus() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let closed = await transport.deliver(Self.sms, channels: ChannelSettings(sms: Self.gateway(PythonPeer.closedPort())), webhookSecret: nil)
        #expect(closed == DeliveryOutcome(status: .transient, message: "The connection to the SMS service failed."))
        let slow = await transport.deliver(Self.sms, channels: ChannelSettings(sms: Self.gateway(peer.port, path: "/slow")), webhookSecret: nil)
        #expect(slow == DeliveryOutcome(status: .transient, message: "The SMS service did not answer in time."))
        let hangUp = await transport.deliver(Self.sms, channels: ChannelSettings(sms: Self.gateway(peer.port, path: "/close")), webhookSecret: nil)
        #expect(hangUp == DeliveryOutcome(status: .transient, message: "The connection to the SMS service failed."))
        #expect(await transport.deliver(Self.sms, channels: ChannelSettings(), webhookSecret: nil)
            == DeliveryOutcome(status: .permanent, message: "No SMS channel is configured."))
        let badNumber = await transport.deliver(.sms(.init(to: "4512345678&x=1", text: "t")), channels: ChannelSettings(sms: Self.gateway(peer.port)),
                                                webhookSecret: nil)
        #expect(badNumber.status == .permanent)
        var injected = Self.gateway(peer.port)
        injected.headers = [.init(name: "X-Api-Key", value: "k\r\nX-Injected: 1")]
        let refusedHeader = await transport.deliver(Self.sms, channels: ChannelSettings(sms: injected), webhookSecret: nil)
        #expect(refusedHeader.status == .permanent)
        #expect(refusedHeader.message.hasPrefix("The SMS gateway settings are not valid"))
        var badURL = Self.gateway(peer.port)
        badURL.url = "ftp://127.0.0.1:\(peer.port)/"
        let refused = await transport.deliver(Self.sms, channels: ChannelSettings(sms: badURL), webhookSecret: nil)
        #expect(refused.status == .permanent)
        #expect(refused.message.hasPrefix("The SMS gateway settings are not valid"))
        #expect(peer.requests().map(\.path) == ["/slow", "/close"])
    }

    // MARK: Webhooks

    static func webhook(_ url: String) -> OutboundMessage {
        .webhook(.init(url: url, messageID: "msg_2f1c", timestamp: 1_763_000_000, payload: Array(#"{"type":"alert.triggered","n":1}"#.utf8)))
    }

    @Test func aWebhookIsSignedPerStandardWebhooks() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let secret = Array("a webhook secret of 32 bytes....".utf8)
        let outcome = await transport.deliver(Self.webhook("http://127.0.0.1:\(peer.port)/hooks/fjern"), channels: ChannelSettings(),
                                              webhookSecret: secret)
        #expect(outcome == DeliveryOutcome(status: .delivered, message: "The webhook was delivered.", peerStatus: 200))
        let request = try #require(peer.requests().first)
        #expect(request.method == "POST")
        #expect(request.bodyBytes == Array(#"{"type":"alert.triggered","n":1}"#.utf8))
        #expect(request.header("content-type") == "application/json")
        #expect(request.header("webhook-id") == "msg_2f1c")
        #expect(request.header("webhook-timestamp") == "1763000000")
        // Verified independently: Python's hmac over what the peer received.
        let verify = """
            import base64, hashlib, hmac, sys
            mac = hmac.new(sys.argv[1].encode(), ("%s.%s." % (sys.argv[2], sys.argv[3])).encode() + base64.b64decode(sys.argv[4]), hashlib.sha256)
            print("v1," + base64.b64encode(mac.digest()).decode())
            """
        let expected = try PythonPeer.run("python3", ["-c", verify, String(decoding: secret, as: UTF8.self),
                                                              request.header("webhook-id") ?? "", request.header("webhook-timestamp") ?? "",
                                                              request.body])
        #expect(request.header("webhook-signature") == expected.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func webhookFailures() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let base = "http://127.0.0.1:\(peer.port)"
        let secret: [UInt8] = [1, 2, 3]
        #expect(await transport.deliver(Self.webhook(base + "/status/500"), channels: ChannelSettings(), webhookSecret: secret)
            == DeliveryOutcome(status: .transient, message: "The webhook endpoint could not take the message (HTTP 500).", peerStatus: 500))
        #expect(await transport.deliver(Self.webhook(base + "/status/410"), channels: ChannelSettings(), webhookSecret: secret)
            == DeliveryOutcome(status: .permanent, message: "The webhook endpoint refused the message (HTTP 410).", peerStatus: 410))
        #expect(await transport.deliver(Self.webhook(base + "/redirect"), channels: ChannelSettings(), webhookSecret: secret)
            == DeliveryOutcome(status: .permanent, message: "The webhook endpoint refused the message (HTTP 302).", peerStatus: 302))
        #expect(await transport.deliver(Self.webhook(base + "/slow"), channels: ChannelSettings(), webhookSecret: secret)
            == DeliveryOutcome(status: .transient, message: "The webhook endpoint did not answer in time."))
        #expect(await transport.deliver(Self.webhook("http://127.0.0.1:\(PythonPeer.closedPort())/"), channels: ChannelSettings(), webhookSecret: secret)
            == DeliveryOutcome(status: .transient, message: "The connection to the webhook endpoint failed."))
        #expect(await transport.deliver(Self.webhook(base + "/"), channels: ChannelSettings(), webhookSecret: nil)
            == DeliveryOutcome(status: .permanent, message: "The webhook has no signing secret."))
        #expect(peer.requests().map(\.path) == ["/status/500", "/status/410", "/redirect", "/slow"])
    }

    @Test func aWebhookToAnUnverifiablePeerIsNotSent() async throws {
        let tls = try PythonPeer.selfSignedCertificate()
        defer { try? FileManager.default.removeItem(atPath: (tls.certificate as NSString).deletingLastPathComponent) }
        let peer = try PythonPeer.http(tls: tls)
        defer { peer.stop() }
        let outcome = await patient.deliver(Self.webhook("https://127.0.0.1:\(peer.port)/"), channels: ChannelSettings(), webhookSecret: [1])
        #expect(outcome.status == .transient)
        #expect(outcome.message.hasPrefix("TLS verification of the webhook endpoint failed"), "\(outcome.message)")
        #expect(peer.requests().isEmpty)
    }
}
