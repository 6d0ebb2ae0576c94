import Crypto
import Testing
@testable import MBus

private func bytes(_ text: String) throws -> [UInt8] {
    try Hex.decode(text.filter { !$0.isWhitespace })
}

/// A wireless telegram `L C M A 8D CC ACC SN(4) PLCRC(2) CI ...` (ELL with AES-CTR, shown
/// pre-decrypted as wmbusmeters' tests keep them): the CI sits at 19, what follows at 20.
private let ciOffset = 19

struct CompactFrameTests {
    // Vectors: wmbusmeters/wmbusmeters drivers/src/kamwater.xmq tests (MULTICAL 21 76348799),
    // full frame then compact frame; also PROTOCOLS §2.5 (signature A8ED, FC 75E4 in the
    // documented frame; here FC 6AB6 of the same format).
    static let mc21Full = "2A442D2C998734761B168D2091D37CAC21576C78 02FF207100041308190000441308190000615B7F616713"
    static let mc21Compact = "23442D2C998734761B168D2087D19EAD217F1779 EDA86AB6 710008190000081900007F13"

    @Test func multical21PredeclaredMatchesTheFullFrame() throws {
        let full = try bytes(Self.mc21Full)
        let compact = try bytes(Self.mc21Compact)
        #expect(compact[ciOffset] == 0x79)
        let registry = CompactFormatRegistry()
        let expanded = try CompactFrame.expand(compact, from: ciOffset + 1, to: compact.count, registry: registry)
        // Same meter, same values: the expansion is the full frame's record stream byte for byte.
        #expect(expanded == Array(full[(ciOffset + 1)...]))
    }

    // wmbusmeters kamheat.xmq tests "MyHeater multical302 67676767": full then compact (F1E7).
    @Test func multical302PredeclaredMatchesTheFullFrame() throws {
        let full = try bytes("2E442D2C6767676730048D2039D1684020BCDB78 03062C000043060000000314630000426C7F2A022D130001FF2100")
        let compact = try bytes("25442D2C6767676730048D203AD2684020D81579 E7F1D590 2C00000000006300007F2A130000")
        let expanded = try CompactFrame.expand(compact, from: ciOffset + 1, to: compact.count, registry: CompactFormatRegistry())
        #expect(expanded == Array(full[(ciOffset + 1)...]))
    }

    // Compact frames of the wmbusmeters sample (conformance/wmbusmeters-sample.jsonl, CI 0x79)
    // whose formats are pre-declared: KAM 30 0C, KAM 34 0C (kamheat.xmq tests), KAW 3C 16
    // (kamwater.xmq test "MoreWater").
    @Test(arguments: [
        ("25442D2C53160567300C8D2092C155F824389079C252C47190DE00E9DD0034EE171F33000000", UInt16(0x52C2)),
        ("3F442D2C99480571340C8D201B728C8322BE3D794DB3E88DAF7D000065560200D7E70100CC7A050000000000810C930D00000000DF21AF7D0000CC7A0500C121", 0xB34D),
        ("2F44372C834208543C168D209E926F9820903279D4364649000062ED000034C9000041373303110F1716077000077000", 0x36D4),
    ])
    func predeclaredFormatsVerify(hex: String, signature: UInt16) throws {
        let compact = try bytes(hex)
        let registry = CompactFormatRegistry()
        let expanded = try CompactFrame.expand(compact, from: ciOffset + 1, to: compact.count, registry: registry)
        let format = try #require(registry.format(signature: signature))
        // The expansion's keys are the format's, and its data is all of the compact frame's.
        var walker = KeyWalker(bytes: expanded, index: 0, end: expanded.count, withData: true)
        var keys: [UInt8] = []
        while let (key, _) = try walker.next() { keys += expanded[key] }
        #expect(keys == format)
        #expect(expanded.count == format.count + compact.count - ciOffset - 5)
    }

    // Compact frames that need the meter's full frame first (wmbusmeters sample and kamheat /
    // kampress tests): MULTICAL 403 cooling, MULTICAL 602, pressure sensor, OMNIPOWER.
    @Test(arguments: [
        ("88442D2C02017878340A8D208D529C132037FC78040E2D0A000004FF07F8FF000004FF08401801000413C1900500844014000000008480401400000000043BED0000000259BC06025DCD07142DE7FFFFFF84100E0000000084200E0000000004FF2200000000026C9228440E5F0300004413960D0200C4401400000000C480401400000000426C8128",
         "5B442D2C02017878340A8D2096809C1320EF2B7934147ED72D0A0000FAFF000043180100CE9005000000000000000000EE000000BA06CB07E7FFFFFF00000000000000000000000092285F030000960D020000000000000000008128"),
        ("7A442D2C012815781C048D206450E7632234467802F9FF1511130406690B010004EEFF07C1BC020004EEFF0890D401000414A925040084401400000000848040140000000002FD170000026CB929426CBF284406100A01004414D81A0400C4401400000000C480401400000000043B3900000002592A17025D2912",
         "4F442D2C012815781C048D207171E76322BE7679008430051113690B0100C1BC020090D40100A925040000000000000000000000B929BF28100A0100D81A04000000000000000000390000002A172912"),
        ("32442D2C1703007701188D280080E39322DB8F7822696600126967000269660005FF091954A33A05FF0A99BD823A02FD170800",
         "27442D2C1703007701188D289554F295224ED579DE73188A650066006600E80EA43A6B97A3BA0800"),
        ("2D442D2C5768663230028D20E4E2C81C20878C7804041A03000004843C00000000042B0300000004AB3C00000000",
         "27442D2C5768663230028D20E900C91C2011BA79138CCCFB1A030000000000000300000000000000"),
    ])
    func learntFromTheFullFrame(fullHex: String, compactHex: String) throws {
        let full = try bytes(fullHex)
        let compact = try bytes(compactHex)
        #expect(full[ciOffset] == 0x78 && compact[ciOffset] == 0x79)
        let registry = CompactFormatRegistry(predeclared: false)
        #expect(throws: DecodeError.self) { try CompactFrame.expand(compact, from: ciOffset + 1, to: compact.count, registry: registry) }
        let signature = try #require(registry.learn(recordBytes: full, from: ciOffset + 1))
        #expect(signature == UInt16(compact[ciOffset + 1]) | UInt16(compact[ciOffset + 2]) << 8)
        // The full frame's own records give its FC: the CRC the compact frame would carry.
        #expect(CRC16.checksum(full, (ciOffset + 1)..<full.count) != 0)
        let expanded = try CompactFrame.expand(compact, from: ciOffset + 1, to: compact.count, registry: registry)
        #expect(expanded.count == full.count - ciOffset - 1)
        #expect(registry.learntFormats[signature] == registry.format(signature: signature))
    }

    // wmbusmeters kamwater.xmq test "Votten flowiq2200 23813076": the compact frame carries
    // flow 0x0023 where the full frame has 0, yet its FC (8054) is the full frame's. The test
    // data was edited by hand; the FC check catches exactly that.
    @Test func editedCompactFrameFailsItsFC() throws {
        let full = try bytes("4744372C763081233C168D2056D1ED11205A3C78 04FF2300080000441300000000523B000006FF1B08900008F0FF426CC12B61670A51671B023B000004131F0F00008101E7FF0F13")
        let compact = try bytes("3244372C763081233C168D2057D2ED11205a8179 05095480 0008000000000000000008900008F0FFC12B0A1B23001F0F000013")
        #expect(CRC16.checksum(full, (ciOffset + 1)..<full.count) == 0x8054)
        #expect(throws: DecodeError.self) {
            try CompactFrame.expand(compact, from: ciOffset + 1, to: compact.count, registry: CompactFormatRegistry())
        }
        var restored = compact
        restored[restored.count - 7] = 0x00 // the flow back to the full frame's 0000
        let expanded = try CompactFrame.expand(restored, from: ciOffset + 1, to: restored.count, registry: CompactFormatRegistry())
        #expect(expanded == Array(full[(ciOffset + 1)...]))
    }

    @Test func unknownSignatureAndBadFC() throws {
        let compact = try bytes(Self.mc21Compact)
        do {
            _ = try CompactFrame.expand(compact, from: ciOffset + 1, to: compact.count, registry: CompactFormatRegistry(predeclared: false))
            Issue.record("expanded without a format")
        } catch {
            #expect(error.code == .unknownCompactFormat)
            #expect(error.detail.contains("A8ED"))
        }
        var corrupted = compact
        corrupted[corrupted.count - 1] ^= 0x01
        #expect(throws: DecodeError(.crcMismatch, "compact frame FC 0xB66A, the expanded records of format 0xA8ED give 0x\(String(CRC16.checksum(try CompactFrame.expandUnchecked(corrupted)), radix: 16, uppercase: true))")) {
            try CompactFrame.expand(corrupted, from: ciOffset + 1, to: corrupted.count, registry: CompactFormatRegistry())
        }
        let short = Array(compact.dropLast())
        #expect(throws: DecodeError.self) { try CompactFrame.expand(short, from: ciOffset + 1, to: short.count, registry: CompactFormatRegistry()) }
        #expect(throws: DecodeError.self) { try CompactFrame.expand(compact, from: ciOffset + 1, to: compact.count + 1, registry: CompactFormatRegistry()) }
        #expect(throws: DecodeError.self) { try CompactFrame.expand(compact, from: 5, to: 7, registry: CompactFormatRegistry()) }
        // Extra bytes: 2F fillers pass, anything else is an error.
        let padded = compact + [0x2F, 0x2F]
        #expect(try CompactFrame.expand(padded, from: ciOffset + 1, to: padded.count, registry: CompactFormatRegistry()).count == 23)
        let extra = compact + [0x00]
        #expect(throws: DecodeError.self) { try CompactFrame.expand(extra, from: ciOffset + 1, to: extra.count, registry: CompactFormatRegistry()) }
    }

    // Signatures computed independently (PROTOCOLS §2.5 method) for every pre-declared list.
    @Test func predeclaredSignatures() {
        let registry = CompactFormatRegistry()
        let expected: [UInt16] = [0xF1E7, 0x52C2, 0xB34D, 0xA8ED, 0xC412, 0x0905, 0x36D4, 0x61EB, 0xD2F7, 0xDD34, 0x7C0E, 0xA9F3, 0x8C13]
        #expect(KamstrupCompactFormats.all.count == expected.count)
        for (format, signature) in zip(KamstrupCompactFormats.all, expected) {
            #expect(CRC16.checksum(format) == signature)
            #expect(registry.format(signature: signature) == format)
        }
        #expect(registry.learntFormats.isEmpty)
    }

    @Test func registerAndLearnRules() throws {
        let registry = CompactFormatRegistry(predeclared: false)
        #expect(registry.register(format: [0x04, 0x13, 0x02, 0x59]) == CRC16.checksum([0x04, 0x13, 0x02, 0x59]))
        // LVAR, special functions, plain-text VIF, over-long or cut chains: not a usable format.
        #expect(registry.register(format: [0x0D, 0x13]) == nil)
        #expect(registry.register(format: [0x3F, 0x13]) == nil)
        #expect(registry.register(format: [0x04, 0x7C]) == nil)
        #expect(registry.register(format: [0x84] + Array(repeating: 0x80, count: 10) + [0x00, 0x13]) == nil)
        #expect(registry.register(format: [0x04, 0x93]) == nil)
        #expect(registry.register(format: []) == nil)
        // Fillers are skipped and manufacturer data ends the format.
        let stream: [UInt8] = [0x2F, 0x04, 0x13, 1, 2, 3, 4, 0x2F, 0x02, 0x59, 5, 6, 0x0F, 0xAA, 0xBB]
        #expect(registry.learn(recordBytes: stream) == CRC16.checksum([0x04, 0x13, 0x02, 0x59]))
        #expect(registry.learn(recordBytes: [0x04, 0x13, 1, 2]) == nil)   // data cut short
        #expect(registry.learn(recordBytes: [0x2F, 0x2F]) == nil)
        #expect(registry.learntFormats.count == 1)
        // Persistence round trip.
        let restored = CompactFormatRegistry(predeclared: false)
        for (_, format) in registry.learntFormats { restored.register(format: format) }
        #expect(restored.learntFormats == registry.learntFormats)
    }

    @Test func concurrentLearningAndLookups() async throws {
        let registry = CompactFormatRegistry()
        let compact = try bytes(Self.mc21Compact)
        await withTaskGroup(of: Bool.self) { group in
            for task in 0..<4 {
                group.addTask {
                    var ok = true
                    for i in 0..<500 {
                        registry.learn(recordBytes: [0x04, 0x13, 0, 0, 0, 0, 0x01, 0xFD, UInt8(task), UInt8(i & 0x7F)])
                        ok = ok && (try? CompactFrame.expand(compact, from: 20, to: compact.count, registry: registry)) != nil
                    }
                    return ok
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}

extension CompactFrame {
    /// The MULTICAL 21 format applied without the FC check, to name the CRC the error reports.
    fileprivate static func expandUnchecked(_ compact: [UInt8]) throws -> [UInt8] {
        let format = try #require(CompactFormatRegistry().compiled(signature: 0xA8ED))
        var out: [UInt8] = []
        var d = 24, k = 0
        for pair in stride(from: 0, to: format.lengths.count, by: 2) {
            out += format.keys[k..<(k + Int(format.lengths[pair]))]
            k += Int(format.lengths[pair])
            out += compact[d..<(d + Int(format.lengths[pair + 1]))]
            d += Int(format.lengths[pair + 1])
        }
        return out
    }
}
