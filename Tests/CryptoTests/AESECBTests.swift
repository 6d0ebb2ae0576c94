import Testing
import Crypto

@Suite struct AESECBTests {
    /// FIPS-197 appendix C.1 (AES-128).
    @Test func fips197AppendixC1() throws {
        let key = try hex("000102030405060708090a0b0c0d0e0f")
        let plaintext = try hex("00112233445566778899aabbccddeeff")
        let ciphertext = try hex("69c4e0d86a7b0430d8cdb78070b4c55a")
        #expect(try AES.ECB.encrypt(plaintext, key: key) == ciphertext)
        #expect(try AES.ECB.decrypt(ciphertext, key: key) == plaintext)
    }

    /// SP 800-38A F.1.1 (ECB-AES128.Encrypt) and F.1.2 (Decrypt): four blocks in one call.
    @Test func sp800_38A_F1() throws {
        let key = try hex(SP800_38A.key)
        let plaintext = try hex(SP800_38A.plaintext)
        let ciphertext = try hex("""
            3ad77bb40d7a3660a89ecaf32466ef97 f5d3d58503b9699de785895a96fdbaaf \
            43b1cd7f598ece23881b00e3ed030688 7b0c785e27e8ad3f8223207104725dd4
            """)
        #expect(try AES.ECB.encrypt(plaintext, key: key) == ciphertext)
        #expect(try AES.ECB.decrypt(ciphertext, key: key) == plaintext)
    }

    @Test func badInputIsAnError() throws {
        let key = [UInt8](repeating: 1, count: 16)
        #expect(throws: CryptoError.invalidLength(got: 15, expected: "a multiple of 16 bytes")) {
            try AES.ECB.encrypt([UInt8](repeating: 0, count: 15), key: key)
        }
        #expect(throws: CryptoError.invalidKeyLength(expected: 16, got: 32)) {
            try AES.ECB.decrypt([UInt8](repeating: 0, count: 16), key: key + key)
        }
        #expect(try AES.ECB.encrypt([], key: key) == [])
    }
}
