import Testing
@testable import MBus

/// The record walk: DIF/DIFE addressing, specials, limits, errors, and whole record sections
/// of libmbus test frames against their normalised expectations.
struct RecordParserTests {
    typealias F = RecordFixture

    @Test func difFunctionAndStorageBit() throws {
        #expect(try F.one("5413 01000000")?.function == .maximum)  // DIF 0x54: storage 1, max
        #expect(try F.one("5413 01000000")?.storage == 1)
        #expect(try F.one("2413 01000000")?.function == .minimum)
        #expect(try F.one("3413 01000000")?.function == .error)
    }

    // Storage = DIF bit6 | DIFE nibbles << 1, << 5, ...; tariff 2 bits and subunit 1 bit per DIFE,
    // as libmbus mbus_data_record_storage_number/_tariff/_device compute them.
    @Test func difeArithmetic() throws {
        let a = try F.one("C4C04006 00000000")  // libmbus kamstrup_multical_601 record 25
        #expect(a?.storage == 1)
        #expect(a?.tariff == 0)
        #expect(a?.subunit == 3)
        let b = try F.one("8410 06 00000000")  // tariff 1
        #expect(b?.tariff == 1)
        #expect(b?.storage == 0)
        let c = try F.one("848F0F6D 00000000")  // libmbus landis+gyr_ultraheat_t230 record 32: storage 510
        #expect(c?.storage == 510)
        let d = try F.one("C4BF3F13 00000000")  // 1 | 0xF<<1 | 0xF<<5, tariff 3 | 3<<2, subunit 0
        #expect(d?.storage == 1 | 0xF << 1 | 0xF << 5)
        #expect(d?.tariff == 0xF)
        let e = try F.one("84C000 13 00000000")
        #expect(e?.subunit == 1)
        #expect(e?.storage == 0)
        #expect(e?.difvif.description == "84C00013")
    }

    @Test func tenDIFEsAndVIFEsAreTheLimit() throws {
        let difes = String(repeating: "80", count: 9) + "00"
        #expect(try F.one("84" + difes + "13 01000000")?.difvif.count == 12)
        #expect(F.failure("84" + String(repeating: "80", count: 10) + "00" + "13 01000000") == .invalidRecord)
        let vifes = String(repeating: "80", count: 9) + "00"
        #expect(try F.one("0493" + vifes + "01000000")?.difvif.count == 12)
        #expect(F.failure("0493" + String(repeating: "80", count: 10) + "00" + "01000000") == .invalidRecord)
        // libmbus error-frames/too_many_dife.hex and too_many_vife.hex, their records section.
        #expect(F.failure("0313153100DA023B13018B8B8B8B8B8B8B8B8B8B8B6004371802") == .invalidRecord)
        #expect(F.failure("0313153100DA023B13018B60848484848484848484848404371802") == .invalidRecord)
    }

    // libmbus error-frames/premature_end_of_*.hex: the records part after the 12-byte header.
    @Test func prematureEnds() {
        #expect(F.failure("0313153100DA023B13018B6004") == .truncated)  // premature_end_of_data1
        #expect(F.failure("0313153100DA023B13018B60043718") == .truncated)  // premature_end_of_data2
        #expect(F.failure("0313153100DA023B13018B") == .truncated)  // premature_end_of_dif1
        #expect(F.failure("0313153100DA023B13018B8B") == .truncated)  // premature_end_of_dif2
        #expect(F.failure("0313153100DA023B13018B60") == .truncated)  // premature_end_of_vif1
        // premature_end_of_var_vif1 / too_long_var_vif: plain-text VIF lengths 0x13 and 0xF3.
        #expect(F.failure("01FD1B0002FC034852257 4D41122FC0348522574C81112FC13485225 74B4".filter { $0 != " " }) == .truncated)
        #expect(F.failure("01FD1B0002FC0348522574D41122FC0348522574C81112FCF348522574B4") == .invalidRecord)
        #expect(F.failure("04") == .truncated)
        #expect(F.failure("0413 0100") == .truncated)
    }

    @Test func plainTextUnit() throws {
        // libmbus error-frames premature_end_of_var_vif1 first records: 02FC03485225 74 D411 = 4564 x 10^-2 = 45.64 %RH.
        let r = try F.parse("01FD1B0002FC0348522574D41122FC0348522574C811")
        #expect(r.records.count == 3)
        #expect(r.records[1].unitText == "%RH")
        #expect(r.records[1].value == .number(45.64))
        #expect(r.records[2].function == .minimum)
        #expect(r.records[1].difvif.description == "02FC74")
    }

    @Test func fillerSpecialsAndManufacturerData() throws {
        let r = try F.parse("2F2F 0413 01000000 2F 7F 0F 00017513")
        #expect(r.records.count == 1)
        #expect(r.manufacturerData == [0x00, 0x01, 0x75, 0x13])
        #expect(!r.moreRecordsFollow)
        let more = try F.parse("0413 01000000 1F")
        #expect(more.moreRecordsFollow)
        #expect(more.manufacturerData.isEmpty)
        #expect(F.failure("3F13") == .invalidRecord)  // reserved special DIF
        #expect(try F.parse("2F2F2F").records.isEmpty)
    }

    @Test func rangeIsChecked() {
        let bytes = F.bytes("0413010000000413")
        #expect(throws: DecodeError.self) { try RecordParser.parse(bytes, from: 0, to: 9, manufacturer: 0) }
        #expect(throws: DecodeError.self) { try RecordParser.parse(bytes, from: 5, to: 4, manufacturer: 0) }
        #expect((try? RecordParser.parse(bytes, from: 0, to: 6, manufacturer: 0))?.records.count == 1)
        #expect((try? RecordParser.parse(bytes, from: 2, to: 2, manufacturer: 0))?.records.isEmpty == true)
    }

    // libmbus test-frames/ACW_Itron-BM-plus-m.hex (+ .norm.xml), records from offset 19.
    @Test func libmbusItronBMPlusM() throws {
        let frame = F.bytes("683C3C680808727803491177040E160A0000000C7878034911041331D40000426C0000441300000000046D0B0BCD130227000009FD0E0209FD0F060F00017513D316")
        let r = try RecordParser.parse(frame, from: 19, to: frame.count - 2, manufacturer: 0x0423)
        #expect(r.records.map(\.quantity) == [.fabricationNumber, .volume, .date, .volume, .dateTime, .operatingTime,
                                              .firmwareVersion, .softwareVersion])
        #expect(r.records[0].value == .integer(11490378))
        #expect(r.records[1].value == .number(54.321))
        #expect(r.records[2].value == .null)  // libmbus prints 2000-00-00 for this invalid date
        #expect(r.records[3].storage == 1)
        #expect(r.records[4].value.dateTimeText == "2014-03-13T11:11:00")
        #expect(r.records[5].value == .number(0))
        #expect(r.records[6].value == .integer(2))
        #expect(r.records[7].value == .integer(6))
        #expect(r.manufacturerData == [0x00, 0x01, 0x75, 0x13])
    }

    // libmbus test-frames/kamstrup_multical_601.hex (+ .norm.xml): values in libmbus' SI units
    // converted to ours (Wh -> kWh, W -> kW, s -> h).
    @Test func libmbusMultical601() throws {
        let frame = F.bytes("68F7F768081172175885062D2C0804040000000C78175885060406E791000004142CDB00000422D90300000459B9270000045D081200000461B1150000042D5B010000142DC0010000043B1F020000143B74020000841006000000008420060000000084401400000000848040140000000084C0400600000000046D1A2F65114406518200004414B2C30000542D26020000543B03040000C4100600000000C4200600000000C4401400000000C480401400000000C4C0400600000000426C5F1C0F00000000E7E40000636600000000000000000000000000005BC9A50234530000E0B20300899C680000000000010001070709010300000000009816")
        let r = try RecordParser.parse(frame, from: 19, to: frame.count - 2, manufacturer: F.kam)
        #expect(r.records.count == 27)
        let values = r.records.prefix(11).map { $0.value.double ?? .nan }
        #expect(values == [6855817, 37351, 561.08, 985, 101.69, 46.16, 55.53, 34.7, 44.8, 0.543, 0.628])
        #expect(r.records[8].function == .maximum)
        #expect(r.records[13].subunit == 1)
        #expect(r.records[15].subunit == 3)
        #expect(r.records[17].value == .number(33361))
        #expect(r.records[17].storage == 1)
        #expect(r.records[26].value == .date(MeterDate(year: 2010, month: 12, day: 31)))
        #expect(r.manufacturerData.count == 57)
    }

    // libmbus test-frames/SEN_Pollustat.hex (+ .norm.xml): real32 values, a VIFE-qualified flow.
    @Test func libmbusPollustat() throws {
        let frame = F.bytes("6871716808047288170100AE4C060D3E000000046D3B0EE714346D0000010134FD170000000404209222F1000424A41AE70004863B979B00000413BE095E00052EB1D12EBE053EF5B84E40055BB82DF941055F788BF941056300803BBD04BE5071BBB00004BE58F40200000C7888170100027F10B55D16")
        let r = try RecordParser.parse(frame, from: 19, to: frame.count - 2, manufacturer: 0x4CAE)
        #expect(r.records.count == 16)
        #expect(r.records[1].function == .error)
        #expect(r.records[2].value == .integer(67108864))
        #expect(r.records[3].value == .number(15803026.0 / 3600))
        #expect(r.records[5].value == .number(39831))  // 39831000 Wh, 0x86 0x3B: VIFE forward flow
        #expect(r.records[5].modifiers == .forwardFlow)
        #expect(abs((r.records[7].value.double ?? 0) * 1000 + 170.721784) < 1e-6)
        #expect(abs((r.records[9].value.double ?? 0) - 31.147324) < 1e-6)
        #expect(r.records[14].value == .integer(11788))
    }
}
