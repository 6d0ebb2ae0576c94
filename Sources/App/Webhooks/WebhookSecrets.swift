internal import Crypto
internal import FoundationEssentials
internal import Store

/// Webhook signing secrets: made here, sealed with the master key (like meter keys), opened
/// only for the outbox worker.
///
/// A secret is shown as `whsec_` + base64 of 24 random bytes (Standard Webhooks); the bytes
/// after the prefix are the HMAC-SHA256 key, and they are what is sealed and what
/// `secret(tenant:webhookRowID:)` returns.
struct WebhookSecrets: Sendable {
    let store: Store
    let vault: KeyVault

    static let prefix = "whsec_"
    static let keyBytes = 24

    /// A fresh key and its displayed form.
    static func generate() throws -> (key: [UInt8], shown: String) {
        let key = try SecureRandom.bytes(keyBytes)
        return (key, prefix + Data(key).base64EncodedString())
    }

    func seal(_ key: [UInt8], webhookRowID: Int64) throws -> [UInt8] {
        try vault.seal(key, context: Self.context(webhookRowID))
    }

    /// The webhook's signing key (the bytes after `whsec_`), for `MessageTransport.deliver`'s
    /// `webhookSecret`; nil when the webhook is gone.
    func secret(tenant: Int64, webhookRowID: Int64) async throws -> [UInt8]? {
        guard let sealed = try await store.webhookSealedSecret(tenant: tenant, webhookRowID: webhookRowID) else { return nil }
        return try vault.unseal(sealed, context: Self.context(webhookRowID))
    }

    private static func context(_ row: Int64) -> String { "webhook:\(row)" }
}
