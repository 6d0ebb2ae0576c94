public import FoundationEssentials

public struct WebhookRecord: Sendable {
    public var rowID: Int64
    public var id: UUID
    public var url: String
    public var eventTypes: [EventType]
    public var active: Bool
    public var description: String
    public var revision: Int
    public var createdAt: Date
    public var updatedAt: Date
}

/// What a webhook change sets; nil keeps the current value.
public struct WebhookChanges: Sendable {
    public var url: String?
    public var eventTypes: [EventType]?
    public var active: Bool?
    public var description: String?

    public init(url: String? = nil, eventTypes: [EventType]? = nil, active: Bool? = nil, description: String? = nil) {
        self.url = url
        self.eventTypes = eventTypes
        self.active = active
        self.description = description
    }
}

/// An active webhook as the dispatcher follows it.
public struct WebhookFollower: Sendable {
    public var rowID: Int64
    public var tenant: Int64
    public var url: String
    public var eventTypes: Set<EventType>
    /// The last event id handled.
    public var cursor: Int64
}

/// One outbox row of a webhook, for its delivery log.
public struct WebhookDeliveryRecord: Sendable {
    public var id: UUID
    /// The rendered message as the outbox stores it (the App reads the message id from it).
    public var message: [UInt8]
    /// 0 pending, 1 delivered, 2 failed.
    public var state: Int
    public var attempts: Int
    public var createdAt: Date
    public var lastAttemptAt: Date?
    public var nextAttemptAt: Date?
    public var httpStatus: Int?
    public var statusMessage: String?
}
