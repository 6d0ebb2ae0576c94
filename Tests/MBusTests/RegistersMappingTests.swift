import Testing
@testable import MBus

private func r(_ quantity: Quantity, _ unit: Unit, _ value: RecordValue, _ difvif: [UInt8], storage: UInt64 = 0,
               subunit: UInt16 = 0, function: Record.Function = .instantaneous, modifiers: Modifiers = []) -> Record {
    Record(quantity: quantity, unit: unit, value: value, storage: storage, subunit: subunit, function: function,
           modifiers: modifiers, difvif: DIFVIF(difvif))
}

struct RegistersMappingTests {
    // Values of wmbusmeters omnipower.xmq test (32666857): A+ 7.94 kWh, P+ 0.003 kW, A- and P- 0.
    @Test func omnipower() {
        let address = MeterAddress(manufacturer: 0x2C2D, id: 0x32666857, version: 0x30, deviceType: 0x02)
        let records = [
            r(.energy, .kWh, .number(7.94), [0x04, 0x04]),
            r(.energy, .kWh, .number(0), [0x04, 0x84, 0x3C], modifiers: .backwardFlow),
            r(.power, .kW, .number(0.003), [0x04, 0x2B]),
            r(.power, .kW, .number(0), [0x04, 0xAB, 0x3C], modifiers: .backwardFlow),
        ]
        let registers = Registers(records: records, address: address)
        #expect(registers.activeEnergyImportKWh == 7.94)
        #expect(registers.activeEnergyExportKWh == 0)
        #expect(registers.activePowerImportKW == 0.003)
        #expect(registers.activePowerExportKW == 0)
        #expect(registers.heatEnergyKWh == nil && registers.powerKW == nil)
    }

    // Values of wmbusmeters kamheat.xmq test "Kamstrup_MC603_mbus" (32323232).
    @Test func multical603() {
        let address = MeterAddress(manufacturer: 0x2C2D, id: 0x32323232, version: 0x35, deviceType: 0x04)
        let time = MeterDateTime(date: MeterDate(year: 2024, month: 1, day: 15), hour: 11, minute: 46)
        let records = [
            r(.energy, .kWh, .number(3_363_200), [0x04, 0xFB, 0x00]),
            r(.volume, .m3, .number(85656), [0x04, 0x16]),
            r(.volume, .m3, .number(0), [0x84, 0x40, 0x14], subunit: 1),
            r(.onTime, .hours, .number(17232), [0x04, 0x22]),
            r(.onTime, .hours, .number(28), [0x34, 0x22], function: .error),
            r(.flowTemperature, .celsius, .number(81.37), [0x02, 0x59]),
            r(.returnTemperature, .celsius, .number(44.31), [0x02, 0x5D]),
            r(.temperatureDifference, .kelvin, .number(37.06), [0x02, 0x61]),
            r(.power, .kW, .number(560), [0x04, 0x2E]),
            r(.power, .kW, .number(869), [0x14, 0x2E], function: .maximum),
            r(.volumeFlow, .m3PerHour, .number(13.16), [0x04, 0x3C]),
            r(.infoCode, .none, .integer(0), [0x04, 0xFF, 0x22]),
            r(.dateTime, .none, .dateTime(time), [0x04, 0x6D]),
            r(.energy, .kWh, .number(3_200_000), [0x44, 0xFB, 0x00], storage: 1),
            r(.volume, .m3, .number(81847), [0x44, 0x16], storage: 1),
            r(.date, .none, .date(MeterDate(year: 2024, month: 1, day: 1)), [0x42, 0x6C], storage: 1),
            r(.volumeTemperatureIntegral, .m3C, .number(67136), [0x04, 0xFF, 0x07]),
            r(.unknown, .none, .integer(179_393), [0x04, 0xEE, 0xFF, 0x07]),
            r(.unknown, .none, .integer(119_952), [0x04, 0xEE, 0xFF, 0x08]),
            r(.pressure, .bar, .number(6.1), [0x82, 0x40, 0x69], subunit: 1),
        ]
        let registers = Registers(records: records, address: address)
        #expect(registers.heatEnergyKWh == 3_363_200)
        #expect(registers.volumeM3 == 85656 && registers.volume2M3 == 0)
        #expect(registers.hourCounterH == 17232)
        #expect(registers.flowTemperatureC == 81.37 && registers.returnTemperatureC == 44.31)
        #expect(registers.temperatureDifferenceK == 37.06)
        #expect(registers.powerKW == 560)
        #expect(registers.flowM3h == 13.16)
        #expect(registers.infoCodeBits == 0)
        #expect(registers.meterTime == time)
        #expect(registers.targetHeatEnergyKWh == 3_200_000 && registers.targetVolumeM3 == 81847)
        #expect(registers.targetDate == MeterDate(year: 2024, month: 1, day: 1))
        #expect(registers.pulseInputA == 179_393 && registers.pulseInputB == 119_952)
        #expect(registers.p1 == 6.1 && registers.p2 == nil && registers.pressureBar == nil)
        #expect(registers.coolingEnergyKWh == nil)
    }

    // wmbusmeters kamheat.xmq: MULTICAL 303 heat+cooling (0x0D) sends E3 as energy with the
    // backward-flow VIFE (04863C); a cooling meter (0x0A) reports plain energy as cooling.
    @Test func coolingEnergy() {
        let heatCooling = MeterAddress(manufacturer: 0x2C2D, id: 0x30303030, version: 0x40, deviceType: 0x0D)
        let records = [
            r(.energy, .kWh, .number(154), [0x04, 0x06]),
            r(.energy, .kWh, .number(12), [0x04, 0x86, 0x3C], modifiers: .backwardFlow),
            r(.energy, .kWh, .number(3), [0x44, 0x86, 0x3C], storage: 1, modifiers: .backwardFlow),
        ]
        let both = Registers(records: records, address: heatCooling)
        #expect(both.heatEnergyKWh == 154 && both.coolingEnergyKWh == 12 && both.targetCoolingEnergyKWh == 3)
        let cooling = MeterAddress(manufacturer: 0x2C2D, id: 0x78780102, version: 0x34, deviceType: 0x0A)
        let coolingOnly = Registers(records: [r(.energy, .kWh, .number(723.6), [0x04, 0x0E])], address: cooling)
        #expect(coolingOnly.coolingEnergyKWh == 723.6 && coolingOnly.heatEnergyKWh == nil)
    }

    @Test func selectionRules() {
        let water = MeterAddress(manufacturer: 0x2C2D, id: 1, version: 0x1B, deviceType: 0x16)
        let records = [
            r(.operatingTime, .days, .number(2), [0x04, 0x27]),
            r(.volume, .m3, .number(6.408), [0x04, 0x13]),
            r(.volume, .m3, .number(0.5), [0x04, 0x93, 0x3C], modifiers: .backwardFlow),
            r(.volume, .m3, .number(99), [0x84, 0x10, 0x13]),   // tariff 1 (tariff not set here: see below)
            r(.externalTemperature, .celsius, .number(19), [0x61, 0x67], storage: 1, function: .minimum),
            r(.flowTemperature, .kelvin, .number(300), [0x02, 0x59]), // wrong unit: not mapped
            r(.errorFlags, .none, .integer(0x71), [0x02, 0xFD, 0x17]),
        ]
        var tariffed = records
        tariffed[3].tariff = 1
        let registers = Registers(records: tariffed, address: water)
        #expect(registers.hourCounterH == 48)
        #expect(registers.volumeM3 == 6.408)
        #expect(registers.reverseVolumeM3 == 0.5)
        #expect(registers.externalTemperatureC == nil)
        #expect(registers.flowTemperatureC == nil)
        #expect(registers.infoCodeBits == 0x71)
    }
}
