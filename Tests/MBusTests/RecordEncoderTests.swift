import Testing
@testable import MBus

struct RecordEncoderTests {
    typealias F = RecordFixture

    /// Deterministic generator so a failure reproduces.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
        }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
        mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }

    /// VIF chains (with the VIFEs that pick a table entry) and whether they read as dates.
    static let vifs: [(bytes: [UInt8], date: Bool, maker: UInt16)] = {
        var list: [([UInt8], Bool, UInt16)] = []
        for code in UInt8(0x00)...0x7A where code != 0x6C && code != 0x6D && code != 0x6F { list.append(([code], false, 0)) }
        list += [([0x6C], true, 0), ([0x6D], true, 0), ([0xFD, 0x30], true, 0), ([0xFD, 0x70], true, 0)]
        for code in [0x00, 0x08, 0x0E, 0x17, 0x1A, 0x1C, 0x26, 0x28, 0x3A, 0x46, 0x59, 0x61, 0x6D, 0x71, 0x74] as [UInt8] {
            list.append(([0xFD, code], false, 0))
        }
        for code in [0x00, 0x09, 0x10, 0x19, 0x1A, 0x21, 0x25, 0x29, 0x31, 0x5A, 0x61, 0x66, 0x02] as [UInt8] {
            list.append(([0xFB, code], false, 0))
        }
        list += [([0xFF, 0x20], false, 0x2C2D), ([0xFF, 0x22], false, 0x2C2D), ([0xFF, 0x07], false, 0x2C2D),
                 ([0xEE, 0xFF, 0x08], false, 0x2C2D), ([0xA5, 0xFF, 0x21], false, 0x2C2D), ([0xFF, 0x41], false, 0),
                 ([0x7E], false, 0), ([0x7C], false, 0), ([0xFC], false, 0)]
        return list
    }()

    static let combinables: [[UInt8]] = [[0x3B], [0x3C], [0x12], [0x22], [0x40], [0x48], [0x74], [0x75], [0x7D], [0x79], [0x7C, 0x02], [0x15]]

    /// One random record stream; `canonical` when the parser keeps every bit of it.
    static func randomRecord(_ g: inout SplitMix) -> (bytes: [UInt8], maker: UInt16, canonical: Bool) {
        let field = g.pick([0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xA, 0xB, 0xC, 0xD, 0xE] as [UInt8])
        let vif = g.pick(vifs)
        var canonical = true
        var out: [UInt8] = []
        let difeCount = g.int(0...3)
        out.append(field | UInt8(g.int(0...3)) << 4 | UInt8(g.int(0...1)) << 6 | (difeCount > 0 ? 0x80 : 0))
        for k in 0..<difeCount { out.append(UInt8(truncatingIfNeeded: g.next()) & 0x7F | (k < difeCount - 1 ? 0x80 : 0)) }
        var chain = vif.bytes
        var text: [UInt8] = []
        if chain[0] & 0x7F == 0x7C { text = (0..<g.int(0...12)).map { _ in UInt8(g.int(0x20...0xFF)) } }
        let extra = vif.maker == 0 && chain[0] & 0x7F != 0x7F ? g.int(0...2) : 0
        var additive = false
        for _ in 0..<extra {
            let c = g.pick(combinables)
            if c == [0x79] { additive = true }
            chain[chain.count - 1] |= 0x80
            chain += c.dropLast() .map { $0 | 0x80 } + [c.last!]
        }
        if chain[0] & 0x7F == 0x7C, chain.count > 1 { chain[0] |= 0x80 } else if chain[0] == 0xFC, chain.count == 1 { chain[0] = 0x7C }
        out.append(chain[0])
        if chain[0] & 0x7F == 0x7C {
            out.append(UInt8(text.count))
            out += text
        }
        out += chain.dropFirst()
        let physicalish = !vif.date
        switch field {
        case 0x1, 0x2, 0x3, 0x4, 0x6, 0x7:
            let length = [0, 1, 2, 3, 4, 0, 6, 8][Int(field)]
            if vif.date, length != 1, length != 8 {
                out += randomDate(&g, length: length)
            } else {
                var bits = g.bytes(length)
                if physicalish, length > 5 { bits[5...] = bits[5] & 0x80 == 0 ? [0, 0, 0][0..<(length - 5)] : [0xFF, 0xFF, 0xFF][0..<(length - 5)] }
                out += bits
            }
        case 0x5:
            let value = Float(Double(g.int(-10_000_000...10_000_000)) / 1000)
            if additive { canonical = false }
            out += withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        case 0x9, 0xA, 0xB, 0xC, 0xE:
            let length = [0x9: 1, 0xA: 2, 0xB: 3, 0xC: 4, 0xE: 6][Int(field)]!
            var digits = (0..<length).map { _ in UInt8(g.int(0...9)) << 4 | UInt8(g.int(0...9)) }
            if g.int(0...3) == 0, digits.dropLast().contains(where: { $0 != 0 }) || digits[length - 1] & 0x0F != 0 {
                digits[length - 1] = 0xF0 | digits[length - 1] & 0x0F
            }
            out += digits
        case 0xD:
            switch g.int(0...2) {
            case 0:
                let t = (0..<g.int(0...20)).map { _ in UInt8(g.int(0x20...0xFF)) }
                out += [UInt8(t.count)] + t
            case 1:
                let n = g.int(9...15)
                out += [0xE0 + UInt8(n)] + g.bytes(n)
            default:
                canonical = false  // numbers re-encode in the fewest binary bytes
                let n = g.int(1...4)
                out += [0xC0 + UInt8(n)] + (0..<n).map { _ in UInt8(g.int(0...9)) << 4 | UInt8(g.int(0...9)) }
            }
        default:
            break
        }
        return (out, vif.maker, canonical)
    }

    static func randomDate(_ g: inout SplitMix, length: Int) -> [UInt8] {
        if g.int(0...5) == 0 { return [UInt8](repeating: 0xFF, count: length) }
        let yy = UInt8(g.int(0...99)), day = UInt8(g.int(1...28)), month = UInt8(g.int(1...12))
        let a = day | (yy & 7) << 5, b = month | (yy & 0x78) << 1
        let hour = UInt8(g.int(0...23)), minute = UInt8(g.int(0...59)), second = UInt8(g.int(0...59))
        switch length {
        case 2: return [a, b]
        case 3: return [second, minute, hour]
        case 4: return [minute, hour | (g.int(0...1) == 0 ? 0 : 0x80), a, b]
        default: return [second, minute, hour, a, b, g.int(0...1) == 0 ? 0 : 0x40]
        }
    }

    @Test func encodeInvertsParseOnRandomRecords() throws {
        var g = SplitMix(state: 0x5EED_0004)
        var canonicalCount = 0
        for _ in 0..<20_000 {
            let (bytes, maker, canonical) = Self.randomRecord(&g)
            let parsed = try RecordParser.parse(bytes, from: 0, to: bytes.count, manufacturer: maker)
            let encoded = try RecordEncoder.encode(parsed, manufacturer: maker)
            let again = try RecordParser.parse(encoded, from: 0, to: encoded.count, manufacturer: maker)
            #expect(again == parsed, "\(F.hex(bytes)) -> \(F.hex(encoded))")
            if canonical {
                canonicalCount += 1
                #expect(encoded == bytes, "\(parsed.records)")
            }
            if again != parsed || (canonical && encoded != bytes) { break }
        }
        #expect(canonicalCount > 15_000)
    }

    @Test func kamstrupFrameRoundTripsByteForByte() throws {
        // wmbusmeters kamheat sample (predecrypted payload of a full MULTICAL 403 frame).
        let payload = F.bytes("0406051C000004FF07393D000004FF08AE2400000414F7680000043B47000000042D1600000002596D14025DFD0804FF22000000000422E61A0000143B8C010000142D7C000000")
        let parsed = try RecordParser.parse(payload, from: 0, to: payload.count, manufacturer: F.kam)
        #expect(try RecordEncoder.encode(parsed.records, manufacturer: F.kam) == payload)
        #expect(parsed.records[0].value == .number(7173))  // total_energy_consumption_kwh
        #expect(parsed.records[3].value == .number(268.71))  // total_volume_m3
        #expect(parsed.records[9].value == .number(6886))  // on_time_h
    }

    @Test func makeBuildsWhatTheParserWould() throws {
        let record = try Record.make([0x04, 0x13], .number(1.234))
        #expect(record.quantity == .volume)
        #expect(try RecordEncoder.encode([record]) == F.bytes("0413D2040000"))
        let target = try Record.make([0x44, 0x13], .number(2))
        #expect(target.storage == 1)
        let info = try Record.make([0x02, 0xFF, 0x20], .integer(0x71), manufacturer: F.kam)
        #expect(info.quantity == .infoCode)
        #expect(try RecordEncoder.encode([info], manufacturer: F.kam) == F.bytes("02FF207100"))
        let date = try Record.make([0x42, 0x6C], .date(MeterDate(year: 2010, month: 12, day: 31)))
        #expect(try RecordEncoder.encode([date]) == F.bytes("426C5F1C"))
        let text = try Record.make([0x02, 0xFC, 0x74], .number(45.64), unitText: "%RH")
        #expect(try RecordEncoder.encode([text]) == F.bytes("02FC034852257 4D411".filter { $0 != " " }))
        // Rounds to the VIF's resolution.
        let rounded = try Record.make([0x04, 0x13], .number(1.2344))
        #expect(try RecordEncoder.encode([rounded]) == F.bytes("0413D2040000"))
        let trailer = try RecordEncoder.encode([record], manufacturerData: [1, 2], moreRecordsFollow: true)
        #expect(trailer == F.bytes("0413D20400001F0102"))
    }

    @Test func encoderRejectsWhatCannotBeSent() throws {
        func code(_ record: Record) -> DecodeError.Code? {
            do {
                _ = try RecordEncoder.encode([record])
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(try Record.make([0x01, 0x13], .number(1))) == .invalidRecord)  // 1000 litres > int8
        #expect(code(try Record.make([0x01, 0xFD, 0x17], .integer(-1))) == .invalidRecord)  // bit field is unsigned
        #expect(code(try Record.make([0x0A, 0x13], .number(10))) == .invalidRecord)  // 10000 > 4 BCD digits
        #expect(code(try Record.make([0x0A, 0x13], .number(-1))) == .invalidRecord)  // 3 digits + sign nibble
        #expect(code(try Record.make([0x0A, 0x13], .number(-0.999))) == nil)
        #expect(code(try Record.make([0x02, 0x6C], .date(MeterDate(year: 2099, month: 1, day: 1)))) == .invalidRecord)
        #expect(code(try Record.make([0x04, 0x6D], .date(MeterDate(year: 2020, month: 1, day: 1)))) == .invalidRecord)
        #expect(code(try Record.make([0x0D, 0x13], .text("\u{263A}"))) == .invalidRecord)
        #expect(code(try Record.make([0x04, 0x13], .text("x"))) == .invalidRecord)
        #expect(code(try Record.make([0x00, 0x13], .integer(1))) == .invalidRecord)
        #expect(throws: DecodeError.self) { try Record.make([0x04, 0x13, 0x00], .null) }
        #expect(throws: DecodeError.self) { try Record.make([0x0F], .null) }
        #expect(throws: DecodeError.self) { try Record.make([], .null) }
    }
}

extension RecordFixture {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { RecordHeader.hex($0) }.joined() }
}
