import Testing
@testable import MBus

struct ELLTests {
    @Test func headerFieldsOfELLII() throws {
        let frame = try WirelessFrame.parse(WirelessVectors.jmbusELLGoodKey.bytes)
        let ell = try ELLHeader.parse(frame.bytes, at: frame.ciOffset)
        #expect(ell.ci == 0x8D)
        #expect(ell.communicationControl == 0x30)
        #expect(ell.accessNumber == 0x50)
        #expect(ell.sessionNumber == 0x21D6_9C20)
        #expect(ell.encryption == 1)
        #expect(ell.payloadCRCOffset == 17)
        #expect(ell.end == 19)
    }

    /// The IV the Q&A page quotes: 2D2C529027581B16 28 90093920 0000 00 (CC 0x28 is kept).
    @Test func counterIVMatchesThePublishedOne() throws {
        let frame = try WirelessFrame.parse(WirelessVectors.qaMC21.bytes)
        let ell = try ELLHeader.parse(frame.bytes, at: frame.ciOffset)
        var iv = [UInt8](repeating: 0xEE, count: 16)
        iv.withUnsafeMutableBytes { ELLHeader.writeCounterIV(frame.bytes, communicationControl: ell.communicationControl, sessionNumber: ell.sessionNumber!, into: $0) }
        #expect(iv == wirelessBytes("2D2C529027581B162890093920000000"))
        // CC 0x30 (jMBus): the hop bit 0x10 is cleared, as is 0x02.
        iv.withUnsafeMutableBytes { ELLHeader.writeCounterIV(frame.bytes, communicationControl: 0x32, sessionNumber: 0, into: $0) }
        #expect(iv[8] == 0x20)
    }

    /// The decrypted bytes the Q&A page quotes (from the PLCRC on): PLCRC E5BB, CI 79, compact frame.
    @Test func qaTelegramDecryptsToThePublishedPlaintext() throws {
        let opened = try WirelessVectors.qaMC21.open()
        #expect(Array(opened.plaintext[17...]) == wirelessBytes("BBE57934DDC46A71004400000044000000"))
        #expect(opened.security == .ellCTR)
        #expect(opened.applicationCI == 0x79)
        #expect(opened.isCompact)
        #expect(opened.recordsStart == 20)
        #expect(opened.accessNumber == 0x14)
        #expect(opened.status == nil)
        #expect(opened.ell?.payloadCRC == 0xE5BB)
    }

    /// jMBus DecryptionTest: 474.24 m3 as the first volume (04 13 of 474240 litres) after the info record.
    @Test func jmbusTelegramDecryptsWithCC30() throws {
        let opened = try WirelessVectors.jmbusELLTrailing.open()
        let records = Array(opened.plaintext[opened.recordsStart...])
        #expect(records.starts(with: wirelessBytes("02FF20 0000 0413 80 3C 07 00")))
        #expect(opened.address.idString == "63452869")
        #expect(opened.linkAddress == nil)
    }

    @Test func wrongKeyIsDecryptionFailed() {
        let wrong = DecodeOptions(key: wirelessBytes("4E5508544202058100DFEFA06B0934AF"))
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessVectors.jmbusELLGoodKey.open(wrong) } == .decryptionFailed)
    }

    @Test func noKeyIsNoKeyUnlessAssumedDecryptedWithAValidPLCRC() {
        let vector = WirelessVectors.jmbusELLGoodKey
        #expect(wirelessErrorCode { () throws(DecodeError) in try vector.open(DecodeOptions()) } == .noKey)
        // Ciphertext whose PLCRC fails as plaintext stays no-key under assumeDecrypted.
        #expect(wirelessErrorCode { () throws(DecodeError) in try vector.open(DecodeOptions(assumeDecrypted: true)) } == .noKey)
    }

    /// jMBus "Short Telegram Test #1": ENC 1 in the SN but the payload is plaintext (PLCRC verifies as is).
    @Test func predecryptedELLIsAcceptedOnlyWhenAssumed() throws {
        let vector = WirelessVectors.jmbusELLPredecrypted
        #expect(wirelessErrorCode { () throws(DecodeError) in try vector.open(DecodeOptions()) } == .noKey)
        let opened = try vector.open(DecodeOptions(assumeDecrypted: true))
        #expect(opened.security == .ellCTR)
        #expect(opened.applicationCI == 0x78)
        #expect(opened.plaintext[opened.recordsStart...].starts(with: wirelessBytes("02F9FF1501")))
        // With a key the "plaintext" is decrypted like any ciphertext and fails: no spoofing.
        let keyed = DecodeOptions(key: [UInt8](repeating: 0x42, count: 16), assumeDecrypted: true)
        #expect(wirelessErrorCode { () throws(DecodeError) in try vector.open(keyed) } == .decryptionFailed)
    }

    @Test func unencryptedELLWithPayloadCRC() throws {
        let address = MeterAddress(manufacturer: 0x2C2D, id: 0x1234_5678, version: 0x1B, deviceType: 0x16)
        var frame = try WirelessEncoder.ellCTR(address: address, accessNumber: 9, sessionNumber: 5, key: nil, application: [0x04, 0x13, 1, 2, 3, 4])
        let opened = try WirelessFrame.parse(frame).open(cipher: PayloadCipher())
        #expect(opened.security == .none)
        #expect(opened.ell?.encryption == 0)
        frame[frame.count - 1] ^= 0xFF
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessFrame.parse(frame).open(cipher: PayloadCipher()) } == .crcMismatch)
    }

    @Test func ellIAndIIICarryNoEncryption() throws {
        let plain = try WirelessVectors.omsELLPlain.open()
        #expect(plain.ell?.ci == 0x8C)
        #expect(plain.ell?.communicationControl == 0x20)
        #expect(plain.accessNumber == 0x27)
        #expect(plain.applicationCI == 0x78)
        #expect(Array(plain.plaintext[plain.recordsStart...]) == wirelessBytes("07138877665544332211"))
        let adapter = try WirelessFrame.parse(WirelessVectors.omsProfileBAdapter.bytes)
        let ell = try ELLHeader.parse(adapter.bytes, at: adapter.ciOffset)
        #expect(ell.ci == 0x8E)
        #expect(ell.targetAddress?.manufacturerCode == "XYZ")
        #expect(ell.targetAddress?.idString == "33445566")
        #expect(ell.sessionNumber == nil)
    }

    @Test func reservedEncryptionMethodIsUnsupported() throws {
        let address = MeterAddress(manufacturer: 0x2C2D, id: 1, version: 1, deviceType: 0x16)
        var frame = try WirelessEncoder.ellCTR(address: address, accessNumber: 1, sessionNumber: 0, key: nil, application: [0x2F])
        frame[16] = 0x40 // SN bits 29-31 = 2
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessFrame.parse(frame).open(cipher: PayloadCipher()) } == .unsupported)
    }
}
