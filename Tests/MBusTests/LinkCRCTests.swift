import Testing
@testable import MBus

struct LinkCRCTests {
    @Test func formatALengthArithmetic() {
        // OMS annex mode-5 example: L 0x2E, 47 bytes of frame in 4 blocks (10 + 16 + 16 + 5).
        #expect(LinkCRC.formatALength(l: 0x2E) == 55)
        // One data block exactly full, then one more byte needs a third block.
        #expect(LinkCRC.formatALength(l: 25) == 26 + 4)
        #expect(LinkCRC.formatALength(l: 26) == 27 + 6)
    }

    @Test func formatAIsStrippedAndVerified() throws {
        let frame = try WirelessFrame.parse(WirelessVectors.omsProfileA.bytes)
        #expect(frame.crcState == .formatA)
        #expect(frame.bytes.count == 0x2E + 1)
        #expect(frame.bytes == wirelessBytes("2e4493157856341233037a2a0020255923c95aaa26d1b2e7493b013ec4a6f6d3529b520edff0ea6defc99d6d69ebf3"))
    }

    @Test func formatBIsStrippedAndLRewritten() throws {
        let withCRC = try WirelessFrame.parse(WirelessVectors.omsFormatB.bytes)
        let without = try WirelessFrame.parse(WirelessVectors.omsFormatBWithoutCRC.bytes)
        #expect(withCRC.crcState == .formatB)
        #expect(without.crcState == .none)
        #expect(withCRC.bytes == without.bytes)
    }

    @Test func everyCorruptedFormatAByteIsACRCMismatch() {
        let raw = WirelessVectors.omsProfileB.bytes
        for index in 1..<raw.count {
            var bad = raw
            bad[index] ^= 0x01
            let code = wirelessErrorCode { () throws(DecodeError) in try WirelessFrame.parse(bad) }
            #expect(code == .crcMismatch, "flipped byte \(index)")
        }
    }

    @Test func addingAndStrippingRoundTrips() throws {
        var generator = SplitMix(seed: 7)
        for length in [11, 12, 25, 26, 27, 100, 126, 127, 128, 129, 200, 250, 252] {
            var frame = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            frame[0] = UInt8(length - 1)
            frame[10] = 0x78
            let a = WirelessEncoder.withLinkCRCs(frame, format: .formatA)
            #expect(try WirelessFrame.parse(a).bytes == frame, "format A, \(length) bytes")
            #expect(try WirelessFrame.parse(a).crcState == .formatA)
            let b = WirelessEncoder.withLinkCRCs(frame, format: .formatB)
            #expect(Int(b[0]) + 1 == b.count)
            #expect(try WirelessFrame.parse(b).bytes == frame, "format B, \(length) bytes")
            #expect(try WirelessFrame.parse(b).crcState == .formatB)
        }
    }
}

/// A small deterministic generator so that the random tests repeat exactly.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct SlicedCRCTests {
    @Test func slicedEqualsByteWise() {
        var generator = SplitMix(seed: 11)
        for length in 0..<70 {
            let bytes = (0..<(length + 3)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for start in 0..<3 {
                let range = start..<(start + length)
                #expect(CRC16.sliced(bytes, range) == CRC16.checksum(bytes, range), "length \(length) from \(start)")
            }
        }
    }
}
