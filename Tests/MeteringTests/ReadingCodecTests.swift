import Metering
import Testing

@Suite struct ReadingCodecTests {
    func heat() -> RegisterValues {
        var v = RegisterValues()
        v[.heatEnergyKWh] = 123_456
        v[.volumeM3] = 4567.89
        v[.flowTemperatureC] = 65.3
        v[.returnTemperatureC] = 38.12
        v[.powerKW] = 12.4
        v[.flowM3h] = 0.345
        v[.hourCounterH] = 43_210
        return v
    }

    @Test func typicalHeatReadingIsSmallAndExact() throws {
        let reading = ReadingCodec.Decoded(values: heat(), infoBits: 0, infoCodes: 0)
        let bytes = ReadingCodec.encode(reading)
        #expect(bytes.count <= 22, "\(bytes.count) bytes")
        #expect(try ReadingCodec.decode(bytes) == reading)
    }

    @Test func decimalsFromMultiplicationComeBackAsTheDecimal() throws {
        var v = RegisterValues()
        v[.volumeM3] = 6408 * 0.001  // how a decoder scales 6408 with VIF 0x13
        let out = try ReadingCodec.decode(ReadingCodec.encode(.init(values: v))).values[.volumeM3]
        #expect(out == 6.408)
    }

    @Test func negativeHugeAndNonDecimalValuesRoundTrip() throws {
        var v = RegisterValues()
        v[.externalTemperatureC] = -12.5
        v[.activeEnergyImportKWh] = 9_007_199_254_740_000
        v[.p1] = 1.0 / 3.0
        v[.pulseInputA] = 0
        v[.pressureBar] = -0.000001
        let reading = ReadingCodec.Decoded(values: v, infoBits: 0x8000_0000_0000_0001, infoCodes: 0b1010)
        #expect(try ReadingCodec.decode(ReadingCodec.encode(reading)) == reading)
    }

    @Test func randomReadingsRoundTrip() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            var v = RegisterValues()
            for r in Register.allCases where Bool.random(using: &rng) {
                v[r] = Bool.random(using: &rng)
                    ? Double(Int64.random(in: -10_000_000...10_000_000, using: &rng)) / [1, 10, 1000, 1_000_000].randomElement(using: &rng)!
                    : Double.random(in: -1e12...1e12, using: &rng)
            }
            let reading = ReadingCodec.Decoded(values: v, infoBits: Bool.random() ? UInt64.random(in: 0...UInt64.max) : nil,
                                               infoCodes: UInt64.random(in: 0...0xFFFF))
            let back = try ReadingCodec.decode(ReadingCodec.encode(reading))
            #expect(back.infoBits == reading.infoBits && back.infoCodes == reading.infoCodes)
            for r in Register.allCases {
                guard let a = v[r], let b = back.values[r] else { #expect(v[r] == nil && back.values[r] == nil); continue }
                #expect(abs(a - b) <= abs(a) * 4.5e-16, "\(r): \(a) vs \(b)")
            }
        }
    }

    @Test func damagedBytesAreErrorsNotTraps() {
        let bytes = ReadingCodec.encode(.init(values: heat(), infoBits: 5))
        for n in 0..<bytes.count {
            #expect(throws: ReadingCodec.DecodeError.self) { try ReadingCodec.decode(bytes.prefix(n)) }
        }
        #expect(throws: ReadingCodec.DecodeError.unknownFields(1 << 30)) { try ReadingCodec.decode([0x80, 0x80, 0x80, 0x80, 0x04]) }
        #expect(throws: ReadingCodec.DecodeError.truncated) { try ReadingCodec.decode([UInt8](repeating: 0xFF, count: 12)) }
    }
}
