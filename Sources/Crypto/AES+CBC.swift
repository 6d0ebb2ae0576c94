extension AES {
    /// AES-128 in CBC mode with a 16-byte IV. OMS security mode 5 (IV from the header),
    /// mode 7 (IV of zeros, session key from the CMAC KDF) and Kamstrup KEM files use it with
    /// `.none`; the caller handles the 2F fillers or the XML-Encryption padding.
    public enum CBC {
        public static let ivSize = 16

        /// With `.none` the data must be a multiple of 16 bytes; with `.pkcs7` any length,
        /// and the result grows to the next whole block (a full block if already aligned).
        public static func encrypt(_ data: [UInt8], key: [UInt8], iv: [UInt8], padding: Padding) throws(CryptoError) -> [UInt8] {
            if padding == .none { try AES.requireBlocks(data) }
            return try CipherContext.run(.aes128CBC, key: key, iv: iv, encrypt: true, padding: padding == .pkcs7, input: data)
        }

        /// The data must be a multiple of 16 bytes, and with `.pkcs7` at least one block.
        /// Bad padding throws `invalidPadding`. Do not expose that distinction to a remote
        /// party who can submit ciphertexts (a padding oracle); map it to a generic failure.
        public static func decrypt(_ data: [UInt8], key: [UInt8], iv: [UInt8], padding: Padding) throws(CryptoError) -> [UInt8] {
            try AES.requireBlocks(data, allowEmpty: padding == .none)
            return try CipherContext.run(.aes128CBC, key: key, iv: iv, encrypt: false, padding: padding == .pkcs7, input: data)
        }
    }
}
