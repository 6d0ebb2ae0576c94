import Testing
@testable import MBus

struct CRC16Tests {
    // PROTOCOLS.md §2.5: the MULTICAL 21 compact format signature (wmbusmeters kamwater test).
    @Test func kamstrupFormatSignature() {
        let format: [UInt8] = [0x02, 0xFF, 0x20, 0x04, 0x13, 0x44, 0x13, 0x61, 0x5B, 0x61, 0x67]
        #expect(CRC16.checksum(format) == 0xA8ED)
    }

    // PROTOCOLS.md §2.5: the MULTICAL 302 format signature.
    @Test func multical302FormatSignature() {
        let format: [UInt8] = [0x03, 0x06, 0x43, 0x06, 0x03, 0x14, 0x42, 0x6C, 0x02, 0x2D, 0x01, 0xFF, 0x21]
        #expect(CRC16.checksum(format) == 0xF1E7)
        #expect(CRC16.checksum(format, 0..<format.count) == 0xF1E7)
    }

    @Test func difvifInlineStorage() {
        var key = DIFVIF([0x04, 0x84, 0x3C])
        #expect(key.description == "04843C")
        for i in 0..<20 { key.append(UInt8(i)) }
        #expect(key.count == 23)
        #expect(key[22] == 19)
        #expect(key.bytes.count == 23)
        #expect(DIFVIF([0x04, 0x13]) == DIFVIF([0x04, 0x13]))
        #expect(DIFVIF([0x04, 0x13]) != DIFVIF([0x04, 0x13, 0x00]))
    }

    @Test func manufacturerCodes() {
        #expect(MeterAddress.manufacturerValue("KAM") == 0x2C2D)
        #expect(MeterAddress.manufacturerCode(0x2C2D) == "KAM")
        #expect(MeterAddress.manufacturerValue("kam") == nil)
        let address = MeterAddress(manufacturer: 0x2C2D, id: 0x76348799, version: 0x1B, deviceType: 0x16)
        #expect(address.idString == "76348799")
        #expect(address.medium == .coldWater)
    }
}
