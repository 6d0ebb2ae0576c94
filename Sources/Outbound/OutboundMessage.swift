internal import FoundationEssentials

/// One message to deliver, rendered and self-contained: what the outbox stores (encoded) and
/// the worker hands to a `MessageTransport`. Secrets never live here: the transport gets the
/// tenant's channel settings at send time, so a changed password applies to queued messages.
public enum OutboundMessage: Sendable, Equatable, Codable {
    case email(Email)
    case sms(SMS)
    case webhook(WebhookCall)

    public struct Email: Sendable, Equatable, Codable {
        public var to: String
        /// UTF-8; the transport encodes it for the header (RFC 2047).
        public var subject: String
        /// Plain text, UTF-8.
        public var body: String

        public init(to: String, subject: String, body: String) {
            self.to = to
            self.subject = subject
            self.body = body
        }
    }

    public struct SMS: Sendable, Equatable, Codable {
        /// E.164, e.g. `+4512345678`.
        public var to: String
        public var text: String

        public init(to: String, text: String) {
            self.to = to
            self.text = text
        }
    }

    /// A Standard Webhooks call: the transport signs `id.timestamp.payload` with the
    /// webhook's secret (given at send time) and POSTs `payload` as JSON.
    public struct WebhookCall: Sendable, Equatable, Codable {
        public var url: String
        /// `webhook-id`: the same on every retry of this message.
        public var messageID: String
        /// `webhook-timestamp`, Unix seconds, of the first attempt's rendering.
        public var timestamp: Int64
        public var payload: [UInt8]

        public init(url: String, messageID: String, timestamp: Int64, payload: [UInt8]) {
            self.url = url
            self.messageID = messageID
            self.timestamp = timestamp
            self.payload = payload
        }
    }

    /// The bytes the outbox stores.
    public func encoded() throws -> [UInt8] { Array(try JSONEncoder().encode(self)) }

    public init(encoded bytes: [UInt8]) throws { self = try JSONDecoder().decode(OutboundMessage.self, from: Data(bytes)) }
}

/// A tenant's channels, secrets decrypted, as the transport needs them at send time.
public struct ChannelSettings: Sendable, Equatable {
    public var email: SMTPSettings?
    public var sms: SMSGatewaySettings?

    public init(email: SMTPSettings? = nil, sms: SMSGatewaySettings? = nil) {
        self.email = email
        self.sms = sms
    }
}

public struct SMTPSettings: Sendable, Equatable {
    /// `smtp://host:port` (STARTTLS required unless `startTLS` is false) or `smtps://host:port`.
    public var url: String
    public var username: String?
    public var password: String?
    /// The envelope and header sender, e.g. `alarms@utility.example`.
    public var from: String
    /// For `smtp://`: require STARTTLS (the default); false only for a trusted relay on loopback.
    public var startTLS: Bool
    public var verifyPeer: Bool
    public var timeoutSeconds: Int

    public init(url: String, username: String? = nil, password: String? = nil, from: String, startTLS: Bool = true,
                verifyPeer: Bool = true, timeoutSeconds: Int = 30) {
        self.url = url
        self.username = username
        self.password = password
        self.from = from
        self.startTLS = startTLS
        self.verifyPeer = verifyPeer
        self.timeoutSeconds = timeoutSeconds
    }
}

/// An HTTP(S) SMS gateway described without code: the body template's `{to}` and `{text}`
/// are replaced, escaped for the content type (form-urlencoded or JSON).
public struct SMSGatewaySettings: Sendable, Equatable {
    public enum BodyFormat: String, Sendable, Equatable { case form, json }

    public var url: String
    /// `POST` (default), `PUT` or `GET` (then the template is the query string).
    public var method: String
    /// Extra headers, e.g. `Authorization: Bearer ...` or `X-API-Key: ...` (secret values).
    public var headers: [Header]
    public var bodyTemplate: String
    public var format: BodyFormat
    public var verifyPeer: Bool
    public var timeoutSeconds: Int

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(url: String, method: String = "POST", headers: [Header] = [], bodyTemplate: String, format: BodyFormat,
                verifyPeer: Bool = true, timeoutSeconds: Int = 30) {
        self.url = url
        self.method = method
        self.headers = headers
        self.bodyTemplate = bodyTemplate
        self.format = format
        self.verifyPeer = verifyPeer
        self.timeoutSeconds = timeoutSeconds
    }
}

/// How one delivery attempt ended. `message` is what the delivery log shows, in the product's
/// words: "The SMS was delivered.", "The connection to the SMS service failed.", ...
public struct DeliveryOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case delivered
        /// Worth trying again later: connection refused or reset, timeout, HTTP 408/429/5xx, SMTP 4xx.
        case transient
        /// Trying again cannot help: not configured, HTTP 4xx other than 408/429, SMTP 5xx, bad address.
        case permanent
    }

    public var status: Status
    public var message: String
    /// The peer's HTTP status or SMTP reply code, when there was one.
    public var peerStatus: Int?

    public init(status: Status, message: String, peerStatus: Int? = nil) {
        self.status = status
        self.message = message
        self.peerStatus = peerStatus
    }
}

/// Sends one message. Implementations never throw: every failure is an outcome the delivery
/// log records. `webhookSecret` is the webhook's signing secret for `.webhook` messages.
public protocol MessageTransport: Sendable {
    func deliver(_ message: OutboundMessage, channels: ChannelSettings, webhookSecret: [UInt8]?) async -> DeliveryOutcome
}
