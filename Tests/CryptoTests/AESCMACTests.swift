import Testing
import Crypto

@Suite struct AESCMACTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let example: Int
        let length: Int
        let mac: String
        var testDescription: String { "RFC 4493 example \(example) (\(length) bytes)" }
    }

    /// RFC 4493 section 4: the SP 800-38A key over the first 0, 16, 40 and 64 bytes of its text.
    static let vectors = [
        Vector(example: 1, length: 0, mac: "bb1d6929e95937287fa37d129b756746"),
        Vector(example: 2, length: 16, mac: "070a16b46b4d4144f79bdd9dd04a287c"),
        Vector(example: 3, length: 40, mac: "dfa66747de9ae63030ca32611497c827"),
        Vector(example: 4, length: 64, mac: "51f0bebf7e3b9d92fc49741779363cfe"),
    ]

    @Test(arguments: vectors)
    func rfc4493(_ vector: Vector) throws {
        let message = Array(try hex(SP800_38A.plaintext).prefix(vector.length))
        #expect(try AES.CMAC.mac(key: try hex(SP800_38A.key), message: message) == (try hex(vector.mac)))
    }

    /// OMS MAC type 5 keeps the first 8 bytes.
    @Test func truncationKeepsTheLeftmostBytes() throws {
        let key = try hex(SP800_38A.key)
        let message = Array(try hex(SP800_38A.plaintext).prefix(16))
        let short = try AES.CMAC.mac(key: key, message: message, truncatedTo: 8)
        #expect(short == (try hex("070a16b46b4d4144")))
        #expect(try AES.CMAC.verify(short, key: key, message: message))
        #expect(try !AES.CMAC.verify(try hex("070a16b46b4d4145"), key: key, message: message))
        #expect(try AES.CMAC.verify(try hex("070a16b46b4d4144f79bdd9dd04a287c"), key: key, message: message))
    }

    @Test func badInputIsAnError() throws {
        let key = try hex(SP800_38A.key)
        #expect(throws: CryptoError.invalidLength(got: 0, expected: "a MAC length of 1...16 bytes")) {
            try AES.CMAC.verify([], key: key, message: [1])
        }
        #expect(throws: CryptoError.invalidLength(got: 17, expected: "a MAC length of 1...16 bytes")) {
            try AES.CMAC.mac(key: key, message: [1], truncatedTo: 17)
        }
        #expect(throws: CryptoError.invalidKeyLength(expected: 16, got: 32)) {
            try AES.CMAC.mac(key: key + key, message: [1])
        }
    }
}
