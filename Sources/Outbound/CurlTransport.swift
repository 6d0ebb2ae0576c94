internal import Crypto
internal import Curl
internal import Glibc

/// The real `MessageTransport`: e-mail over SMTP(S), SMS through an HTTP gateway, Standard
/// Webhooks calls, all through `Curl`. Every failure becomes an outcome in the product's words.
public struct CurlTransport: MessageTransport {
    /// A webhook call's whole-transfer limit: endpoints are expected to answer at once.
    public var webhookTimeoutSeconds: Int
    /// Connect limit for every channel, capped by the channel's own timeout.
    public var connectTimeoutSeconds: Int

    public init(webhookTimeoutSeconds: Int = 15, connectTimeoutSeconds: Int = 10) {
        self.webhookTimeoutSeconds = webhookTimeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    public func deliver(_ message: OutboundMessage, channels: ChannelSettings, webhookSecret: [UInt8]?) async -> DeliveryOutcome {
        switch message {
        case .email(let email): await send(email, settings: channels.email)
        case .sms(let sms): await send(sms, settings: channels.sms)
        case .webhook(let call): await send(call, secret: webhookSecret)
        }
    }

    // MARK: E-mail

    private func send(_ email: OutboundMessage.Email, settings: SMTPSettings?) async -> DeliveryOutcome {
        guard let settings else { return DeliveryOutcome(status: .permanent, message: "No e-mail channel is configured.") }
        let bytes: [UInt8]
        do {
            bytes = try MailComposer.compose(from: settings.from, to: email.to, subject: email.subject, body: email.body,
                                             date: Int64(time(nil)), messageID: Self.messageID(from: settings.from))
        } catch {
            return DeliveryOutcome(status: .permanent, message: error.message)
        }
        let server = SMTPServer(url: settings.url, username: settings.username, password: settings.password,
                                requireTLS: settings.startTLS, verifyPeer: settings.verifyPeer,
                                timeoutSeconds: settings.timeoutSeconds,
                                connectTimeoutSeconds: min(connectTimeoutSeconds, max(1, settings.timeoutSeconds)))
        do {
            let reply = try await CurlSMTP.send(MailSubmission(from: settings.from, recipients: [email.to], message: bytes), via: server)
            return DeliveryOutcome(status: .delivered, message: "The e-mail was delivered.", peerStatus: reply.code)
        } catch {
            return Self.smtpOutcome(error)
        }
    }

    static func smtpOutcome(_ error: CurlError) -> DeliveryOutcome {
        if let code = error.responseCode, code >= 400 {
            let transient = code < 500
            let what = error.isLoginDenied ? "refused the login" : transient ? "deferred the message" : "refused the message"
            return DeliveryOutcome(status: transient ? .transient : .permanent, message: "The mail server \(what) (SMTP \(code)).",
                                   peerStatus: code)
        }
        if error.code == 64 { // CURLE_USE_SSL_FAILED: no STARTTLS offered, and it is required
            return DeliveryOutcome(status: .permanent, message: "The mail server does not offer STARTTLS.")
        }
        return commonOutcome(error, service: "the mail server", settings: "e-mail", thing: "e-mail")
    }

    /// `<32 hex digits@sender's domain>`: unique without a host name to leak.
    static func messageID(from: String) -> String {
        let domain = from.split(separator: "@").last.map(String.init) ?? "fjern.invalid"
        let random = (try? SecureRandom.bytes(16)) ?? []
        let hex = Array("0123456789abcdef".utf8)
        var id: [UInt8] = []
        for byte in random { id.append(hex[Int(byte >> 4)]); id.append(hex[Int(byte & 15)]) }
        if id.isEmpty { id = Array(String(time(nil)).utf8) }
        return "<\(String(decoding: id, as: UTF8.self))@\(domain)>"
    }

    // MARK: SMS

    private func send(_ sms: OutboundMessage.SMS, settings: SMSGatewaySettings?) async -> DeliveryOutcome {
        guard let settings else { return DeliveryOutcome(status: .permanent, message: "No SMS channel is configured.") }
        guard Self.isE164(sms.to) else {
            return DeliveryOutcome(status: .permanent, message: "The phone number \"\(sms.to.prefix(32))\" is not in E.164 form (+4512345678).")
        }
        let method = settings.method.uppercased()
        var url = settings.url
        var body: [UInt8] = []
        var headers = settings.headers.map { HTTPField(name: $0.name, value: $0.value) }
        if method == "GET" {
            // The query string is percent-encoded whatever the body format.
            let query = SMSTemplate.render(settings.bodyTemplate, format: .form, to: sms.to, text: sms.text)
            url += (url.contains("?") ? "&" : "?") + query
        } else {
            body = Array(SMSTemplate.render(settings.bodyTemplate, format: settings.format, to: sms.to, text: sms.text).utf8)
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(HTTPField(name: "Content-Type",
                                         value: settings.format == .json ? "application/json" : "application/x-www-form-urlencoded"))
            }
        }
        let call = HTTPCall(method: method, url: url, headers: headers, body: body, timeoutSeconds: settings.timeoutSeconds,
                            connectTimeoutSeconds: min(connectTimeoutSeconds, max(1, settings.timeoutSeconds)),
                            verifyPeer: settings.verifyPeer, maxResponseBytes: 1 << 16)
        return await Self.httpOutcome(call, service: "the SMS service", settings: "SMS gateway", thing: "SMS")
    }

    static func isE164(_ number: String) -> Bool {
        let bytes = Array(number.utf8)
        guard bytes.count >= 8, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    // MARK: Webhook

    private func send(_ webhook: OutboundMessage.WebhookCall, secret: [UInt8]?) async -> DeliveryOutcome {
        guard let secret, !secret.isEmpty else {
            return DeliveryOutcome(status: .permanent, message: "The webhook has no signing secret.")
        }
        let signature = WebhookSignature.sign(secret: secret, messageID: webhook.messageID, timestamp: webhook.timestamp,
                                              payload: webhook.payload)
        let call = HTTPCall(method: "POST", url: webhook.url,
                            headers: [HTTPField(name: "webhook-id", value: webhook.messageID),
                                      HTTPField(name: "webhook-timestamp", value: String(webhook.timestamp)),
                                      HTTPField(name: "webhook-signature", value: signature),
                                      HTTPField(name: "content-type", value: "application/json")],
                            body: webhook.payload, timeoutSeconds: webhookTimeoutSeconds,
                            connectTimeoutSeconds: min(connectTimeoutSeconds, max(1, webhookTimeoutSeconds)), maxResponseBytes: 1 << 16)
        return await Self.httpOutcome(call, service: "the webhook endpoint", settings: "webhook", thing: "webhook")
    }

    // MARK: Outcomes

    /// 2xx delivered; 408, 429 and 5xx transient; any other status permanent (redirects are
    /// not followed: the URL must be changed).
    static func httpOutcome(_ call: HTTPCall, service: String, settings: String, thing: String) async -> DeliveryOutcome {
        let status: Int
        do {
            status = try await CurlHTTP.perform(call).status
        } catch {
            // An oversized answer to an accepted message is still an accepted message.
            guard error.isResponseTooLarge, let code = error.responseCode else {
                return commonOutcome(error, service: service, settings: settings, thing: thing)
            }
            status = code
        }
        let Service = service.prefix(1).uppercased() + service.dropFirst()
        switch status {
        case 200..<300:
            return DeliveryOutcome(status: .delivered, message: "The \(thing) was delivered.", peerStatus: status)
        case 408, 429, 500..<600:
            return DeliveryOutcome(status: .transient, message: "\(Service) could not take the message (HTTP \(status)).", peerStatus: status)
        default:
            return DeliveryOutcome(status: .permanent, message: "\(Service) refused the message (HTTP \(status)).", peerStatus: status)
        }
    }

    /// Failures without a peer's verdict. TLS verification counts as transient: a peer's
    /// expired or replaced certificate is usually fixed on its side, and retries are bounded.
    static func commonOutcome(_ error: CurlError, service: String, settings: String, thing: String) -> DeliveryOutcome {
        let Service = service.prefix(1).uppercased() + service.dropFirst()
        if error.isInvalidRequest {
            return DeliveryOutcome(status: .permanent, message: "The \(settings) settings are not valid: \(error.message).")
        }
        if error.isTimeout {
            return DeliveryOutcome(status: .transient, message: "\(Service) did not answer in time.")
        }
        if error.isCertificateVerificationFailure {
            return DeliveryOutcome(status: .transient, message: "TLS verification of \(service) failed: \(error.message).")
        }
        if error.isTLSFailure {
            return DeliveryOutcome(status: .transient, message: "TLS with \(service) failed: \(error.message).")
        }
        if error.isConnectionFailure {
            return DeliveryOutcome(status: .transient, message: "The connection to \(service) failed.")
        }
        if error.isCancelled {
            return DeliveryOutcome(status: .transient, message: "Sending the \(thing) was interrupted.")
        }
        return DeliveryOutcome(status: .transient, message: "The \(thing) could not be sent: \(error.message).")
    }
}
