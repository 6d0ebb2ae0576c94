extension AES {
    /// AES-128 in ECB mode, without padding: each 16-byte block on its own. Only for single
    /// blocks and derivations (building keystreams, test vectors), never for messages.
    public enum ECB {
        /// `blocks` must be a multiple of 16 bytes (zero blocks gives an empty result).
        public static func encrypt(_ blocks: [UInt8], key: [UInt8]) throws(CryptoError) -> [UInt8] {
            try AES.requireBlocks(blocks)
            return try CipherContext.run(.aes128ECB, key: key, iv: [], encrypt: true, padding: false, input: blocks)
        }

        /// `blocks` must be a multiple of 16 bytes (zero blocks gives an empty result).
        public static func decrypt(_ blocks: [UInt8], key: [UInt8]) throws(CryptoError) -> [UInt8] {
            try AES.requireBlocks(blocks)
            return try CipherContext.run(.aes128ECB, key: key, iv: [], encrypt: false, padding: false, input: blocks)
        }
    }
}
