public import FoundationEssentials

/// A notification rule as stored, with the outcome of its newest message (the product's
/// "Last sent | Status | message" columns).
public struct NotificationRuleRecord: Sendable, Equatable {
    public var rowID: Int64
    public var id: UUID
    public var tenant: Int64
    public var fields: NotificationRuleFields
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// When its newest message was last attempted.
    public var lastSent: Date?
    /// The newest message's state: 0 pending, 1 delivered, 2 failed; nil before the first.
    public var deliveryState: Int64?
    public var deliveryMessage: String?
}

/// What a rule says; every field is stored as given (the App validates).
public struct NotificationRuleFields: Sendable, Equatable {
    public var channel: OutboxChannel
    public var recipient: String
    public var active: Bool
    public var subject: String?
    /// A virtual group's name or a group's public id (lowercase).
    public var group: String
    /// Normalised info codes; nil means every code.
    public var infoCodes: [String]?
    public var consumptionAlerts: Bool
    public var immediately: Bool
    /// Minutes after local midnight of the daily digest; nil: no digest.
    public var digestMinute: Int?

    public init(channel: OutboxChannel, recipient: String, active: Bool, subject: String?, group: String, infoCodes: [String]?,
                consumptionAlerts: Bool, immediately: Bool, digestMinute: Int?) {
        self.channel = channel
        self.recipient = recipient
        self.active = active
        self.subject = subject
        self.group = group
        self.infoCodes = infoCodes
        self.consumptionAlerts = consumptionAlerts
        self.immediately = immediately
        self.digestMinute = digestMinute
    }
}

/// A tenant's channel settings as stored: non-secret JSON and sealed secrets, opaque here.
public struct NotificationChannelsRow: Sendable, Equatable {
    public var email: String?
    public var emailSecret: [UInt8]?
    public var sms: String?
    public var smsSecret: [UInt8]?
    public var version: Int
    public var updatedAt: Date?

    public init(email: String?, emailSecret: [UInt8]?, sms: String?, smsSecret: [UInt8]?, version: Int, updatedAt: Date?) {
        self.email = email
        self.emailSecret = emailSecret
        self.sms = sms
        self.smsSecret = smsSecret
        self.version = version
        self.updatedAt = updatedAt
    }
}

/// One outbox row of a notification, with every attempt, for the delivery log.
public struct NotificationDeliveryRecord: Sendable {
    public var rowID: Int64
    public var id: UUID
    public var ruleID: UUID?
    public var origin: OutboxOrigin
    public var channel: OutboxChannel
    public var recipient: String
    /// 0 pending, 1 delivered, 2 failed.
    public var state: Int64
    public var message: String?
    public var createdAt: Date
    public var lastAttemptAt: Date?
    public var nextAttemptAt: Date?
    public var attempts: [Attempt]

    public struct Attempt: Sendable {
        public var attempt: Int
        public var time: Date
        public var outcome: OutboxAttemptOutcome
        public var peerStatus: Int?
        public var message: String
    }
}
