import Testing
import Crypto

struct AESKeyCacheTests {
    /// Agrees with the one-shot CTR for many keys through a small cache (so slots are reused),
    /// any length, and IVs whose low 64 bits wrap (the carry must reach the high half).
    @Test func matchesOneShotCTRWhileEvicting() throws {
        let cache = try AESKeyCache(capacity: 5)
        var state: UInt64 = 5
        func byte() -> UInt8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let keys = (0..<12).map { _ in (0..<16).map { _ in byte() } }
        for round in 0..<300 {
            let key = keys[round % 7 == 0 ? 0 : Int(byte()) % keys.count]
            var iv = (0..<16).map { _ in byte() }
            if round % 4 == 0 { for index in 8..<16 { iv[index] = 0xFF } }
            let data = (0..<(round % 150)).map { _ in byte() }
            var buffer = [0x55] + data
            try cache.ctr(key: key, iv: iv, data: &buffer, range: 1..<buffer.count)
            #expect(Array(buffer.dropFirst()) == (try AES.CTR.crypt(data, key: key, iv: iv)), "round \(round)")
            #expect(buffer[0] == 0x55)
        }
        #expect(cache.count == 5)
    }

    @Test func badArguments() throws {
        let cache = try AESKeyCache(capacity: 2)
        var data = [UInt8](repeating: 0, count: 4)
        #expect(throws: CryptoError.invalidKeyLength(expected: 16, got: 3)) {
            try cache.ctr(key: [1, 2, 3], iv: [UInt8](repeating: 0, count: 16), data: &data, range: 0..<4)
        }
        #expect(throws: CryptoError.invalidIVLength(expected: 16, got: 0)) {
            try cache.ctr(key: [UInt8](repeating: 0, count: 16), iv: [], data: &data, range: 0..<4)
        }
        #expect(throws: CryptoError.self) {
            try cache.ctr(key: [UInt8](repeating: 0, count: 16), iv: [UInt8](repeating: 0, count: 16), data: &data, range: 0..<5)
        }
    }
}
