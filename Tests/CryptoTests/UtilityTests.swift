import Testing
import Crypto

@Suite struct HexTests {
    @Test func decodesBothCases() throws {
        #expect(try Hex.decode("") == [])
        #expect(try Hex.decode("00ff7F0a") == [0x00, 0xff, 0x7f, 0x0a])
        #expect(try Hex.decode("DEADbeef") == [0xde, 0xad, 0xbe, 0xef])
    }

    @Test func encodes() {
        #expect(Hex.encode([0x00, 0xab, 0x7f]) == "00ab7f")
        #expect(Hex.encode([0x00, 0xab, 0x7f], uppercase: true) == "00AB7F")
        #expect(Hex.encode([]) == "")
    }

    @Test(arguments: [
        ("abc", 2),      // odd length: the unpaired digit
        ("zz", 0),
        ("0g", 1),
        ("00 11", 2),    // no separators
        ("0x00", 1),     // no prefix
        ("00é0", 2),     // UTF-8 offset of the first non-hex byte
        ("0", 0),
    ])
    func decodeErrorsNameTheFirstOffendingIndex(text: String, index: Int) {
        #expect(throws: CryptoError.hex(index: index)) { try Hex.decode(text) }
    }

    @Test func roundTrip() throws {
        let bytes = (0...255).map { UInt8($0) }
        #expect(try Hex.decode(Hex.encode(bytes)) == bytes)
        #expect(try Hex.decode(Hex.encode(bytes, uppercase: true)) == bytes)
    }
}

@Suite struct ConstantTimeTests {
    @Test func equality() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [0, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
    }
}

@Suite struct SecureRandomTests {
    @Test(arguments: [0, 1, 12, 32, 100_000])
    func returnsTheRequestedCount(count: Int) throws {
        #expect(try SecureRandom.bytes(count).count == count)
    }

    @Test func twoDrawsDiffer() throws {
        // 2^-256 chance of a false failure.
        #expect(try SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }

    @Test func negativeCountIsAnError() {
        #expect(throws: CryptoError.invalidLength(got: -1, expected: "a count of 0 or more")) { try SecureRandom.bytes(-1) }
    }
}
