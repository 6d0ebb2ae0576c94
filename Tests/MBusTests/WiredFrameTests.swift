import Crypto
import Testing
@testable import MBus

private func bytes(_ text: String) throws -> [UInt8] {
    try Hex.decode(text.filter { !$0.isWhitespace })
}

struct WiredFrameTests {
    // rscada/libmbus test/test-frames/ACW_Itron-BM-plus-m.hex
    static let itron = "68 3C 3C 68 08 08 72 78 03 49 11 77 04 0E 16 0A 00 00 00 0C 78 78 03 49 11 04 13 31 D4 00 00 42 6C 00 00 44 13 00 00 00 00 04 6D 0B 0B CD 13 02 27 00 00 09 FD 0E 02 09 FD 0F 06 0F 00 01 75 13 D3 16"

    @Test func parsesALongFrameFromLibmbus() throws {
        let frame = try bytes(Self.itron)
        let (parsed, length) = try WiredFrame.parse(frame)
        #expect(length == frame.count)
        guard case .long(let c, let a, let ci, let data) = parsed else {
            Issue.record("not a long frame: \(parsed)")
            return
        }
        #expect(c == 0x08 && a == 0x08 && ci == 0x72)
        #expect(data.count == 0x3C - 3)
        #expect(parsed.encoded == frame)
    }

    // Master frames as libmbus sends them (mbus-protocol.c pack functions; PROTOCOLS §4.1-4.2).
    @Test func masterFrameBytes() throws {
        #expect(WiredFrame.sndNKE(address: 1).encoded == [0x10, 0x40, 0x01, 0x41, 0x16])
        #expect(WiredFrame.reqUD2(address: 1, fcb: true).encoded == [0x10, 0x7B, 0x01, 0x7C, 0x16])
        #expect(WiredFrame.reqUD2(address: 1).encoded == [0x10, 0x5B, 0x01, 0x5C, 0x16])
        #expect(WiredFrame.reqUD1(address: 0xFE).encoded == [0x10, 0x5A, 0xFE, 0x58, 0x16])
        // libmbus test/unsupported-frames/manual_frame4.hex: set primary address of 0xFE to 8.
        #expect(WiredFrame.setPrimaryAddress(current: 0xFE, new: 8).encoded == (try bytes("68 06 06 68 53 FE 51 01 7A 08 25 16")))
        // libmbus test/unsupported-frames/manual_frame1.hex (whose first byte is damaged there): reset, sub-code 0x10.
        #expect(WiredFrame.applicationReset(address: 0xFE, subcode: 0x10).encoded == (try bytes("68 04 04 68 53 FE 50 10 B1 16")))
        #expect(WiredFrame.applicationReset(address: 5).encoded == [0x68, 0x03, 0x03, 0x68, 0x53, 0x05, 0x50, 0xA8, 0x16])
    }

    // PROTOCOLS §4.2: SND_UD C=0x73 to 0xFD, CI 0x52, ID BCD LE with F wildcards, M, version, medium.
    @Test func selectSecondary() throws {
        let expected = try bytes("68 0B 0B 68 73 FD 52 78 56 34 12 FF FF FF FF D2 16")
        #expect(WiredFrame.selectSecondary(id: 0x12345678).encoded == expected)
        #expect(WiredFrame.selectSecondary(id: "12345678")?.encoded == expected)
        let kam = WiredFrame.selectSecondary(id: "1234ffff", manufacturer: 0x2C2D, version: 0x34, medium: 0x04)
        guard case .long(_, _, _, let data)? = kam else {
            Issue.record("no frame")
            return
        }
        #expect(data == [0xFF, 0xFF, 0x34, 0x12, 0x2D, 0x2C, 0x34, 0x04])
        #expect(WiredFrame.selectSecondary(id: "1234567") == nil)
        #expect(WiredFrame.selectSecondary(id: "1234567A") == nil)
    }

    @Test(arguments: [
        WiredFrame.ack,
        .short(control: 0x40, address: 0xFD),
        .control(control: 0x08, address: 3, ci: 0x70),
        .long(control: 0x08, address: 250, ci: 0x72, data: Array(0..<252)),
        .long(control: 0x53, address: 0, ci: 0x51, data: [0x01, 0x7A, 0x05]),
    ])
    func roundTrip(frame: WiredFrame) throws {
        let encoded = frame.encoded
        let (parsed, length) = try WiredFrame.parse(encoded + [0xE5, 0x10])
        #expect(parsed == frame)
        #expect(length == encoded.count)
        #expect(try WiredFrame.bytesNeeded(encoded) == 0)
    }

    @Test func bytesNeededCountsUpToTheFrame() throws {
        let frame = try bytes(Self.itron)
        var count = 1
        while count < frame.count {
            let needed = try WiredFrame.bytesNeeded(frame[0..<count])
            #expect(needed > 0)
            #expect(count + needed <= frame.count)
            count += needed
        }
        #expect(count == frame.count)
        #expect(try WiredFrame.bytesNeeded([]) == 1)
        #expect(try WiredFrame.bytesNeeded([0x10, 0x40]) == 3)
        #expect(try WiredFrame.bytesNeeded([0xE5]) == 0)
        #expect(throws: DecodeError.self) { try WiredFrame.bytesNeeded([0x68, 0x05, 0x06]) }
        #expect(throws: DecodeError.self) { try WiredFrame.bytesNeeded([0x68, 0x05, 0x05, 0x67]) }
        #expect(throws: DecodeError.self) { try WiredFrame.bytesNeeded([0x00]) }
    }

    @Test func structuredErrors() throws {
        var frame = try bytes(Self.itron)
        func code(_ input: [UInt8]) -> DecodeError.Code? {
            do {
                _ = try WiredFrame.parse(input)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code([]) == .truncated)
        #expect(code(Array(frame.dropLast())) == .truncated)
        #expect(code([0x10, 0x40, 0x01, 0x42, 0x16]) == .checksumMismatch)
        #expect(code([0x10, 0x40, 0x01, 0x41, 0x17]) == .invalidFrame)
        #expect(code([0x42]) == .invalidFrame)
        // libmbus test/unsupported-frames/invalid_length.hex: L = 0.
        #expect(code(try bytes("68 00 00 68 08 16")) == .invalidFrame)
        frame[20] ^= 0x01
        #expect(code(frame) == .checksumMismatch)
        frame[20] ^= 0x01
        frame[frame.count - 1] = 0x00
        #expect(code(frame) == .invalidFrame)
        frame[frame.count - 1] = 0x16
        frame[2] = 0x3D
        #expect(code(frame) == .invalidFrame)
        frame[2] = 0x3C
        frame[3] = 0x69
        #expect(code(frame) == .invalidFrame)
    }

    // A fuzz-style sweep: every truncation and single-byte corruption of a real frame is either
    // a frame or a structured error, never a trap.
    @Test func corruptionsNeverTrap() throws {
        let frame = try bytes(Self.itron)
        for cut in 0...frame.count { _ = try? WiredFrame.parse(Array(frame[0..<cut])) }
        for i in frame.indices {
            for value: UInt8 in [0x00, 0x03, 0x10, 0x16, 0x68, 0xE5, 0xFF] {
                var copy = frame
                copy[i] = value
                _ = try? WiredFrame.parse(copy)
                _ = try? WiredFrame.bytesNeeded(copy)
            }
        }
    }
}
