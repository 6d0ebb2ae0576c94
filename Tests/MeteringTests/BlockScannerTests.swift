import Metering
import Testing

/// The scanner reads what `decode` reads, reading by reading, without building entries.
@Suite struct BlockScannerTests {
    func entries(start: Int64) -> [BlockCodec.Entry] {
        (0..<48).map { h in
            var v = RegisterValues()
            v[.heatEnergyKWh] = Double(99_990 + h * 3)
            v[.volumeM3] = Double(456_789 + h * 41) / 100
            v[.flowTemperatureC] = Double(650 + (h % 5)) / 10
            if h % 7 != 3 { v[.returnTemperatureC] = Double(380 - (h % 3)) / 10 }
            if h == 11 { v[.powerKW] = 1.0 / 3.0 }  // a raw Float64
            if h == 12 { v[.volumeM3] = 12.5 }      // another exponent
            return .init(time: start + Int64(h) * 3600 + Int64(h % 4), source: UInt8(h % 3), receptions: h == 20 ? 40 : 1,
                         reading: .init(values: v, infoBits: h % 2 == 0 ? 0 : nil, infoCodes: h >= 30 && h < 33 ? 0b1001 : 0))
        }
    }

    @Test func everyRegisterAndInfoCodeMatchesTheFullDecode() throws {
        let original = entries(start: 1_790_000_000)
        let bytes = BlockCodec.encode(original, firstTime: 1_790_000_000)
        let decoded = try BlockCodec.decode(bytes, firstTime: 1_790_000_000)
        var scanner = BlockCodec.Scanner(bytes, firstTime: 1_790_000_000)
        var index = 0
        while try scanner.next() {
            let expected = decoded[index]
            #expect(scanner.time == expected.time)
            #expect(scanner.infoCodes == expected.reading.infoCodes)
            for register in Register.allCases {
                #expect(scanner.value(register) == expected.reading.values[register], "reading \(index) \(register)")
            }
            index += 1
        }
        #expect(index == original.count)
    }

    @Test func onlyTheWantedRegistersAreComputedAndTheyMatch() throws {
        let original = entries(start: 7200)
        let bytes = BlockCodec.encode(original, firstTime: 7200)
        let decoded = try BlockCodec.decode(bytes, firstTime: 7200)
        var scanner = BlockCodec.Scanner(bytes, firstTime: 7200, registers: [.volumeM3, .returnTemperatureC])
        var index = 0
        while try scanner.next() {
            #expect(scanner.time == decoded[index].time)
            #expect(scanner.value(.volumeM3) == decoded[index].reading.values[.volumeM3])
            #expect(scanner.value(.returnTemperatureC) == decoded[index].reading.values[.returnTemperatureC])
            #expect(scanner.value(.heatEnergyKWh) == nil && scanner.value(.powerKW) == nil)
            index += 1
        }
        #expect(index == original.count)
    }

    @Test func aTruncatedBlockThrows() {
        let bytes = BlockCodec.encode(entries(start: 0), firstTime: 0)
        var scanner = BlockCodec.Scanner(Array(bytes.prefix(bytes.count - 2)), firstTime: 0)
        #expect(throws: ReadingCodec.DecodeError.self) {
            while try scanner.next() {}
        }
    }

    @Test func anEmptyBlockHasNoReadings() throws {
        var scanner = BlockCodec.Scanner([], firstTime: 5)
        #expect(try scanner.next() == false)
    }
}
