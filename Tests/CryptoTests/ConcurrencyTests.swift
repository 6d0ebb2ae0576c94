import Testing
import Crypto

/// Every function keeps its OpenSSL state in locals, so parallel callers cannot interfere:
/// many tasks at once must each get the published answers.
@Suite struct ConcurrencyTests {
    @Test func parallelCallersGetTheSameAnswers() async throws {
        let key = try hex(SP800_38A.key)
        let plaintext = try hex(SP800_38A.plaintext)
        let ctr = try hex(AESCTRTests.ciphertext)
        let cmac = try hex("51f0bebf7e3b9d92fc49741779363cfe")
        let counter = try hex(AESCTRTests.counter)
        let hmac = try hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let gcmKey = [UInt8](repeating: 9, count: 32)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var ok = true
                    for round in 0..<200 {
                        let counterResult = try AES.CTR.crypt(plaintext, key: key, iv: counter)
                        let macResult = try AES.CMAC.mac(key: key, message: plaintext)
                        let secret = [UInt8(task), UInt8(truncatingIfNeeded: round)]
                        let opened = try AESGCM.open(AESGCM.seal(secret, key: gcmKey), key: gcmKey)
                        let hmacResult = HMAC.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
                        ok = ok && counterResult == ctr && macResult == cmac && opened == secret && hmacResult == hmac
                    }
                    return ok
                }
            }
            var all: [Bool] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results == [Bool](repeating: true, count: 16))
    }
}
