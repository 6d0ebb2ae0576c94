import Testing
import Crypto

@Suite struct AESGCMTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let testCase: Int
        let key: String
        let nonce: String
        let plaintext: String
        let aad: String
        let ciphertext: String
        let tag: String
        var testDescription: String { "GCM spec test case \(testCase)" }
    }

    static let key15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let plaintext15 = """
        d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72 \
        1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b391aafd255
        """
    static let ciphertext15 = """
        522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa \
        8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662898015ad
        """

    /// McGrew and Viega, "The Galois/Counter Mode of Operation", appendix B, the 256-bit-key
    /// cases with 96-bit IVs (13 to 16). Case 16 drops the last 4 plaintext bytes and adds AAD.
    static let vectors = [
        Vector(testCase: 13, key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
               plaintext: "", aad: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        Vector(testCase: 14, key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
               plaintext: String(repeating: "00", count: 16), aad: "",
               ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        Vector(testCase: 15, key: key15, nonce: "cafebabefacedbaddecaf888", plaintext: plaintext15, aad: "",
               ciphertext: ciphertext15, tag: "b094dac5d93471bdec1a502270e3cc6c"),
        Vector(testCase: 16, key: key15, nonce: "cafebabefacedbaddecaf888",
               plaintext: String(plaintext15.dropLast(8)), aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
               ciphertext: String(ciphertext15.dropLast(8)), tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    @Test(arguments: vectors)
    func knownAnswer(_ vector: Vector) throws {
        let key = try hex(vector.key)
        let box = try AESGCM.seal(try hex(vector.plaintext), key: key, nonce: try hex(vector.nonce),
                                  authenticating: try hex(vector.aad))
        #expect(box.ciphertext == (try hex(vector.ciphertext)))
        #expect(box.tag == (try hex(vector.tag)))
        #expect(try AESGCM.open(box, key: key, authenticating: try hex(vector.aad)) == (try hex(vector.plaintext)))
    }

    @Test func roundTripWithRandomNonceAndCombinedForm() throws {
        let key = try SecureRandom.bytes(32)
        let meterKey = try hex("28f64a24988064a00000000000000000")
        let aad = Array("meter 12345678".utf8)
        let first = try AESGCM.seal(meterKey, key: key, authenticating: aad)
        let second = try AESGCM.seal(meterKey, key: key, authenticating: aad)
        #expect(first.nonce.count == 12)
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
        let stored = first.combined
        #expect(stored.count == 1 + 12 + 16 + 16)
        #expect(stored.first == AESGCM.SealedBox.version)
        let parsed = try AESGCM.SealedBox(combined: stored)
        #expect(parsed == first)
        #expect(try AESGCM.open(parsed, key: key, authenticating: aad) == meterKey)
        // An empty plaintext still round-trips through the combined form.
        let empty = try AESGCM.SealedBox(combined: try AESGCM.seal([], key: key).combined)
        #expect(try AESGCM.open(empty, key: key) == [])
    }

    /// Every single-bit change to what the tag covers, and the wrong key, fail alike.
    @Test func tamperingFailsAuthentication() throws {
        let key = [UInt8](repeating: 7, count: 32)
        let aad: [UInt8] = [1, 2, 3]
        let box = try AESGCM.seal(Array("secret meter key".utf8), key: key, authenticating: aad)
        func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
            var copy = bytes
            copy[index] ^= 0x01
            return copy
        }
        let altered = [
            try AESGCM.SealedBox(nonce: box.nonce, ciphertext: flipped(box.ciphertext, at: 3), tag: box.tag),
            try AESGCM.SealedBox(nonce: box.nonce, ciphertext: box.ciphertext, tag: flipped(box.tag, at: 15)),
            try AESGCM.SealedBox(nonce: flipped(box.nonce, at: 0), ciphertext: box.ciphertext, tag: box.tag),
            try AESGCM.SealedBox(nonce: box.nonce, ciphertext: Array(box.ciphertext.dropLast()), tag: box.tag),
        ]
        for candidate in altered {
            #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(candidate, key: key, authenticating: aad) }
        }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: key, authenticating: [1, 2, 4]) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: key) }
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box, key: flipped(key, at: 31), authenticating: aad)
        }
        #expect(try AESGCM.open(box, key: key, authenticating: aad) == Array("secret meter key".utf8))
    }

    @Test func badInputIsAnError() throws {
        let key = [UInt8](repeating: 7, count: 32)
        #expect(throws: CryptoError.invalidKeyLength(expected: 32, got: 16)) {
            try AESGCM.seal([1], key: Array(key.prefix(16)))
        }
        #expect(throws: CryptoError.invalidIVLength(expected: 12, got: 16)) {
            try AESGCM.seal([1], key: key, nonce: [UInt8](repeating: 0, count: 16))
        }
        #expect(throws: CryptoError.invalidLength(got: 28, expected: "at least 29 bytes")) {
            try AESGCM.SealedBox(combined: [UInt8](repeating: 1, count: 28))
        }
        #expect(throws: CryptoError.unsupportedVersion(2)) {
            try AESGCM.SealedBox(combined: [2] + [UInt8](repeating: 0, count: 28))
        }
        #expect(throws: CryptoError.invalidLength(got: 8, expected: "a 16-byte tag")) {
            try AESGCM.SealedBox(nonce: [UInt8](repeating: 0, count: 12), ciphertext: [], tag: [UInt8](repeating: 0, count: 8))
        }
    }
}
