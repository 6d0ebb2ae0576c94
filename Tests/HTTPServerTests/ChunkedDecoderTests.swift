import Testing
import TestSupport
@testable import HTTPServer

@Suite("Chunked body decoder", .blockingIO)
struct ChunkedDecoderTests {
    func decode(_ text: String, maxBody: Int = 1 << 20, split: Int? = nil) -> (ChunkedDecoder.Result, String) {
        var decoder = ChunkedDecoder(limits: HTTPLimits(), maxBody: maxBody)
        var body: [UInt8] = []
        let bytes = Array(text.utf8)
        var result = ChunkedDecoder.Result.needMore
        var offset = 0
        let step = split ?? bytes.count
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            result = bytes[offset..<end].withUnsafeBytes { decoder.decode($0, into: &body) }
            if case .done(let consumed) = result { return (.done(consumed: offset + consumed), String(decoding: body, as: UTF8.self)) }
            if case .failure = result { break }
            offset = end
        }
        return (result, String(decoding: body, as: UTF8.self))
    }

    @Test func decodesChunksAndExtensions() {
        let text = "4\r\nWiki\r\n6;name=value\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n\r\nNEXT"
        let (result, body) = decode(text)
        #expect(result == .done(consumed: text.utf8.count - 4))
        #expect(body == "Wikipedia in \r\n\r\nchunks.")
    }

    @Test func decodesByteByByte() {
        let (result, body) = decode("3\r\nabc\r\n1A\r\n" + String(repeating: "z", count: 26) + "\r\n0\r\nTrailer: x\r\n\r\n", split: 1)
        #expect(result != .needMore)
        #expect(body == "abc" + String(repeating: "z", count: 26))
    }

    @Test(arguments: [
        "x\r\nabc\r\n0\r\n\r\n",            // not hex
        "\r\nabc\r\n0\r\n\r\n",             // empty size
        "-3\r\nabc\r\n0\r\n\r\n",           // negative
        "3\nabc\r\n0\r\n\r\n",              // bare LF
        "3\r\nabcX\r\n0\r\n\r\n",           // data not followed by CRLF
        "3 4\r\nabc\r\n0\r\n\r\n",          // junk after size
        "FFFFFFFFFFFFFFFFFFFF\r\n",         // overflow
        "0\r\nBad\nTrailer\r\n\r\n",        // bare LF in trailers
    ])
    func refusesInvalidChunks(text: String) {
        guard case .failure(let error) = decode(text).0 else {
            Issue.record("accepted \(text.debugDescription)")
            return
        }
        #expect(error.status == 400)
    }

    @Test func enforcesBodyLimit() {
        guard case .failure(let error) = decode("8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", maxBody: 10).0 else {
            Issue.record("limit not enforced")
            return
        }
        #expect(error.status == 413)
    }

    @Test func enforcesChunkLineLimit() {
        guard case .failure(let error) = decode("1;" + String(repeating: "e", count: 2000) + "\r\n").0 else {
            Issue.record("long line accepted")
            return
        }
        #expect(error.status == 400)
    }
}
