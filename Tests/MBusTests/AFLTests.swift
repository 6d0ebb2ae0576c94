import Testing
@testable import MBus

struct AFLTests {
    @Test func fieldsOfTheOMSProfileBExample() throws {
        let frame = try WirelessFrame.parse(WirelessVectors.omsProfileB.bytes)
        let afl = try AFLHeader.parse(frame.bytes, at: 13)
        #expect(afl.fragmentControl == 0x2C00)
        #expect(afl.messageControl == 0x25)
        #expect(afl.messageCounter == 0x0AB3)
        #expect(afl.keyInformation == nil)
        #expect(afl.macRange == 22..<30)
        #expect(afl.end == 30)
        #expect(!afl.moreFragments)
    }

    @Test func moreFragmentsIsUnsupported() throws {
        var bytes = try WirelessFrame.parse(WirelessVectors.omsProfileB.bytes).bytes
        bytes[16] |= 0x40
        let error = #expect(throws: DecodeError.self) { try AFLHeader.parse(bytes, at: 13) }
        #expect(error?.code == .unsupported)
        #expect(error?.detail.contains("fragment") == true)
    }

    @Test func inconsistentLengthsAreRejected() throws {
        var bytes = try WirelessFrame.parse(WirelessVectors.omsProfileB.bytes).bytes
        bytes[14] = 0x05 // AFLL too short for MCL + MCR + MAC
        #expect(wirelessErrorCode { () throws(DecodeError) in try AFLHeader.parse(bytes, at: 13) } == .invalidFrame)
        bytes[14] = 0xF0 // runs past the frame
        #expect(wirelessErrorCode { () throws(DecodeError) in try AFLHeader.parse(bytes, at: 13) } == .truncated)
        bytes[14] = 0x0F
        bytes[17] = 0x21 // MAC type 1 is reserved
        #expect(wirelessErrorCode { () throws(DecodeError) in try AFLHeader.parse(bytes, at: 13) } == .invalidFrame)
    }

    @Test func badMACIsMacMismatch() throws {
        var bytes = try WirelessFrame.parse(WirelessVectors.omsProfileB.bytes).bytes
        bytes[25] ^= 0x01
        let options = WirelessVectors.omsProfileB.options
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessFrame.parse(bytes).open(options: options, cipher: PayloadCipher()) } == .macMismatch)
        // A changed ciphertext byte fails the MAC before any decryption.
        var altered = try WirelessFrame.parse(WirelessVectors.omsProfileB.bytes).bytes
        altered[altered.count - 1] ^= 0x80
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessFrame.parse(altered).open(options: options, cipher: PayloadCipher()) } == .macMismatch)
        // So does a wrong key.
        let wrong = DecodeOptions(key: [UInt8](repeating: 0, count: 16))
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessVectors.omsProfileB.open(wrong) } == .macMismatch)
    }
}
