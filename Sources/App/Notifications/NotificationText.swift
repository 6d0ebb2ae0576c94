internal import FoundationEssentials
internal import FoundationInternationalization
internal import MBus
internal import Metering
internal import Outbound
internal import Store

/// Messages in the product's words: "Leak on meter 76348799 at Søndergade 1, 8000 Aarhus C
/// (raised 2026-11-22 10:00)", times on the tenant's clock.
enum NotificationText {
    /// An SMS longer than this is cut (about three concatenated segments).
    static let smsLimit = 459

    /// `leak` → "Leak", `reverse-flow` → "Reverse flow".
    static func codeName(_ code: String) -> String {
        if let entry = InfoCodeMaps.entry(code) { return entry.title }
        let words = code.replacing("-", with: " ").replacing("_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    static func place(_ meter: MeterScope) -> String {
        "meter \(meter.serial)" + (meter.address.map { " at \($0)" } ?? "")
    }

    /// The line for one event.
    static func line(_ event: NotifierEvent, zone: TimeZone) -> String {
        let time = LocalTimeText.minutes(event.time / 1000, in: zone)
        switch event.type {
        case .consumptionAlertTriggered: return "Consumption alert on \(place(event.meter)) (triggered \(time))"
        default: return "\(codeName(event.detail)) on \(place(event.meter)) (raised \(time))"
        }
    }

    /// A digest of the active info codes in a rule's scope.
    static func digest(_ scope: DigestScope, at: Int64, zone: TimeZone) -> (subject: String, body: String, short: String) {
        let count = scope.total == 1 ? "1 meter has" : "\(scope.total) meters have"
        let head = "\(count) active info codes (\(LocalTimeText.minutes(at / 1000, in: zone)))"
        let lines = scope.meters.map { m in
            "- \(place(m)): " + m.activeInfoCodes.map(codeName).joined(separator: ", ")
        }
        let more = scope.total > scope.meters.count ? ["... and \(scope.total - scope.meters.count) more"] : []
        let short = head + ": " + scope.meters.map { "\($0.serial) " + $0.activeInfoCodes.map(codeName).joined(separator: ", ") }
            .joined(separator: "; ")
        return ("Daily info-code summary", ([head + ":"] + lines + more).joined(separator: "\n"), short)
    }

    /// The message for a rule: an e-mail with the rule's subject (or `fallbackSubject`), or an SMS
    /// led by the subject when there is one.
    static func message(for rule: NotificationRuleFields, fallbackSubject: String, body: String, short: String? = nil) -> OutboundMessage {
        switch rule.channel {
        case .sms:
            var text = (rule.subject.map { $0 + ": " } ?? "") + (short ?? body)
            if text.count > smsLimit { text = String(text.prefix(smsLimit - 1)) + "…" }
            return .sms(.init(to: rule.recipient, text: text))
        default:
            return .email(.init(to: rule.recipient, subject: rule.subject ?? fallbackSubject, body: body + "\n"))
        }
    }

    static func entry(tenant: Int64, rule: Int64, fields: NotificationRuleFields, origin: OutboxOrigin,
                      message: OutboundMessage) throws -> OutboxEntry {
        OutboxEntry(tenant: tenant, channel: fields.channel == .sms ? .sms : .email, origin: origin, originID: rule,
                    recipient: fields.recipient, message: try message.encoded())
    }
}
