import Crypto
import Testing
@testable import MBus

/// Streams made by Python's zlib (raw DEFLATE, wbits -15) when these tests were written.
struct InflateTests {
    /// zlib level 9 of "Fjern key files": one fixed-Huffman block.
    @Test func fixedHuffmanBlock() throws {
        let out = try Inflate.decompress(try Hex.decode("73cb4a2dca53c84ead5448cbcc492d0600")[...], maxOutput: 100)
        #expect(String(decoding: out, as: UTF8.self) == "Fjern key files")
    }

    /// zlib level 0 of "stored!": one stored block.
    @Test func storedBlock() throws {
        let out = try Inflate.decompress(try Hex.decode("010700f8ff73746f72656421")[...], maxOutput: 100)
        #expect(String(decoding: out, as: UTF8.self) == "stored!")
    }

    /// 40 KEM-like lines (3,520 bytes) at level 9: a dynamic-Huffman block with back references.
    @Test func dynamicHuffmanBlock() throws {
        let out = try Inflate.decompress(try Hex.decode(Self.dynamic)[...], maxOutput: 1 << 20)
        var expected = ""
        for i in 0..<40 {
            let serial = String(76_340_000 + i)
            let key = String(i * 7919, radix: 16, uppercase: true)
            expected += "<Meter><SerialNo>\(serial)</SerialNo><DEK>\(String(repeating: "0", count: 32 - key.count) + key)</DEK></Meter>\n"
        }
        #expect(out.count == 3520)
        #expect(String(decoding: out, as: UTF8.self) == expected)
        #expect(CRC32.checksum(out) == 1_396_929_457)
    }

    @Test func outputCapStopsABomb() throws {
        #expect(throws: Inflate.Failure.outputTooLarge(limit: 1000)) {
            try Inflate.decompress(try Hex.decode(Self.dynamic)[...], maxOutput: 1000)
        }
    }

    @Test func truncatedStreamFails() throws {
        let stream = try Hex.decode(Self.dynamic)
        #expect(throws: Inflate.Failure.truncated) { try Inflate.decompress(stream.prefix(stream.count / 2), maxOutput: 1 << 20) }
    }

    @Test func corruptStreamsFail() throws {
        // Block type 3 is reserved.
        #expect(throws: Inflate.Failure.invalidBlockType) { try Inflate.decompress([0x07][...], maxOutput: 10) }
        // A stored block whose length and complement disagree.
        #expect(throws: Inflate.Failure.storedLengthMismatch) {
            try Inflate.decompress([0x01, 0x07, 0x00, 0x00, 0x00][...], maxOutput: 10)
        }
        // A fixed block starting with a back reference: nothing to refer to.
        #expect(throws: Inflate.Failure.distanceTooFar) { try Inflate.decompress([0x03, 0x02][...], maxOutput: 10) }
    }

    @Test func crc32OfKnownText() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    static let dynamic = "9596bb4a04411045737f66a61efd8266a11f338968e217184c2008c2e2ffb3ce0a0682786f854d73a08273a8fa747c1ed74b7d39ae6fafefcf1f9714cdd7afa9cbcf539ddbe365fd67ea72feaacb37efa1fec115862bdbb6835c65b836e706728de1863126c875869b7a1f203730dcd25a07b991e1f6521ac84d0c77e65c406e66b87b4a19e416822b1263c2b8c2f826164204b98c6f12dc03c8657c9364e62097f14d8aaa815cc637e972ee077119df64defb077119dfce4c82fd15c6375de704fb2b8c6faa6380fd15c637f5dec1fe2ae39bc6d6c0fe2ae39be652c0fe2ae39bb69cc1fe2ae39b8e94c0fe2ae39b6e3182fd55c6375b4300fbab8c6fa6ee607f95f1cddc0cecaf32be595405fbab8c6f9645c0fe1ae39bb5fb3d077119dfac6f3bd85f637c3bcf49b0bfc6f866fb18607f8df1cda577b0bfc6f8e6d61ad85f637cf3500ad85f637cf39433d85f637cf39212d85f637cf31ee3effede00"
}
