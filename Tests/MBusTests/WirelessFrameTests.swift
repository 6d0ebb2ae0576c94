import Testing
@testable import MBus

struct WirelessFrameTests {
    @Test func dllFieldsOfAShortHeaderTelegram() throws {
        let frame = try WirelessFrame.parse(WirelessVectors.jmbusShortHeader.bytes)
        #expect(frame.control == 0x44)
        #expect(frame.linkAddress.manufacturerCode == "LUG")
        #expect(frame.linkAddress.idString == "67991306")
        #expect(frame.linkAddress.version == 0x07)
        #expect(frame.linkAddress.deviceType == 0x04)
        #expect(frame.ciOffset == 10)
        #expect(frame.bytes[frame.ciOffset] == 0x7A)
        #expect(try frame.meterAddress() == frame.linkAddress)
    }

    @Test func trailingReceiverBytesAreCut() throws {
        let trailing = try WirelessFrame.parse(WirelessVectors.jmbusELLTrailing.bytes)
        let exact = try WirelessFrame.parse(WirelessVectors.jmbusELLGoodKey.bytes)
        #expect(trailing.bytes == exact.bytes)
        #expect(trailing.bytes.count == 0x24 + 1)
        let qa = try WirelessFrame.parse(WirelessVectors.qaMC21.bytes)
        #expect(qa.bytes.count == 0x21 + 1)
        #expect(qa.crcState == .none)
    }

    @Test func meterAddressPrefersTheLongHeader() throws {
        // jMBus demo #3: a ZRI radio converter (type 0x37) carrying water meter 49705932.
        let frame = try WirelessFrame.parse(WirelessVectors.jmbusDemo3.bytes)
        #expect(frame.linkAddress.idString == "44002802")
        #expect(frame.linkAddress.deviceType == 0x37)
        let meter = try frame.meterAddress()
        #expect(meter.idString == "49705932")
        #expect(meter.manufacturerCode == "ZRI")
        #expect(meter.deviceType == 0x07)
        // OMS radio adapter: ELL III, AFL, then the long header of meter ELS 12345678.
        let adapter = try WirelessFrame.parse(WirelessVectors.omsProfileBAdapter.bytes).meterAddress()
        #expect(adapter.idString == "12345678")
        #expect(adapter.manufacturerCode == "ELS")
    }

    @Test func meterAddressOfAnELLEncryptedFrameIsTheDLL() throws {
        let frame = try WirelessFrame.parse(WirelessVectors.jmbusELLGoodKey.bytes)
        #expect(try frame.meterAddress().idString == "63452869")
    }

    @Test func shortAndEmptyInputs() {
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessFrame.parse([]) } == .truncated)
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessFrame.parse([0x05, 0x44]) } == .invalidFrame)
        #expect(wirelessErrorCode { () throws(DecodeError) in try WirelessFrame.parse([0x0A, 0x44, 0x2D]) } == .truncated)
    }

    /// Every prefix of every vector gives a structured result, never a trap.
    @Test(arguments: WirelessVectors.all)
    func truncationsNeverTrap(vector: WirelessVectors.Vector) {
        let raw = vector.bytes
        let cipher = PayloadCipher()
        for length in 0..<raw.count {
            let prefix = Array(raw[0..<length])
            do {
                let frame = try WirelessFrame.parse(prefix)
                _ = try? frame.meterAddress()
                _ = try? frame.open(options: vector.options, cipher: cipher)
                _ = try? frame.open(options: DecodeOptions(assumeDecrypted: true), cipher: cipher)
            } catch {
                #expect(!error.detail.isEmpty)
            }
        }
    }

    /// Random bytes and random single-byte changes of valid frames: errors, never traps.
    @Test func randomInputNeverTraps() {
        var generator = SplitMix(seed: 2024)
        let cipher = PayloadCipher()
        let key = [UInt8](repeating: 0x11, count: 16)
        let vectors = WirelessVectors.all.map(\.bytes)
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if !bytes.isEmpty, Bool.random(using: &generator) { bytes[0] = UInt8(max(0, bytes.count - 1)) }
                if bytes.count > 10, Bool.random(using: &generator) {
                    bytes[10] = [0x72, 0x7A, 0x78, 0x79, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x81, 0x73, 0x7B].randomElement(using: &generator)!
                }
            } else {
                bytes = vectors.randomElement(using: &generator)!
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            guard let frame = try? WirelessFrame.parse(bytes) else { continue }
            _ = try? frame.meterAddress()
            _ = try? frame.open(options: DecodeOptions(key: key), cipher: cipher)
            _ = try? frame.open(options: DecodeOptions(assumeDecrypted: true), cipher: cipher)
        }
    }
}

/// A CRC-free frame whose last two bytes happen to verify as a format-B CRC (one in 65,536):
/// found by the decode benchmark. The decoder must fall back to reading it as CRC-free.
struct FormatBCoincidenceTests {
    @Test func crcFreeFrameEndingInAValidFormatBCRCStillDecodes() throws {
        let address = MeterAddress(manufacturer: 0x2C2D, id: 0x12345678, version: 0x1B, deviceType: 0x16)
        let decoder = TelegramDecoder()
        var found = 0
        // Search keys until the encrypted frame's tail matches its own format-B CRC (a new key
        // changes the keystream non-linearly; varying the plaintext alone would not, CRC being linear).
        for trial in UInt32(0)..<2_000_000 where found == 0 {
            let key: [UInt8] = (0..<16).map { UInt8(truncatingIfNeeded: trial >> (8 * UInt32($0 % 4))) ^ UInt8($0) }
            let litres = trial % 1_000_000
            let records: [UInt8] = [0x04, 0x13] + (0..<4).map { UInt8(truncatingIfNeeded: litres >> (8 * $0)) }
            let frame = try WirelessEncoder.ellCTR(address: address, accessNumber: 7, sessionNumber: 3, key: key,
                                                   application: records)
            guard (try? WirelessFrame.parse(frame))?.crcState == .formatB else { continue }
            found += 1
            let telegram = try decoder.decode(frame, options: DecodeOptions(key: key))
            #expect(telegram.records.first?.value == .number(Double(litres) / 1000))
        }
        #expect(found == 1)
    }
}
