internal import FoundationEssentials
internal import Outbound
internal import Store

/// The non-secret part of each channel as `notification_channels` keeps it (JSON), and the
/// way back to the `ChannelSettings` a transport needs, secrets unsealed.
struct StoredEmail: Codable, Equatable {
    var url: String
    var username: String?
    var from: String
    var startTLS: Bool
    var verifyPeer: Bool
    var timeoutSeconds: Int
}

struct StoredSMS: Codable, Equatable {
    var url: String
    var method: String
    /// Header names in order; their values are sealed together (`sms_secret`).
    var headerNames: [String]
    var bodyTemplate: String
    var format: String
    var verifyPeer: Bool
    var timeoutSeconds: Int
}

struct StoredChannels {
    var email: StoredEmail?
    var password: String?
    var sms: StoredSMS?
    /// Header values by position in `sms.headerNames`.
    var headerValues: [String]

    init(_ row: NotificationChannelsRow, tenant: Int64, vault: KeyVault) throws {
        let decoder = JSONDecoder()
        email = try row.email.map { try decoder.decode(StoredEmail.self, from: Data($0.utf8)) }
        sms = try row.sms.map { try decoder.decode(StoredSMS.self, from: Data($0.utf8)) }
        password = try row.emailSecret.map { String(decoding: try vault.unsealSecret($0, tenant: tenant, kind: .smtpPassword), as: UTF8.self) }
        headerValues = try row.smsSecret.map {
            try decoder.decode([String].self, from: Data(try vault.unsealSecret($0, tenant: tenant, kind: .gatewayHeaders)))
        } ?? []
    }

    /// What a transport needs; a channel not configured is nil (its messages fail permanently).
    var settings: ChannelSettings {
        ChannelSettings(
            email: email.map {
                SMTPSettings(url: $0.url, username: $0.username, password: password, from: $0.from, startTLS: $0.startTLS,
                             verifyPeer: $0.verifyPeer, timeoutSeconds: $0.timeoutSeconds)
            },
            sms: sms.map { s in
                SMSGatewaySettings(url: s.url, method: s.method,
                                   headers: s.headerNames.enumerated().map { .init(name: $1, value: $0 < headerValues.count ? headerValues[$0] : "") },
                                   bodyTemplate: s.bodyTemplate, format: .init(rawValue: s.format) ?? .form, verifyPeer: s.verifyPeer,
                                   timeoutSeconds: s.timeoutSeconds)
            })
    }

    /// A tenant's channels for the outbox worker.
    static func load(_ store: Store, vault: KeyVault, tenant: Int64) async throws -> ChannelSettings {
        try StoredChannels(try await store.notificationChannels(tenant: tenant), tenant: tenant, vault: vault).settings
    }
}
