import Testing
import Crypto

struct AESBlockCipherTests {
    @Test func matchesTheOneShotModesAcrossKeysAndModes() throws {
        let cipher = try AESBlockCipher()
        var state: UInt64 = 99
        func byte() -> UInt8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        // Alternating modes and keys exercises the re-keying of each primed context.
        for round in 0..<200 {
            let key = (0..<16).map { _ in byte() }
            let iv = (0..<16).map { _ in byte() }
            let data = (0..<(round % 7 * 16 + 16)).map { _ in byte() }
            var buffer = [0xAA] + data + [0xBB]
            try cipher.ctr(key: key, iv: iv, data: &buffer, range: 1..<(buffer.count - 1))
            #expect(Array(buffer[1..<(buffer.count - 1)]) == (try AES.CTR.crypt(data, key: key, iv: iv)))
            #expect(buffer.first == 0xAA && buffer.last == 0xBB)
            var cbc = data
            try cipher.cbcEncrypt(key: key, iv: iv, data: &cbc, range: 0..<cbc.count)
            #expect(cbc == (try AES.CBC.encrypt(data, key: key, iv: iv, padding: .none)))
            try cipher.cbcDecrypt(key: key, iv: iv, data: &cbc, range: 0..<cbc.count)
            #expect(cbc == data)
            var odd = Array(data.prefix(round % 16 + 1))
            try cipher.ctr(key: key, iv: iv, data: &odd, range: 0..<odd.count)
            #expect(odd == (try AES.CTR.crypt(Array(data.prefix(round % 16 + 1)), key: key, iv: iv)))
        }
    }

    /// NIST SP 800-38A F.5.1 (CTR) and F.2.1 (CBC), first block.
    @Test func nistVectors() throws {
        let cipher = try AESBlockCipher()
        let key = try hex(SP800_38A.key)
        var ctr = try hex("6bc1bee22e409f96e93d7e117393172a")
        try cipher.ctr(key: key, iv: try hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), data: &ctr, range: 0..<16)
        #expect(ctr == (try hex("874d6191b620e3261bef6864990db6ce")))
        var cbc = try hex("6bc1bee22e409f96e93d7e117393172a")
        try cipher.cbcEncrypt(key: key, iv: try hex("000102030405060708090a0b0c0d0e0f"), data: &cbc, range: 0..<16)
        #expect(cbc == (try hex("7649abac8119b246cee98e9b12e9197d")))
        var ecb = try hex("6bc1bee22e409f96e93d7e117393172a")
        try ecb.withUnsafeMutableBytes { data in try key.withUnsafeBytes { try cipher.ecbEncrypt(key: $0, data: data) } }
        #expect(ecb == (try hex("3ad77bb40d7a3660a89ecaf32466ef97")))
    }

    @Test func badArgumentsAreErrors() throws {
        let cipher = try AESBlockCipher()
        var data = [UInt8](repeating: 0, count: 20)
        #expect(throws: CryptoError.invalidKeyLength(expected: 16, got: 15)) {
            try cipher.ctr(key: [UInt8](repeating: 0, count: 15), iv: [UInt8](repeating: 0, count: 16), data: &data, range: 0..<16)
        }
        #expect(throws: CryptoError.invalidIVLength(expected: 16, got: 8)) {
            try cipher.ctr(key: [UInt8](repeating: 0, count: 16), iv: [UInt8](repeating: 0, count: 8), data: &data, range: 0..<16)
        }
        #expect(throws: CryptoError.self) {
            try cipher.cbcDecrypt(key: [UInt8](repeating: 0, count: 16), iv: [UInt8](repeating: 0, count: 16), data: &data, range: 0..<20)
        }
        #expect(throws: CryptoError.self) {
            try cipher.ctr(key: [UInt8](repeating: 0, count: 16), iv: [UInt8](repeating: 0, count: 16), data: &data, range: 0..<21)
        }
        // A failed call leaves the cipher usable.
        try cipher.ctr(key: [UInt8](repeating: 0, count: 16), iv: [UInt8](repeating: 0, count: 16), data: &data, range: 0..<16)
    }
}
