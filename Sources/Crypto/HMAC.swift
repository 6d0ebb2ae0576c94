internal import COpenSSL

/// HMAC (RFC 2104) over SHA-256: webhook signatures and keyed token digests.
public enum HMAC {
    /// Any key length. Keys longer than SHA-256's 64-byte block are hashed first, which is what
    /// RFC 2104 prescribes anyway; doing it here keeps the length within OpenSSL's `int`.
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let key = key.count > 64 ? SHA256.hash(key) : key
        var mac = [UInt8](repeating: 0, count: SHA256.digestSize)
        var written: UInt32 = 0
        // Fails only if OpenSSL cannot allocate or its provider is missing: no input causes it.
        guard COpenSSL.HMAC(EVP_sha256(), key, Int32(key.count), message, message.count, &mac, &written) != nil,
              written == SHA256.digestSize else {
            fatalError("\(OpenSSLErrors.drain(after: "HMAC(SHA-256)"))")
        }
        return mac
    }
}
