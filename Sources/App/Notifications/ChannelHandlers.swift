internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// `GET/PUT /v1/notification-channels`: the tenant's SMTP and SMS gateway settings. Secrets are
/// sealed at rest and never returned.
struct ChannelHandlers: Sendable {
    let store: Store
    let vault: KeyVault

    func get(_ input: Operations.GetNotificationChannels.Input) async throws -> Operations.GetNotificationChannels.Output {
        let tenant = RequestContext.required.tenant
        let row = try await store.notificationChannels(tenant: tenant)
        return .ok(try Self.view(row, tenant: tenant, vault: vault), eTag: ETag.format(row.version))
    }

    func replace(_ input: Operations.ReplaceNotificationChannels.Input) async throws -> Operations.ReplaceNotificationChannels.Output {
        let c = RequestContext.required
        let tenant = c.tenant, vault = vault, body = input.body
        try Self.check(body)
        let row = try await store.replaceNotificationChannels(
            tenant: tenant, ifVersion: ETag.required(input.headers.ifMatch), audit: c.audit("notification-channels.replaced")
        ) { current in
            let stored = try StoredChannels(current, tenant: tenant, vault: vault)
            return try Self.row(body, keeping: stored, tenant: tenant, vault: vault)
        }
        return .ok(try Self.view(row, tenant: tenant, vault: vault), eTag: ETag.format(row.version))
    }

    /// The answer: settings without secrets, `passwordSet` / `valueSet` instead.
    static func view(_ row: NotificationChannelsRow, tenant: Int64, vault: KeyVault) throws -> Components.Schemas.NotificationChannels {
        let stored = try StoredChannels(row, tenant: tenant, vault: vault)
        return .init(
            email: stored.email.map {
                .init(url: $0.url, username: $0.username, passwordSet: !(stored.password ?? "").isEmpty, from: $0.from,
                      startTls: $0.startTLS, verifyPeer: $0.verifyPeer, timeoutSeconds: $0.timeoutSeconds)
            },
            sms: stored.sms.map { s in
                .init(url: s.url, method: .init(rawValue: s.method) ?? .post,
                      headers: s.headerNames.enumerated().map { .init(name: $1, valueSet: $0 < stored.headerValues.count) },
                      bodyTemplate: s.bodyTemplate, format: .init(rawValue: s.format) ?? .form, verifyPeer: s.verifyPeer,
                      timeoutSeconds: s.timeoutSeconds)
            },
            updatedAt: row.updatedAt)
    }

    /// Checks what needs no stored state: URL schemes, the sender, the template's placeholders.
    static func check(_ body: Components.Schemas.NotificationChannelsUpdate) throws {
        var errors: [ProblemDetails.FieldError] = []
        if let email = body.email {
            if !hasHost(email.url, schemes: ["smtp://", "smtps://"]) {
                errors.append(.init(pointer: "/email/url", detail: "must be smtp://host[:port] or smtps://host[:port]"))
            }
            if !RecipientCheck.isEmail(email.from) {
                errors.append(.init(pointer: "/email/from", detail: "must be an e-mail address"))
            }
            if let user = email.username, user.utf8.contains(where: { $0 < 0x20 }) {
                errors.append(.init(pointer: "/email/username", detail: "must not contain control characters"))
            }
        }
        if let sms = body.sms {
            if !hasHost(sms.url, schemes: ["https://", "http://"]) {
                errors.append(.init(pointer: "/sms/url", detail: "must be https://host/... or http://host/..."))
            }
            for placeholder in ["{to}", "{text}"] where !sms.bodyTemplate.contains(placeholder) {
                errors.append(.init(pointer: "/sms/bodyTemplate", detail: "must contain \(placeholder)"))
            }
            var seen: Set<String> = []
            for (i, header) in (sms.headers ?? []).enumerated() {
                if !seen.insert(header.name.lowercased()).inserted {
                    errors.append(.init(pointer: "/sms/headers/\(i)/name", detail: "is given twice"))
                }
                if let value = header.value, value.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 }) {
                    errors.append(.init(pointer: "/sms/headers/\(i)/value", detail: "must not contain line breaks or control characters"))
                }
            }
        }
        guard errors.isEmpty else { throw ProblemDetails(status: 422, detail: "The channel settings are not usable.", errors: errors) }
    }

    /// The new row: secrets sealed, a left-out secret kept from `stored`.
    static func row(_ body: Components.Schemas.NotificationChannelsUpdate, keeping stored: StoredChannels, tenant: Int64,
                    vault: KeyVault) throws -> NotificationChannelsRow {
        let encoder = JSONEncoder()
        var row = NotificationChannelsRow(email: nil, emailSecret: nil, sms: nil, smsSecret: nil, version: 0, updatedAt: nil)
        if let email = body.email {
            let config = StoredEmail(url: email.url, username: email.username.flatMap { $0.isEmpty ? nil : $0 }, from: email.from,
                                     startTLS: email.startTls ?? true, verifyPeer: email.verifyPeer ?? true,
                                     timeoutSeconds: email.timeoutSeconds ?? 30)
            row.email = String(decoding: try encoder.encode(config), as: UTF8.self)
            let password = email.password ?? stored.password ?? ""
            row.emailSecret = password.isEmpty ? nil : try vault.sealSecret(Array(password.utf8), tenant: tenant, kind: .smtpPassword)
        }
        if let sms = body.sms {
            var names: [String] = [], values: [String] = []
            var errors: [ProblemDetails.FieldError] = []
            for (i, header) in (sms.headers ?? []).enumerated() {
                let kept = stored.sms?.headerNames.firstIndex { $0.lowercased() == header.name.lowercased() }
                    .flatMap { $0 < stored.headerValues.count ? stored.headerValues[$0] : nil }
                guard let value = header.value ?? kept else {
                    errors.append(.init(pointer: "/sms/headers/\(i)/value", detail: "is required for a header not stored before"))
                    continue
                }
                names.append(header.name)
                values.append(value)
            }
            guard errors.isEmpty else { throw ProblemDetails(status: 422, detail: "The channel settings are not usable.", errors: errors) }
            let config = StoredSMS(url: sms.url, method: sms.method?.rawValue ?? "POST", headerNames: names, bodyTemplate: sms.bodyTemplate,
                                   format: sms.format.rawValue, verifyPeer: sms.verifyPeer ?? true, timeoutSeconds: sms.timeoutSeconds ?? 30)
            row.sms = String(decoding: try encoder.encode(config), as: UTF8.self)
            row.smsSecret = values.isEmpty ? nil
                : try vault.sealSecret(Array(try encoder.encode(values)), tenant: tenant, kind: .gatewayHeaders)
        }
        return row
    }

    /// `scheme://host...` with a non-empty host and no spaces or control characters.
    static func hasHost(_ url: String, schemes: [String]) -> Bool {
        let lower = url.lowercased()
        guard let scheme = schemes.first(where: { lower.hasPrefix($0) }),
              !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return false }
        let authority = lower.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        let host = hostPort.hasPrefix("[") ? hostPort : hostPort.split(separator: ":", omittingEmptySubsequences: false).first ?? ""
        return !host.isEmpty
    }
}
