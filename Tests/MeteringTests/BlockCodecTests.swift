import Metering
import Testing

@Suite struct BlockCodecTests {
    /// A day of hourly heat readings: energy and volume grow, temperatures wander.
    func day(start: Int64) -> [BlockCodec.Entry] {
        (0..<24).map { h in
            var v = RegisterValues()
            v[.heatEnergyKWh] = Double(123_456 + h * 3)
            v[.volumeM3] = Double(456_789 + h * 41) / 100
            v[.flowTemperatureC] = Double(650 + (h % 5)) / 10
            v[.returnTemperatureC] = Double(380 - (h % 3)) / 10
            v[.powerKW] = Double(120 + h) / 10
            v[.hourCounterH] = Double(43_210 + h)
            return .init(time: start + Int64(h) * 3600, source: 0, receptions: 1 + h % 3,
                         reading: .init(values: v, infoBits: 0))
        }
    }

    @Test func aDayOfHourlyReadingsRoundTripsInAFewBytesEach() throws {
        let entries = day(start: 1_790_000_000)
        let bytes = BlockCodec.encode(entries, firstTime: 1_790_000_000)
        #expect(try BlockCodec.decode(bytes, firstTime: 1_790_000_000) == entries)
        #expect(bytes.count / entries.count <= 12, "\(bytes.count) bytes for \(entries.count) readings")
    }

    @Test func changingRegistersExponentsRawValuesAndManyReceptionsRoundTrip() throws {
        var entries = day(start: 1000)
        entries[3].reading.values[.volumeM3] = nil
        entries[4].reading.values[.volumeM3] = 12.5
        entries[5].reading.values[.heatEnergyKWh] = 1.0 / 3.0
        entries[6].reading.values[.pressureBar] = -2.25
        entries[7].receptions = 400
        entries[8].source = 5
        entries[9].reading.infoCodes = 0b101
        entries[9].reading.infoBits = nil
        let bytes = BlockCodec.encode(entries, firstTime: 1000)
        #expect(try BlockCodec.decode(bytes, firstTime: 1000) == entries)
    }

    @Test func truncatedBlocksAreErrors() {
        let bytes = BlockCodec.encode(day(start: 0), firstTime: 0)
        for n in [1, 2, 3, 10, bytes.count - 1] {
            #expect(throws: ReadingCodec.DecodeError.self) { try BlockCodec.decode(Array(bytes.prefix(n)), firstTime: 0) }
        }
    }
}
