import Crypto
import Testing
@testable import MBus

private func frame(_ text: String) throws -> WiredFrame {
    try WiredFrame.parse(try Hex.decode(text.filter { !$0.isWhitespace })).frame
}

private func errorOf(_ text: String) throws -> DecodeError? {
    errorOf(try frame(text))
}

private func errorOf(_ frame: WiredFrame) -> DecodeError? {
    do {
        _ = try frame.applicationPayload()
        return nil
    } catch {
        return error
    }
}

struct WiredPayloadTests {
    @Test func longHeader() throws {
        let payload = try frame(WiredFrameTests.itron).applicationPayload()
        #expect(payload.ci == 0x72 && payload.address == 0x08 && payload.control == 0x08)
        #expect(payload.meter?.idString == "11490378")
        #expect(payload.meter?.manufacturerCode == "ACW")
        #expect(payload.meter?.version == 0x0E && payload.meter?.deviceType == 0x16)
        #expect(payload.accessNumber == 10 && payload.status == 0 && payload.configuration == 0)
        #expect(payload.recordsStart == 12)
        #expect(payload.data[payload.recordsStart] == 0x0C)
        #expect(!payload.needsDecryption && payload.fixedRecords == nil)
    }

    // rscada/libmbus test/test-frames/example_data_01.hex: signature B627 is no security mode 5.
    @Test func vendorSignatureIsNotEncryption() throws {
        let payload = try frame("68 31 31 68 08 01 72 45 58 57 03 B4 05 34 04 9E 00 27 B6 03 06 F9 34 15 03 15 C6 00 4D 05 2E 00 00 00 00 05 3D 00 00 00 00 05 5B 22 F3 26 42 05 5F C7 DA 0D 42 FA 16").applicationPayload()
        #expect(payload.configuration == 0xB627)
        #expect(payload.securityMode == 0x16)
        #expect(!payload.needsDecryption && payload.encryptedLength == 0)
    }

    @Test func mode5NeedsDecryption() throws {
        let meter = MeterAddress(manufacturer: 0x2C2D, id: 0x12345678, version: 0x34, deviceType: 0x04)
        var data = WiredFrame.rspUD(address: 3, meter: meter, accessNumber: 7, records: Array(repeating: 0xAA, count: 40))
        guard case .long(let c, let a, let ci, var bytes) = data else { return }
        bytes[10] = 0x20 // N = 2 blocks
        bytes[11] = 0x05 // mode 5
        data = .long(control: c, address: a, ci: ci, data: bytes)
        let payload = try data.applicationPayload()
        #expect(payload.needsDecryption)
        #expect(payload.encryptedLength == 32)
        #expect(payload.securityMode == 5)
    }

    @Test func rspUDRoundTrip() throws {
        let meter = MeterAddress(manufacturer: 0x2C2D, id: 0x77447744, version: 0x34, deviceType: 0x04)
        let records: [UInt8] = [0x04, 0x06, 0xCE, 0x86, 0x00, 0x00, 0x1F]
        let built = WiredFrame.rspUD(address: 0x4A, meter: meter, accessNumber: 0x12, status: 0x04, records: records)
        let payload = try WiredFrame.parse(built.encoded).frame.applicationPayload()
        #expect(payload.meter == meter)
        #expect(payload.accessNumber == 0x12 && payload.status == 0x04 && payload.address == 0x4A)
        // Multi-telegram DIF 0x1F passes through to the record parser untouched.
        #expect(Array(payload.data[payload.recordsStart...]) == records)
    }

    // rscada/libmbus test/test-frames/manual_frame2.hex and .xml: Id 12345678, Water, access 10,
    // counter 1 = 1 l, counter 2 = 135 "reserved but historic".
    @Test func fixedStructureManualFrame2() throws {
        let payload = try frame("68 13 13 68 08 05 73 78 56 34 12 0A 00 E9 7E 01 00 00 00 35 01 00 00 3C 16").applicationPayload()
        #expect(payload.meter?.idString == "12345678")
        #expect(payload.meter?.medium == .water)
        #expect(payload.accessNumber == 10 && payload.status == 0)
        let records = try #require(payload.fixedRecords)
        #expect(records.count == 2)
        #expect(records[0].quantity == .volume && records[0].unit == .m3 && records[0].value == .number(0.001))
        #expect(records[0].storage == 0 && records[0].subunit == 0)
        #expect(records[1].value == .integer(135) && records[1].storage == 1 && records[1].subunit == 1)
        #expect(records[0].difvif != records[1].difvif)
    }

    // rscada/libmbus test/test-frames/sen_pollusonic_2.hex and .xml: Id 90919293, Heat, access 16,
    // counter 1 = 6531 kWh, counter 2 = 69 l.
    @Test func fixedStructurePollusonic() throws {
        let payload = try frame("68 13 13 68 08 01 73 93 92 91 90 10 00 05 69 31 65 00 00 69 00 00 00 3F 16").applicationPayload()
        #expect(payload.meter?.idString == "90919293")
        #expect(payload.meter?.medium == .heat)
        #expect(payload.accessNumber == 16)
        let records = try #require(payload.fixedRecords)
        #expect(records[0].quantity == .energy && records[0].unit == .kWh && records[0].value == .number(6531))
        #expect(records[1].quantity == .volume && records[1].value.double.map { abs($0 - 0.069) < 1e-12 } == true)
    }

    @Test func fixedStructureBinaryCounters() throws {
        // Status 0x80 = binary counters; 0xFFFFFFFF is -1 as libmbus decodes int32.
        let data: [UInt8] = [0x78, 0x56, 0x34, 0x12, 1, 0x80, 0x05, 0x29, 0xE8, 0x03, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        let payload = try WiredFrame.long(control: 0x08, address: 1, ci: 0x73, data: data).applicationPayload()
        let records = try #require(payload.fixedRecords)
        #expect(records[0].value == .number(1000))
        #expect(records[1].value == .number(-0.001))
    }

    // rscada/libmbus test/error-frames/*.hex with the <Error> text of their .xml.
    @Test(arguments: [
        ("68 04 04 68 08 01 70 08 81 16", "Application busy"),
        ("68 04 04 68 08 01 70 02 7B 16", "Buffer too long, truncated"),
        ("68 03 03 68 08 01 70 79 16", "Unspecified error"),
        ("68 04 04 68 08 01 70 04 7D 16", "Premature end of record"),
        ("68 04 04 68 08 01 70 05 7E 16", "More than 10 DIFE\u{B4}s"),
        ("68 04 04 68 08 01 70 09 82 16", "Too many readouts"),
        ("68 04 04 68 08 01 70 03 7C 16", "Too many records"),
        ("68 04 04 68 08 01 70 06 7F 16", "More than 10 VIFE\u{B4}s"),
        ("68 04 04 68 08 01 70 01 7A 16", "Unimplemented CI-Field"),
        ("68 04 04 68 08 01 70 00 79 16", "Unspecified error"),
    ])
    func applicationErrors(hex: String, text: String) throws {
        let error = try errorOf(hex)
        #expect(error == DecodeError(.applicationError, text))
    }

    @Test func unsupportedAndTruncated() throws {
        // libmbus test/unsupported-frames/manual_frame4.hex, manual_frame6.hex: master SND_UD frames.
        #expect(try errorOf("68 06 06 68 53 FE 51 01 7A 08 25 16")?.code == .unsupported)
        #expect(try errorOf("68 0F 0F 68 53 FE 51 0C 79 78 56 34 12 0C 06 07 01 00 00 55 16")?.code == .unsupported)
        // libmbus test/unsupported-frames/invalid_length2.hex: a fixed structure one byte short.
        #expect(try errorOf("68 12 12 68 08 01 73 93 92 91 90 10 00 05 69 31 65 00 00 69 00 00 3F 16")?.code == .truncated)
        // libmbus test/error-frames/too_short_header.hex: CI 0x72 with 5 header bytes.
        #expect(try errorOf("68 08 08 68 08 02 72 78 56 34 12 24 B4 16")?.code == .truncated)
        #expect(errorOf(WiredFrame.long(control: 0x08, address: 1, ci: 0x76, data: [0]))?.code == .unsupported)
        #expect(errorOf(WiredFrame.reqUD2(address: 1))?.code == .unsupported)
        // libmbus test/unsupported-frames/svm_f22_telegram2.hex (head): all manufacturer data after
        // DIF 0x1F, passed on to the record parser.
        let svm = WiredFrame.long(control: 0x08, address: 1, ci: 0x72,
                                  data: [0x89, 0x60, 0x00, 0x01, 0xCD, 0x4E, 0x09, 0x04, 0x18, 0x70, 0x00, 0x00, 0x1F, 0x45])
        let payload = try svm.applicationPayload()
        #expect(payload.data[payload.recordsStart] == 0x1F)
    }
}
