extension AES {
    /// AES-128 in CTR mode: keystream block i = AES(key, iv + i), the whole 16-byte IV read as
    /// one 128-bit big-endian counter. That is what the wM-Bus extended link layer (ELL, ENC 1)
    /// expects: its IV ends in FN(2) ‖ BC(1) and the increment lands in BC, but a carry must
    /// still run through every byte. OpenSSL's EVP_aes_128_ctr does exactly that (its 32-bit
    /// fast path carries into the upper 96 bits); CTRTests checks it across the low 64 bits
    /// and across the full 128-bit wrap.
    public enum CTR {
        public static let ivSize = 16

        /// Encryption and decryption are the same operation. Any length; a partial last block
        /// uses the first bytes of its keystream block.
        public static func crypt(_ data: [UInt8], key: [UInt8], iv: [UInt8]) throws(CryptoError) -> [UInt8] {
            try CipherContext.run(.aes128CTR, key: key, iv: iv, encrypt: true, padding: false, input: data)
        }
    }
}
