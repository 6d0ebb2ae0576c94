import Testing
import Crypto

@Suite struct AESCBCTests {
    static let iv = "000102030405060708090a0b0c0d0e0f"
    static let ciphertext = """
        7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2 \
        73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7
        """

    /// SP 800-38A F.2.1 (CBC-AES128.Encrypt).
    @Test func sp800_38A_F21() throws {
        let result = try AES.CBC.encrypt(try hex(SP800_38A.plaintext), key: try hex(SP800_38A.key),
                                         iv: try hex(Self.iv), padding: .none)
        #expect(result == (try hex(Self.ciphertext)))
    }

    /// SP 800-38A F.2.2 (CBC-AES128.Decrypt).
    @Test func sp800_38A_F22() throws {
        let result = try AES.CBC.decrypt(try hex(Self.ciphertext), key: try hex(SP800_38A.key),
                                         iv: try hex(Self.iv), padding: .none)
        #expect(result == (try hex(SP800_38A.plaintext)))
    }

    @Test(arguments: [0, 1, 15, 16, 17, 31, 32, 100])
    func pkcs7RoundTrip(length: Int) throws {
        let key = try hex(SP800_38A.key)
        let iv = try hex(Self.iv)
        let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let sealed = try AES.CBC.encrypt(message, key: key, iv: iv, padding: .pkcs7)
        // Always at least one byte of padding, so an aligned message gains a whole block.
        #expect(sealed.count == (length / 16 + 1) * 16)
        #expect(try AES.CBC.decrypt(sealed, key: key, iv: iv, padding: .pkcs7) == message)
        // The padding is PKCS#7: decrypting without removing it shows n bytes of value n.
        let raw = try AES.CBC.decrypt(sealed, key: key, iv: iv, padding: .none)
        let pad = 16 - length % 16
        #expect(Array(raw.suffix(pad)) == [UInt8](repeating: UInt8(pad), count: pad))
    }

    /// Last blocks whose padding is malformed: 0, more than a block, and inconsistent bytes.
    @Test(arguments: [
        "000102030405060708090a0b0c0d0e00",
        "000102030405060708090a0b0c0d0e11",
        "000102030405060708090a0b0c020303",
    ])
    func badPaddingIsAnError(lastBlock: String) throws {
        let key = try hex(SP800_38A.key)
        let iv = try hex(Self.iv)
        let ciphertext = try AES.CBC.encrypt(try hex(lastBlock), key: key, iv: iv, padding: .none)
        #expect(throws: CryptoError.invalidPadding) {
            try AES.CBC.decrypt(ciphertext, key: key, iv: iv, padding: .pkcs7)
        }
    }

    @Test func badLengthsAreErrors() throws {
        let key = try hex(SP800_38A.key)
        let iv = try hex(Self.iv)
        #expect(throws: CryptoError.invalidLength(got: 17, expected: "a multiple of 16 bytes")) {
            try AES.CBC.encrypt([UInt8](repeating: 0, count: 17), key: key, iv: iv, padding: .none)
        }
        #expect(throws: CryptoError.invalidLength(got: 20, expected: "a non-zero multiple of 16 bytes")) {
            try AES.CBC.decrypt([UInt8](repeating: 0, count: 20), key: key, iv: iv, padding: .pkcs7)
        }
        #expect(throws: CryptoError.invalidLength(got: 0, expected: "a non-zero multiple of 16 bytes")) {
            try AES.CBC.decrypt([], key: key, iv: iv, padding: .pkcs7)
        }
        #expect(throws: CryptoError.invalidKeyLength(expected: 16, got: 15)) {
            try AES.CBC.decrypt([UInt8](repeating: 0, count: 16), key: Array(key.prefix(15)), iv: iv, padding: .none)
        }
        #expect(throws: CryptoError.invalidIVLength(expected: 16, got: 8)) {
            try AES.CBC.encrypt([UInt8](repeating: 0, count: 16), key: key, iv: Array(iv.prefix(8)), padding: .none)
        }
    }
}
