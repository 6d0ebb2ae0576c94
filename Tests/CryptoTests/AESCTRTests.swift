import Testing
import Crypto

@Suite struct AESCTRTests {
    static let counter = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
    static let ciphertext = """
        874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff \
        5ae4df3edbd5d35e5b4f09020db03eab 1e031dda2fbe03d1792170a0f3009cee
        """

    /// SP 800-38A F.5.1 (CTR-AES128.Encrypt). Its counter already carries out of the last
    /// byte between blocks 1 and 2 (…feff → …ff00).
    @Test func sp800_38A_F51() throws {
        let result = try AES.CTR.crypt(try hex(SP800_38A.plaintext), key: try hex(SP800_38A.key), iv: try hex(Self.counter))
        #expect(result == (try hex(Self.ciphertext)))
    }

    /// SP 800-38A F.5.2 (CTR-AES128.Decrypt).
    @Test func sp800_38A_F52() throws {
        let result = try AES.CTR.crypt(try hex(Self.ciphertext), key: try hex(SP800_38A.key), iv: try hex(Self.counter))
        #expect(result == (try hex(SP800_38A.plaintext)))
    }

    /// A partial last block uses the start of its keystream block: any prefix of the F.5.1
    /// plaintext encrypts to the same prefix of the ciphertext.
    @Test(arguments: [1, 5, 16, 23, 47, 63])
    func partialFinalBlock(length: Int) throws {
        let plaintext = Array(try hex(SP800_38A.plaintext).prefix(length))
        let result = try AES.CTR.crypt(plaintext, key: try hex(SP800_38A.key), iv: try hex(Self.counter))
        #expect(result == Array(try hex(Self.ciphertext).prefix(length)))
    }

    /// The ELL semantics: the whole 16-byte IV is one big-endian counter. Starting two blocks
    /// below a carry out of the low 64 bits, the third keystream block must use the high half
    /// plus one (a 64-bit counter, as some libraries implement CTR, would wrap to 0102…0708 ‖ 0).
    @Test func counterCarriesFromLow64BitsIntoHigh() throws {
        let key = try hex(SP800_38A.key)
        let iv = try hex("0102030405060708 fffffffffffffffe")
        let expectedCounters = try [
            hex("0102030405060708 fffffffffffffffe"),
            hex("0102030405060708 ffffffffffffffff"),
            hex("0102030405060709 0000000000000000"),
            hex("0102030405060709 0000000000000001"),
        ]
        #expect(expectedCounters == (0..<4).map { Self.add(UInt8($0), to: iv) })
        // CTR over zeros is the keystream; a partial block at the end on purpose.
        let length = 3 * 16 + 5
        let keystream = try AES.CTR.crypt([UInt8](repeating: 0, count: length), key: key, iv: iv)
        let reference = try AES.ECB.encrypt(expectedCounters.flatMap { $0 }, key: key)
        #expect(keystream == Array(reference.prefix(length)))
        let wrapped64 = try AES.ECB.encrypt(try hex("0102030405060708 0000000000000000"), key: key)
        #expect(Array(keystream[32..<48]) != wrapped64)
    }

    /// And the all-ones IV wraps to all zeros, the 128-bit counter's only overflow.
    @Test func counterWrapsAt128Bits() throws {
        let key = try hex(SP800_38A.key)
        let iv = [UInt8](repeating: 0xff, count: 16)
        let keystream = try AES.CTR.crypt([UInt8](repeating: 0, count: 32), key: key, iv: iv)
        let reference = try AES.ECB.encrypt(iv + [UInt8](repeating: 0, count: 16), key: key)
        #expect(keystream == reference)
    }

    /// A real Kamstrup MULTICAL 21 telegram (wmbusmeters test data, via
    /// shared/conformance/wmbusmeters-sample.jsonl, meter 76348799):
    /// 2A 44 2D2C 998734761B16 8D 20 91 D37CAC21 | ciphertext. The IV follows PROTOCOLS.md 1.4,
    /// M ‖ A ‖ CC ‖ SN ‖ FN 0000 ‖ BC 00. Success is what the ELL defines: the decrypted PLCRC
    /// (little-endian) equals the EN 13757 CRC of the rest, which starts with CI 0x78.
    @Test func kamstrupELLTelegramDecrypts() throws {
        let key = try hex("28F64A24988064A079AA2C807D6102AE")
        let iv = try hex("2D2C 998734761B16 20 D37CAC21 0000 00")
        let ciphertext = try hex("E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24")
        let plaintext = try AES.CTR.crypt(ciphertext, key: key, iv: iv)
        let plcrc = UInt16(plaintext[0]) | UInt16(plaintext[1]) << 8
        #expect(plcrc == Self.crc16EN13757(plaintext.dropFirst(2)))
        #expect(plaintext[2] == 0x78)
    }

    /// CRC-16, polynomial 0x3D65, initial 0, output inverted (EN 13757).
    static func crc16EN13757(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x3D65 : crc << 1 }
        }
        return ~crc
    }

    @Test func badInputIsAnError() throws {
        let key = try hex(SP800_38A.key)
        #expect(throws: CryptoError.invalidIVLength(expected: 16, got: 12)) {
            try AES.CTR.crypt([1, 2, 3], key: key, iv: [UInt8](repeating: 0, count: 12))
        }
        #expect(throws: CryptoError.invalidKeyLength(expected: 16, got: 0)) {
            try AES.CTR.crypt([1, 2, 3], key: [], iv: [UInt8](repeating: 0, count: 16))
        }
        #expect(try AES.CTR.crypt([], key: key, iv: [UInt8](repeating: 0, count: 16)) == [])
    }

    /// The reference counter: big-endian addition over all 16 bytes.
    static func add(_ value: UInt8, to block: [UInt8]) -> [UInt8] {
        var result = block
        var carry = UInt16(value)
        for index in result.indices.reversed() where carry != 0 {
            let sum = UInt16(result[index]) + carry
            result[index] = UInt8(truncatingIfNeeded: sum)
            carry = sum >> 8
        }
        return result
    }
}
