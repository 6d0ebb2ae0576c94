internal import Crypto
internal import FoundationEssentials
internal import Store

/// Bearer secrets: `fj_` and 43 base64url characters (256 random bits). Only the SHA-256 of
/// the whole string is stored; the prefix is shown so people can tell their tokens apart.
enum TokenSecret {
    static let prefix = "fj_"
    static let length = 3 + 43

    /// A new token in `tenant`: a person's (`user`) or a service's (`role`). Returns the secret,
    /// which exists only in this return value from now on, and the stored record.
    static func issue(_ store: Store, tenant: Int64, name: String, user: UUID?, role: String?, expiresAt: Date?,
                      audit: AuditEntry) async throws -> (secret: String, token: TokenRecord) {
        let secret = try generate()
        let token = try await store.createToken(tenant: tenant, name: name, user: user, role: role, hash: hash(secret),
                                                prefix: displayPrefix(secret), expiresAt: expiresAt, audit: audit)
        return (secret, token)
    }

    static func generate() throws -> String {
        prefix + base64URL(try SecureRandom.bytes(32))
    }

    static func hash(_ secret: String) -> [UInt8] { SHA256.hash(Array(secret.utf8)) }

    /// Shown in listings: enough to recognise a token, far too little to guess it.
    static func displayPrefix(_ secret: String) -> String { String(secret.prefix(9)) }

    /// Cheap shape check before any database work: wrong shapes are rejected uniformly.
    static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == length && text.hasPrefix(prefix)
            && text.utf8.dropFirst(3).allSatisfy { isBase64URL($0) }
    }

    private static func isBase64URL(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
