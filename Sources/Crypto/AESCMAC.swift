internal import COpenSSL

extension AES {
    /// AES-CMAC-128 (RFC 4493, NIST SP 800-38B). OMS uses it twice: as the MAC of the AFL
    /// (truncated to 8 bytes for MAC type 5) and as the mode-7 KDF, where
    /// Kenc = CMAC(K, 0x00 ‖ MCR ‖ ID ‖ 0x07×7) is a full 16-byte key.
    public enum CMAC {
        public static let macSize = 16

        /// The full 16-byte MAC.
        public static func mac(key: [UInt8], message: [UInt8]) throws(CryptoError) -> [UInt8] {
            guard key.count == AES.keySize else { throw .invalidKeyLength(expected: AES.keySize, got: key.count) }
            // EVP_MAC objects are fetched per call, like cipher contexts, to keep no shared state.
            guard let algorithm = EVP_MAC_fetch(nil, "CMAC", nil) else { throw OpenSSLErrors.drain(after: "EVP_MAC_fetch(CMAC)") }
            defer { EVP_MAC_free(algorithm) }
            guard let context = EVP_MAC_CTX_new(algorithm) else { throw OpenSSLErrors.drain(after: "EVP_MAC_CTX_new") }
            defer { EVP_MAC_CTX_free(context) }
            guard fjern_cmac_init_aes128(context, key, key.count) == 1 else { throw OpenSSLErrors.drain(after: "EVP_MAC_init") }
            guard EVP_MAC_update(context, message, message.count) == 1 else { throw OpenSSLErrors.drain(after: "EVP_MAC_update") }
            var mac = [UInt8](repeating: 0, count: macSize)
            var written = 0
            guard EVP_MAC_final(context, &mac, &written, mac.count) == 1, written == macSize else {
                throw OpenSSLErrors.drain(after: "EVP_MAC_final")
            }
            return mac
        }

        /// The MAC truncated to its first `length` bytes (1...16), as RFC 4493 and OMS truncate.
        public static func mac(key: [UInt8], message: [UInt8], truncatedTo length: Int) throws(CryptoError) -> [UInt8] {
            try truncate(mac(key: key, message: message), to: length)
        }

        /// The leftmost `length` bytes of a MAC; `length` must be 1...16.
        public static func truncate(_ mac: [UInt8], to length: Int) throws(CryptoError) -> [UInt8] {
            guard (1...mac.count).contains(length) else {
                throw .invalidLength(got: length, expected: "a MAC length of 1...\(mac.count) bytes")
            }
            return Array(mac.prefix(length))
        }

        /// Checks a received, possibly truncated MAC in constant time. An empty `expected` is an
        /// error, not a match: a zero-length MAC would authenticate anything.
        public static func verify(_ expected: [UInt8], key: [UInt8], message: [UInt8]) throws(CryptoError) -> Bool {
            let computed = try mac(key: key, message: message, truncatedTo: expected.count)
            return ConstantTime.equals(computed, expected)
        }
    }
}
