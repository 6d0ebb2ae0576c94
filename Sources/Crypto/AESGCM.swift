/// AES-256-GCM for secrets at rest (meter keys, under a master key from the environment or
/// the key file). 32-byte key, 12-byte nonce, 16-byte tag.
public enum AESGCM {
    public static let keySize = 32
    public static let nonceSize = 12
    public static let tagSize = 16

    /// The three parts of a GCM result, and their stored form.
    public struct SealedBox: Sendable, Hashable {
        /// The version byte that starts `combined`. Only 1 exists: 12-byte nonce, 16-byte tag.
        public static let version: UInt8 = 1

        public let nonce: [UInt8]
        public let ciphertext: [UInt8]
        public let tag: [UInt8]

        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) throws(CryptoError) {
            guard nonce.count == AESGCM.nonceSize else { throw .invalidIVLength(expected: AESGCM.nonceSize, got: nonce.count) }
            guard tag.count == AESGCM.tagSize else { throw .invalidLength(got: tag.count, expected: "a 16-byte tag") }
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }

        /// `version ‖ nonce ‖ ciphertext ‖ tag`: 29 bytes plus the plaintext's length. The
        /// version byte is not authenticated; changing it can only make parsing fail.
        public var combined: [UInt8] {
            [Self.version] + nonce + ciphertext + tag
        }

        /// Parses `combined`. Too short or an unknown version is an error; whether the contents
        /// are genuine is only known when `AESGCM.open` checks the tag.
        public init(combined: [UInt8]) throws(CryptoError) {
            let minimum = 1 + AESGCM.nonceSize + AESGCM.tagSize
            guard combined.count >= minimum else { throw .invalidLength(got: combined.count, expected: "at least \(minimum) bytes") }
            guard combined[0] == Self.version else { throw .unsupportedVersion(combined[0]) }
            try self.init(nonce: Array(combined[1..<(1 + AESGCM.nonceSize)]),
                          ciphertext: Array(combined[(1 + AESGCM.nonceSize)..<(combined.count - AESGCM.tagSize)]),
                          tag: Array(combined.suffix(AESGCM.tagSize)))
        }
    }

    /// Encrypts and authenticates. Leave `nonce` nil to draw a random one: a nonce must never
    /// repeat under the same key, and random 96-bit nonces stay safe for far more messages
    /// than a key store will ever seal. Pass what the secret belongs to (e.g. the meter's id)
    /// as `aad`, so a sealed key copied onto another row fails to open.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8]? = nil,
                            authenticating aad: [UInt8] = []) throws(CryptoError) -> SealedBox {
        // Not `??`: its autoclosure is untyped-rethrows and would erase CryptoError.
        let nonce = if let nonce { nonce } else { try SecureRandom.bytes(nonceSize) }
        let context = try CipherContext(.aes256GCM, key: key, iv: nonce, encrypt: true)
        try context.authenticate(aad)
        var ciphertext: [UInt8] = []
        ciphertext.reserveCapacity(plaintext.count + AES.blockSize)
        try context.update(plaintext, into: &ciphertext)
        guard context.finish(into: &ciphertext) else { throw OpenSSLErrors.drain(after: "EVP_EncryptFinal_ex(GCM)") }
        return try SealedBox(nonce: nonce, ciphertext: ciphertext, tag: context.gcmTag())
    }

    /// Decrypts and verifies. Any change to the ciphertext, tag, nonce or `aad`, or the wrong
    /// key, throws `authenticationFailed`; no plaintext is returned unless the tag verifies.
    public static func open(_ box: SealedBox, key: [UInt8], authenticating aad: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        let context = try CipherContext(.aes256GCM, key: key, iv: box.nonce, encrypt: false)
        try context.authenticate(aad)
        var plaintext: [UInt8] = []
        plaintext.reserveCapacity(box.ciphertext.count + AES.blockSize)
        try context.update(box.ciphertext, into: &plaintext)
        try context.setGCMTag(box.tag)
        guard context.finish(into: &plaintext) else {
            OpenSSLErrors.clear()
            throw .authenticationFailed
        }
        return plaintext
    }
}
