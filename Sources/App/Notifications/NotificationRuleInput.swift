internal import API
internal import FoundationEssentials
internal import FoundationInternationalization
internal import HTTPServer
internal import MBus
internal import Metering
internal import Store

/// A rule's fields from a request, checked as a whole: the recipient suits the channel, the
/// rule sends at some time, codes are given once.
enum NotificationRuleInput {
    static func fields(_ body: Components.Schemas.NotificationRuleCreate) throws -> NotificationRuleFields {
        let codes: [String]? = (body.allInfoCodes ?? (body.infoCodes == nil)) ? nil : body.infoCodes ?? []
        if body.allInfoCodes == true, !(body.infoCodes ?? []).isEmpty { throw bothCodeForms }
        return try checked(NotificationRuleFields(
            channel: body.channel == .sms ? .sms : .email, recipient: body.recipient, active: body.active ?? true,
            subject: try subject(body.subject), group: body.group?.lowercased() ?? "all", infoCodes: codes,
            consumptionAlerts: body.consumptionAlerts ?? false, immediately: body.immediately ?? true,
            digestMinute: try digest(body.dailyDigestAt)))
    }

    /// `current` with the given fields changed.
    static func merged(_ current: NotificationRuleFields, _ body: Components.Schemas.NotificationRuleUpdate) throws -> NotificationRuleFields {
        var f = current
        if let channel = body.channel { f.channel = channel == .sms ? .sms : .email }
        if let recipient = body.recipient { f.recipient = recipient }
        if let active = body.active { f.active = active }
        if let text = body.subject { f.subject = try subject(text) }
        if let group = body.group { f.group = group.lowercased() }
        if body.allInfoCodes == true, !(body.infoCodes ?? []).isEmpty { throw bothCodeForms }
        if body.allInfoCodes == true { f.infoCodes = nil } else if let codes = body.infoCodes { f.infoCodes = codes }
        else if body.allInfoCodes == false, f.infoCodes == nil { f.infoCodes = [] }
        if let alerts = body.consumptionAlerts { f.consumptionAlerts = alerts }
        if let immediately = body.immediately { f.immediately = immediately }
        if let text = body.dailyDigestAt { f.digestMinute = try digest(text) }
        return try checked(f)
    }

    /// When the rule's next digest is due (Unix ms), from now.
    static func nextDigest(_ fields: NotificationRuleFields, zoneName: String, now: Date = Date()) -> Int64? {
        guard fields.active, let minute = fields.digestMinute, let schedule = DailySchedule(minuteOfDay: minute) else { return nil }
        let zone = TimeZone(identifier: zoneName) ?? TimeZone(identifier: "UTC")!
        return schedule.next(after: Int64(now.timeIntervalSince1970.rounded(.down)), in: zone) * 1000
    }

    private static func checked(_ f: NotificationRuleFields) throws -> NotificationRuleFields {
        var f = f
        var errors: [ProblemDetails.FieldError] = []
        switch f.channel {
        case .sms:
            if let phone = RecipientCheck.phone(f.recipient) { f.recipient = phone } else {
                errors.append(.init(pointer: "/recipient", detail: "must be an E.164 phone number (+4551449281) for channel sms"))
            }
        default:
            f.recipient = f.recipient.trimmedSpaces()
            if !RecipientCheck.isEmail(f.recipient) {
                errors.append(.init(pointer: "/recipient", detail: "must be an e-mail address for channel email"))
            }
        }
        if !f.immediately && f.digestMinute == nil {
            errors.append(.init(pointer: "/immediately", detail: "a rule sends immediately, as a daily digest, or both"))
        }
        if let codes = f.infoCodes {
            var seen: Set<String> = []
            f.infoCodes = codes.filter { seen.insert($0).inserted }
            for (i, code) in codes.enumerated() where InfoCodeMaps.entry(code) == nil {
                errors.append(.init(pointer: "/infoCodes/\(i)", detail: "is not an info code of GET /v1/info-code-types"))
            }
            if codes.isEmpty && !f.consumptionAlerts {
                errors.append(.init(pointer: "/infoCodes", detail: "selects nothing: name codes, allow all, or include consumption alerts"))
            }
        }
        guard errors.isEmpty else { throw ProblemDetails(status: 422, detail: "The notification rule is not usable.", errors: errors) }
        return f
    }

    private static func subject(_ text: String?) throws -> String? {
        guard let trimmed = text?.trimmedSpaces(), !trimmed.isEmpty else { return nil }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ProblemDetails(status: 422, detail: "The subject is one line.",
                                 errors: [.init(pointer: "/subject", detail: "must not contain line breaks or control characters")])
        }
        return trimmed
    }

    private static func digest(_ text: String?) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let schedule = DailySchedule(text: text) else {
            throw ProblemDetails(status: 422, detail: "dailyDigestAt is a time of day.",
                                 errors: [.init(pointer: "/dailyDigestAt", detail: "must be HH:MM (00:00-23:59)")])
        }
        return schedule.minuteOfDay
    }

    private static var bothCodeForms: ProblemDetails {
        ProblemDetails(status: 422, detail: "Either every info code or a list of them.",
                       errors: [.init(pointer: "/infoCodes", detail: "must be left out when allInfoCodes is true")])
    }
}
