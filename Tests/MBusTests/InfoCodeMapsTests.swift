import Testing
@testable import MBus

private let mc21 = MeterAddress(manufacturer: 0x2C2D, id: 0x76348799, version: 0x1B, deviceType: 0x16)
private let flowIQ = MeterAddress(manufacturer: 0x2C37, id: 0x23813076, version: 0x3C, deviceType: 0x16)
private let mc803 = MeterAddress(manufacturer: 0x2C2D, id: 0x80808081, version: 0x39, deviceType: 0x04)

private func info(_ difvif: [UInt8], _ bits: Int64, storage: UInt64 = 0) -> Record {
    Record(quantity: .infoCode, unit: .none, value: .integer(bits), storage: storage, difvif: DIFVIF(difvif))
}

struct InfoCodeMapsTests {
    // wmbusmeters kamwater.xmq test "MyTapWater": 02FF20 = 7100 -> DRY, time_dry 22-31 days.
    @Test func multical21DryWithDuration() {
        let codes = InfoCodeMaps.decode(records: [info([0x02, 0xFF, 0x20], 0x0071)], address: mc21)
        #expect(codes == [InfoCode(code: "dry", bit: 0, detail: "dry", durationHours: 505...744)])
    }

    @Test func multical21DurationFieldsPerFlag() {
        // leak (bit 2) with leaking-time scale 2 (bits 10-12) and burst (bit 3) with scale 1 (bits 13-15).
        let bits: Int64 = 0x4 | 0x8 | 2 << 10 | 1 << 13
        let codes = InfoCodeMaps.decode(records: [info([0x02, 0xFF, 0x20], bits)], address: mc21)
        #expect(codes.map(\.code) == ["leak", "burst"])
        #expect(codes.map(\.durationHours) == [9...24, 1...8])
    }

    @Test func durationScale() {
        #expect(InfoCodeMaps.durationHours(scale: 0) == nil)
        #expect(InfoCodeMaps.durationHours(scale: 3) == 25...72)
        // The steps are contiguous: each starts one hour after the previous ends.
        for scale in 2...7 {
            #expect(InfoCodeMaps.durationHours(scale: scale)!.lowerBound == InfoCodeMaps.durationHours(scale: scale - 1)!.upperBound + 1)
        }
    }

    // wmbusmeters kamheat.xmq test "Heater multical803": 04FF22 = 0x00010060 -> T1 and T2 below
    // range, V1 communication error.
    @Test func multical803InfoCode() {
        let codes = InfoCodeMaps.decode(records: [info([0x04, 0xFF, 0x22], 0x0001_0060)], address: mc803)
        #expect(codes.map(\.bit) == [5, 6, 16])
        #expect(codes.map(\.code) == ["temperature-out-of-range", "temperature-out-of-range", "communication-error"])
    }

    // wmbusmeters kamwater.xmq test "Votten": 04FF23 = 0x800 -> ERROR_FLAGS_800 (undocumented bit 11).
    @Test func flowIQ32BitMap() {
        #expect(InfoCodeMaps.decode(records: [info([0x04, 0xFF, 0x23], 0x800)], address: flowIQ).map(\.code) == ["unknown"])
        let codes = InfoCodeMaps.decode(records: [info([0x04, 0xFF, 0x23], 0x10 | 0x20 | 0x200)], address: flowIQ)
        #expect(codes.map(\.code) == ["tamper", "low-battery", "no-consumption"])
    }

    @Test func mapsAreNotMixed() {
        // 0x40 is "t2 below range" in 04FF22 but "leak, cold water" in the FD17 narrow map.
        let heat = InfoCodeMaps.decode(records: [info([0x04, 0xFF, 0x22], 0x40)], address: mc803)
        let flags = Record(quantity: .errorFlags, unit: .none, value: .integer(0x40), difvif: DIFVIF([0x02, 0xFD, 0x17]))
        let narrow = InfoCodeMaps.decode(records: [flags], address: mc803)
        #expect(heat.map(\.code) == ["temperature-out-of-range"])
        #expect(narrow.map(\.code) == ["leak"])
        // 02FF22 is the 16-bit variant: bit 12 is reserved there but "leak A1" in 04FF22.
        #expect(InfoCodeMaps.decode(records: [info([0x02, 0xFF, 0x22], 0x1000)], address: mc803).map(\.code) == ["unknown"])
        #expect(InfoCodeMaps.decode(records: [info([0x04, 0xFF, 0x22], 0x1000)], address: mc803).map(\.code) == ["leak"])
        // A water meter's map never applies to a heat meter, nor Kamstrup maps to other makers.
        #expect(InfoCodeMaps.decode(records: [info([0x02, 0xFF, 0x20], 0x1)], address: mc803).isEmpty)
        let other = MeterAddress(manufacturer: 0x1593, id: 1, version: 1, deviceType: 0x16)
        #expect(InfoCodeMaps.decode(records: [info([0x02, 0xFF, 0x20], 0x1)], address: other).isEmpty)
    }

    @Test func onlyTheCurrentValueCounts() {
        let historic = info([0x42, 0xFF, 0x20], 0x1, storage: 1)
        #expect(InfoCodeMaps.decode(records: [historic], address: mc21).isEmpty)
    }

    @Test func catalogueCoversEveryMap() {
        let maps = [InfoCodeMaps.kamstrupHeat32, InfoCodeMaps.kamstrupHeat16, InfoCodeMaps.kamstrupHeatNarrow,
                    InfoCodeMaps.kamstrupWater16, InfoCodeMaps.kamstrupWater32, InfoCodeMaps.kamstrupPressure]
        for map in maps {
            for meaning in map.bits.values { #expect(InfoCodeMaps.entry(meaning.code) != nil, "\(meaning.code)") }
        }
        #expect(InfoCodeMaps.entry("unknown")?.severity == .info)
        #expect(InfoCodeMaps.entry("leak")?.severity == .critical)
        #expect(Set(InfoCodeMaps.catalogue.map(\.code)).count == InfoCodeMaps.catalogue.count)
    }

    /// The catalogue is exactly what the maps can raise: nothing missing, nothing no map emits.
    @Test func catalogueIsWhatTheMapsEmit() {
        #expect(InfoCodeMaps.maps.count == 6)
        #expect(Set(InfoCodeMaps.catalogue.map(\.code)) == InfoCodeMaps.emittedCodes)
        #expect(InfoCodeMaps.entry("reverse-flow")?.severity == .major)
        #expect(InfoCodeMaps.entry("low-battery")?.severity == .minor)
        #expect(InfoCodeMaps.catalogue.allSatisfy { !$0.title.isEmpty && !$0.description.isEmpty })
    }
}
