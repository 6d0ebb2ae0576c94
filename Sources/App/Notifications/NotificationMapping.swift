internal import API
internal import FoundationEssentials
internal import Metering
internal import Store

/// Store records → API schemas for notification rules and deliveries.
extension Components.Schemas.NotificationRule {
    init(_ r: NotificationRuleRecord) {
        let f = r.fields
        self.init(id: r.id, recipient: f.recipient, channel: f.channel == .sms ? .sms : .email, active: f.active, subject: f.subject,
                  group: f.group, allInfoCodes: f.infoCodes == nil, infoCodes: f.infoCodes ?? [],
                  consumptionAlerts: f.consumptionAlerts, immediately: f.immediately,
                  dailyDigestAt: f.digestMinute.flatMap { DailySchedule(minuteOfDay: $0)?.text }, lastSent: r.lastSent,
                  deliveryStatus: r.deliveryState.map { $0 == 1 ? .success : $0 == 2 ? .failed : .pending },
                  deliveryMessage: r.deliveryMessage, createdAt: r.createdAt, updatedAt: r.updatedAt)
    }
}

extension Components.Schemas.NotificationDelivery {
    init(_ r: NotificationDeliveryRecord) {
        let kind: Kind = switch r.origin {
        case .notificationTest: .test
        case .notificationDigest: .digest
        default: .immediate
        }
        self.init(id: r.id, ruleId: r.ruleID, kind: kind, channel: r.channel == .sms ? .sms : .email, recipient: r.recipient,
                  state: r.state == 1 ? .delivered : r.state == 2 ? .failed : .pending,
                  status: r.state == 1 ? .success : r.state == 2 ? .failed : .pending, message: r.message, createdAt: r.createdAt,
                  lastAttemptAt: r.lastAttemptAt, nextAttemptAt: r.nextAttemptAt,
                  attempts: r.attempts.map {
                      .init(attempt: $0.attempt, time: $0.time,
                            outcome: $0.outcome == .delivered ? .delivered : $0.outcome == .retry ? .retry : .failed,
                            peerStatus: $0.peerStatus, message: $0.message)
                  })
    }
}
