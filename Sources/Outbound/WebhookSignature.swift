internal import Crypto

/// Standard Webhooks (standardwebhooks.com) signing: `v1,` + base64 of
/// HMAC-SHA256(secret, "{id}.{timestamp}.{payload}").
public enum WebhookSignature {
    public static func sign(secret: [UInt8], messageID: String, timestamp: Int64, payload: [UInt8]) -> String {
        var signed: [UInt8] = []
        signed.reserveCapacity(messageID.utf8.count + 22 + payload.count)
        signed.append(contentsOf: messageID.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: String(timestamp).utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: payload)
        return "v1," + MailComposer.base64(HMAC.sha256(key: secret, message: signed))
    }
}
