internal import API
internal import FoundationEssentials
internal import Outbound
internal import Store

/// Store records → API schemas.
extension Components.Schemas.Webhook {
    init(_ r: WebhookRecord) {
        self.init(id: r.id, url: r.url, eventTypes: r.eventTypes.compactMap { .init(rawValue: $0.rawValue) }, active: r.active,
                  description: r.description, createdAt: r.createdAt, updatedAt: r.updatedAt)
    }
}

extension Components.Schemas.WebhookDelivery {
    init(_ r: WebhookDeliveryRecord) {
        var messageID = ""
        if case .webhook(let call)? = try? OutboundMessage(encoded: r.message) { messageID = call.messageID }
        let state: State = switch r.state {
        case 1: .delivered
        case 2: .failed
        default: .pending
        }
        self.init(id: r.id, messageId: messageID, state: state, attempts: r.attempts, createdAt: r.createdAt,
                  lastAttemptAt: r.lastAttemptAt, nextAttemptAt: r.nextAttemptAt, httpStatus: r.httpStatus,
                  statusMessage: r.statusMessage)
    }
}
