import Testing
@testable import MBus

/// VIF tables (EN 13757-3 tables 10, 12, 14), combinable VIFEs and manufacturer VIFs.
struct VIFTableTests {
    typealias F = RecordFixture

    @Test func primaryEnergyVolumePower() throws {
        #expect(try F.one("0403E8030000")?.value == .number(1))  // 1000 Wh
        #expect(try F.one("04060A000000")?.value == .number(10))  // kWh
        #expect(try F.one("04060A000000")?.unit == .kWh)
        // wmbusmeters kamheat: 030FC51000 = 42930 MJ... as 4293 * 10 MJ = 11925 kWh.
        #expect(try F.number("030FC51000") == 11925)
        #expect(try F.number("0413 31D40000") == 54.321)  // libmbus ACW_Itron-BM-plus-m
        #expect(try F.number("022B E803") == 1)  // 1000 W = 1 kW
        #expect(try F.number("0233 E803") == 1000 * 1000 / 3.6e6)  // 1000 kJ/h
        #expect(try F.number("021B 0A00") == 10)  // kg
    }

    @Test func flowsAndTemperatures() throws {
        #expect(try F.number("023B 1F02") == 0.543)  // l/h
        #expect(try F.number("0243 0100") == 0.006)  // 10^-4 m3/min = 0.006 m3/h
        #expect(try F.number("024E 0100") == 3.6)  // 10^-3 m3/s
        #expect(try F.one("0259B927")?.value == .number(101.69))  // libmbus kamstrup_multical_601
        #expect(try F.one("025D0812")?.quantity == .returnTemperature)
        #expect(try F.number("0261B115") == 55.53)
        #expect(try F.one("0167 EC")?.quantity == .externalTemperature)
        #expect(try F.number("016B 02") == 2)  // bar
    }

    @Test func timesAndIds() throws {
        #expect(try F.one("0422D9030000")?.value == .number(985))  // on time in hours
        #expect(try F.one("0423 02000000")?.value == .number(48))  // days -> hours
        #expect(try F.one("0420 100E0000")?.value == .number(1))  // seconds -> hours
        #expect(try F.one("0274 3C00")?.unit == .seconds)  // actuality duration stays seconds
        #expect(try F.number("0274 3C00") == 60)
        #expect(try F.one("0C7817588506")?.value == .integer(6855817))
        #expect(try F.one("017A05")?.quantity == .busAddress)
        #expect(try F.one("026E 0A00")?.unit == .hca)
    }

    @Test func mainExtensionTable() throws {
        #expect(try F.one("01FD08 2A")?.quantity == .accessNumber)
        #expect(try F.one("09FD0E02")?.quantity == .firmwareVersion)
        #expect(try F.one("01FD1B 05")?.value == .integer(5))
        #expect(try F.one("02FD1C 6009")?.unit == .baud)
        #expect(try F.number("02FD46 630E") == 3.683)  // wmbusmeters elvsense battery_v 3.683
        #expect(try F.number("02FD59 E803") == 1)  // 1000 mA
        #expect(try F.one("01FD3A 07")?.quantity == .dimensionless)
        #expect(try F.one("02FD74 2C01")?.value == .number(300))  // remaining battery, days
        #expect(try F.one("02FD74 2C01")?.unit == .days)
        #expect(try F.number("02FD6C 0200") == 2)  // battery operating time, hours
        #expect(try F.number("02FD6D 0200") == 48)
        #expect(try F.one("01FD71 B0")?.value == .number(-80))  // RF level dBm
        #expect(try F.one("01FD7F 00")?.quantity == .unknown)
    }

    @Test func alternateExtensionTable() throws {
        #expect(try F.number("02FB00 0A00") == 1000)  // 10 * 0.1 MWh
        #expect(try F.number("02FB09 0100") == 1e9 / 3.6e6)  // 1 GJ
        #expect(try F.number("02FB11 0200") == 2000)  // m3
        #expect(try F.number("02FB1A 0700") == 0.7)  // wmbusmeters elvsense humidity_rh 0.7
        #expect(try F.one("02FB1A0700")?.unit == .percent)
        #expect(try F.number("02FB5B 3200") == 10)  // 50 F -> 10 C
        #expect(try F.one("02FB82750100")?.quantity == .unknown)  // reactive energy: scale unconfirmed
    }

    @Test func vifWithoutItsExtensionCodeIsUnknown() throws {
        // libmbus sen_pollutherm: 0C7B02030000 decodes with no unit.
        #expect(try F.one("0C7B02030000")?.quantity == .unknown)
    }

    @Test func combinables() throws {
        let reverse = try F.one("04843C E8030000")  // OMNIPOWER A-
        #expect(reverse?.modifiers == .backwardFlow)
        #expect(reverse?.value == .number(10))
        #expect(try F.one("04933B 01000000")?.modifiers == .forwardFlow)
        #expect(try F.one("0293 48 0100")?.modifiers == .upperLimit)
        #expect(try F.one("0293 22 0100")?.modifiers == .perHour)
        #expect(try F.one("0293 15 0100")?.modifiers == .other)  // a record error code
        // Multiplicative correction 10^(nnn-6): wmbusmeters em24 `04FB8275` carries 0x75 = 10^-1.
        #expect(try F.number("0493 75 E8030000") == 0.1)
        #expect(try F.number("0493 7D 02000000") == 2)  // x1000 litres
        // Additive correction 10^(nn-3) of the base unit (m3): 0x7B adds 1 m3.
        #expect(try F.number("0493 7B 02000000") == 1.002)
        // Combinable extension 0xFC: phases.
        let phase = try F.one("0AFDC9FC013102")  // wmbusmeters amiplus voltage_at_phase_1_v = 231
        #expect(phase?.value == .number(231))
        #expect(phase?.modifiers == .atPhaseL1)
    }

    @Test func kamstrupManufacturerRecords() throws {
        // PROTOCOLS §3.2: 02FF207100 -> info code bits 0x71 (DRY, 22-31 days).
        let info = try F.one("02FF207100", manufacturer: F.kam)
        #expect(info?.quantity == .infoCode)
        #expect(info?.value == .integer(0x71))
        #expect(try F.one("04FF2200000080", manufacturer: F.kam)?.value == .integer(0x8000_0000))
        // wmbusmeters kamheat: 04FF07393D0000 forward_energy_m3c 15673.
        let m3c = try F.one("04FF07393D0000", manufacturer: F.kam)
        #expect(m3c?.value == .number(15673))
        #expect(m3c?.unit == .m3C)
        // 04EEFF07: pulse input A, counted (wmbusmeters kamheat sample).
        let pulses = try F.one("04EEFF07C1BC0200", manufacturer: F.kam)
        #expect(pulses?.quantity == .pulseCounter)
        #expect(pulses?.value == .integer(0x02BCC1))
        #expect(pulses?.modifiers == .manufacturerSpecific)
        // 04A5FF21: operating time, minutes -> hours, with the maker's sub-code.
        let hours = try F.one("04A5FF21 3C000000", manufacturer: F.kam)
        #expect(hours?.quantity == .operatingTime)
        #expect(hours?.value == .number(1))
        #expect(try F.one("02F9FF151113", manufacturer: F.kam)?.quantity == .enhancedIdentification)
        // KAW (newer water meters) share the table; another maker does not.
        #expect(try F.one("04FF2300000000", manufacturer: 0x2C37)?.quantity == .infoCode)
        #expect(try F.one("02FF207100", manufacturer: 0x0442)?.quantity == .manufacturerSpecific)
        #expect(try F.one("02FF207100")?.value == .integer(0x71))
    }
}
