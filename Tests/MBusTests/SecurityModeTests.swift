import Testing
@testable import MBus

struct SecurityModeTests {
    /// OMS annex records (checked independently with the openssl CLI): volume 0C14 02850427
    /// (28504.27 m3), date-time 046D, error flags 02FD17, then 2F fillers.
    static let omsRecords = wirelessBytes("0C1427048502 046D32371F15 02FD170000")

    @Test func omsMode5() throws {
        let opened = try WirelessVectors.omsProfileA.open()
        #expect(opened.security == .mode5)
        #expect(opened.crcState == .formatA)
        #expect(opened.accessNumber == 0x2A)
        #expect(opened.status == 0x00)
        #expect(opened.configuration == 0x2520)
        #expect(opened.tpl.encryptedBlocks == 2)
        let records = Array(opened.plaintext[opened.recordsStart...])
        #expect(records.starts(with: Self.omsRecords))
        #expect(records.dropFirst(Self.omsRecords.count).allSatisfy { $0 == 0x2F })
    }

    @Test(arguments: [WirelessVectors.omsProfileB, WirelessVectors.omsProfileBAdapter])
    func omsMode7(vector: WirelessVectors.Vector) throws {
        let opened = try vector.open()
        #expect(opened.security == .mode7)
        #expect(opened.macVerified)
        #expect(opened.tpl.configurationExtension == 0x10)
        #expect(opened.accessNumber == 0x75)
        #expect(opened.afl?.messageCounter == 0x0AB3)
        #expect(opened.address.idString == "12345678")
        #expect(opened.address.manufacturerCode == "ELS")
        #expect(Array(opened.plaintext[opened.recordsStart...]).starts(with: Self.omsRecords))
    }

    @Test func radioAdapterKeepsBothAddresses() throws {
        let opened = try WirelessVectors.omsProfileBAdapter.open()
        #expect(opened.control == 0x08)
        #expect(opened.applicationCI == 0x72)
        #expect(opened.linkAddress?.manufacturerCode == "RAD")
        #expect(opened.linkAddress?.idString == "11223344")
        #expect(opened.address.deviceType == 0x03)
    }

    /// The OMS KDF example keys (recomputed with the openssl CLI for MCR 0x0AB3, ID 12345678).
    @Test func kdfDerivesTheSessionKeys() throws {
        let key = wirelessBytes("000102030405060708090A0B0C0D0E0F")
        let cipher = PayloadCipher()
        #expect(try SecurityModes.derive(key: key, constant: 0, counter: 0x0AB3, id: 0x1234_5678, cipher: cipher) == wirelessBytes("eccf39d475d730b8284fdfdc1995d52f"))
        #expect(try SecurityModes.derive(key: key, constant: 1, counter: 0x0AB3, id: 0x1234_5678, cipher: cipher) == wirelessBytes("c9cd19ff5a9aad5a6bbda13bd2c4c7ad"))
    }

    @Test func partialEncryptionAppendsThePlaintextTail() throws {
        let opened = try WirelessVectors.omsPartial.open()
        #expect(opened.tpl.encryptedBlocks == 1)
        #expect(opened.address.idString == "55667788")
        #expect(opened.address.deviceType == 0x08)
        #expect(opened.linkAddress?.idString == "11223344")
        #expect(opened.status == 0x04)
        // 14 decrypted record bytes (HCA 1234, date, HCA 23456) and the plaintext customer location.
        #expect(Array(opened.plaintext[opened.recordsStart...]) == wirelessBytes("0B6E341200 426CFE04 4B6E563402 0CFD1078563412"))
    }

    @Test(arguments: [WirelessVectors.jmbusDemo2, WirelessVectors.jmbusDemo3, WirelessVectors.jmbusHalloWorld])
    func jmbusMode5(vector: WirelessVectors.Vector) throws {
        let opened = try vector.open()
        #expect(opened.security == .mode5)
        #expect(opened.plaintext[opened.recordsStart - 2] == 0x2F && opened.plaintext[opened.recordsStart - 1] == 0x2F)
    }

    @Test func jmbusHalloWorldHeader() throws {
        let opened = try WirelessVectors.jmbusHalloWorld.open()
        #expect(opened.accessNumber == 203)
        #expect(opened.status == 80)
        #expect(opened.tpl.encryptedBlocks == 3)
        #expect(opened.plaintext[opened.recordsStart] == 0x0C)
    }

    @Test(arguments: WirelessVectors.wmbusmetersVerified)
    func wmbusmetersCiphertextDecrypts(vector: WirelessVectors.Vector) throws {
        let opened = try vector.open()
        #expect(opened.security != .none)
        if opened.security == .ellCTR {
            #expect(opened.ell?.payloadCRC == CRC16.checksum(opened.plaintext, (opened.ell!.payloadCRCOffset! + 2)..<opened.plaintext.count))
        } else {
            #expect(Array(opened.plaintext[(opened.recordsStart - 2)..<opened.recordsStart]) == [0x2F, 0x2F])
        }
        // Without the key they are kept as no-key; with another key they fail.
        #expect(wirelessErrorCode { () throws(DecodeError) in try vector.open(DecodeOptions()) } == .noKey)
        var wrong = wirelessBytes(vector.key!)
        wrong[0] ^= 0x01
        #expect(wirelessErrorCode { () throws(DecodeError) in try vector.open(DecodeOptions(key: wrong)) } == .decryptionFailed)
    }

    /// engelmann_faw (wmbusmeters): CI 0x73, compact frame behind a long header, in mode 5.
    @Test func compactFrameWithLongHeader() throws {
        let opened = try WirelessVectors.wmbusmetersVerified[3].open()
        #expect(opened.isCompact)
        #expect(opened.applicationCI == 0x73)
        #expect(opened.address.idString == "22862420")
        #expect(Array(opened.plaintext[opened.recordsStart..<(opened.recordsStart + 4)]) == wirelessBytes("2D056FF3"))
    }

    @Test func unencryptedTelegramIsAcceptedWithAKey() throws {
        let opened = try WirelessVectors.jmbusDemo1.open()
        #expect(opened.security == .none)
        #expect(opened.recordsStart == 15)
        #expect(opened.plaintext[15] == 0x04)
    }

    /// wmbusmeters amiplus / dme173 tests: the mode 5 / mode 7 header with the plaintext already in place.
    @Test func predecryptedCBC() throws {
        let mode5 = wirelessBytes("4E4401061010101002027A000040052F2F0E035040691500000B2B300300066D00790C7423400C78371204860BABC8FC100000000E833C8074000000000BAB3C0000000AFDC9FC0136022F2F2F2F2F")
        let mode7 = wirelessBytes("5344A5113344334463078C002A900F002C25B7640000BAD0D4FB907B9BE17AFA003107102F2F0C131717000004FD17000000000C933C000000004C1300020000426C3F3C84046D3B375F318C0413000200002F2F")
        for bytes in [mode5, mode7] {
            let frame = try WirelessFrame.parse(bytes)
            #expect(wirelessErrorCode { () throws(DecodeError) in try frame.open(options: DecodeOptions(), cipher: PayloadCipher()) } == .noKey)
            let opened = try frame.open(options: DecodeOptions(assumeDecrypted: true), cipher: PayloadCipher())
            #expect(opened.plaintext[opened.recordsStart - 2] == 0x2F)
            #expect(!opened.macVerified)
            // With a key, plaintext that is not ciphertext is refused.
            let keyed = DecodeOptions(key: [UInt8](repeating: 7, count: 16), assumeDecrypted: true)
            let code = wirelessErrorCode { () throws(DecodeError) in try frame.open(options: keyed, cipher: PayloadCipher()) }
            #expect(code == .decryptionFailed || code == .macMismatch)
        }
        // Ciphertext does not pass for plaintext.
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessVectors.omsProfileA.open(DecodeOptions(assumeDecrypted: true)) } == .noKey)
    }

    @Test func unsupportedModesAndCIs() throws {
        // wmbusmeters actislink: mode 2 (DES).
        let des = wirelessBytes("1E468B050100000004077A01001002BBD1EAFD0222F871CB70DA16C78AE098")
        let desError = #expect(throws: DecodeError.self) { try WirelessFrame.parse(des).open(cipher: PayloadCipher()) }
        #expect(desError?.code == .unsupported)
        #expect(desError?.detail.contains("mode 2") == true)
        // wmbusmeters hydrus: manufacturer-specific mode 29.
        let mode29 = wirelessBytes("1E4424238B07797389607A8F00107D041312170100426CBF23441344100100")
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessFrame.parse(mode29).open(cipher: PayloadCipher()) } == .unsupported)
        var frame = WirelessVectors.jmbusShortHeader.bytes
        for (ci, code) in [(UInt8(0xA2), DecodeError.Code.unsupported), (0x69, .unsupported), (0x70, .applicationError),
                           (0x6E, .applicationError), (0x75, .applicationError), (0x55, .unsupported), (0x90, .truncated)] {
            frame[10] = ci
            let error = #expect(throws: DecodeError.self) { try WirelessFrame.parse(frame).open(cipher: PayloadCipher()) }
            #expect(error?.code == code, "CI \(ci)")
        }
        frame[10] = 0xA2
        let proprietary = #expect(throws: DecodeError.self) { try WirelessFrame.parse(frame).open(cipher: PayloadCipher()) }
        #expect(proprietary?.detail.contains("manufacturer-specific CI 0xA2") == true)
    }

    @Test func badKeyLength() {
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessVectors.omsProfileA.open(DecodeOptions(key: [1, 2, 3])) } == .decryptionFailed)
    }
}
