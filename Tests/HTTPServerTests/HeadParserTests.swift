import Testing
import TestSupport
@testable import HTTPServer

/// The head parser as a plain value: given bytes, what does it decide?
@Suite("HTTP head parser", .blockingIO)
struct HeadParserTests {
    func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) -> (HTTPHeadParser.Result, HTTPRequestHead?) {
        parse(Array(text.utf8), limits: limits)
    }

    func parse(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> (HTTPHeadParser.Result, HTTPRequestHead?) {
        var parser = HTTPHeadParser(limits: limits)
        let result = bytes.withUnsafeBytes { parser.parse($0) }
        return (result, parser.head)
    }

    func status(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
        if case .failure(let error) = parse(text, limits: limits).0 { return error.status }
        return nil
    }

    @Test func simpleGet() {
        let text = "GET /v1/info?x=1&y=%20 HTTP/1.1\r\nHost: a\r\nX-A:  b c \r\n\r\n"
        let (result, head) = parse(text)
        #expect(result == .complete(consumed: text.utf8.count))
        #expect(head?.method == .get)
        #expect(head?.path == "/v1/info")
        #expect(head?.query == "x=1&y=%20")
        #expect(head?.headers["x-a"] == "b c")
        #expect(head?.keepAlive == true)
        #expect(head?.hasBody == false)
    }

    @Test func incrementalByteByByte() {
        let bytes = Array("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc".utf8)
        var parser = HTTPHeadParser(limits: HTTPLimits())
        var result = HTTPHeadParser.Result.needMore
        for end in 1...bytes.count {
            result = bytes[0..<end].withUnsafeBytes { parser.parse($0) }
            if result != .needMore { break }
        }
        #expect(result == .complete(consumed: bytes.count - 3))
        #expect(parser.head?.contentLength == 3)
    }

    @Test func leadingEmptyLinesAreSkipped() {
        let (result, head) = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(result == .complete(consumed: 31))
        #expect(head?.path == "/")
    }

    @Test func absoluteFormTarget() {
        let (_, head) = parse("GET http://example.com:8080/x/y?q HTTP/1.1\r\nHost: example.com\r\n\r\n")
        #expect(head?.path == "/x/y")
        #expect(head?.query == "q")
    }

    @Test func http10DefaultsToClose() {
        #expect(parse("GET / HTTP/1.0\r\n\r\n").1?.keepAlive == false)
        #expect(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").1?.keepAlive == true)
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").1?.keepAlive == false)
    }

    @Test func chunkedAndExpect() {
        let head = parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n").1
        #expect(head?.isChunked == true)
        #expect(head?.expectContinue == true)
        #expect(head?.hasBody == true)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\nHost: a\n\n", 400),                               // bare LF
        ("GET / HTTP/1.1\r\nHost: a\n\r\n", 400),                           // bare LF in fields
        ("GET / HTTP/1.1\r\nHost: a\rX\r\n\r\n", 400),                      // bare CR
        ("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400),                        // double space
        ("GET\r\nHost: a\r\n\r\n", 400),                                    // no target
        ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),                         // bad method token
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),                         // other version
        ("GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400),                         // garbage version
        ("GET nopath HTTP/1.1\r\nHost: a\r\n\r\n", 400),                    // not origin-form
        ("GET / HTTP/1.1\r\n\r\n", 400),                                    // missing Host
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),              // two Hosts
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),                        // space before colon
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),              // obs-fold
        ("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 501),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", 417),
    ])
    func refusesMalformedHeads(text: String, expected: Int) {
        #expect(status(text) == expected)
    }

    @Test func refusesNULAndNonASCII() {
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nX: caf\u{E9}\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nN\u{E4}me: x\r\n\r\n") == 400)
        #expect(status("GET /caf\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(status("GET /\u{0} HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        let raw: [UInt8] = Array("GET / HTTP/1.1\r\nHost: a\r\nX: ".utf8) + [0xFF, 0xFE] + Array("\r\n\r\n".utf8)
        if case .failure(let error) = parse(raw).0 { #expect(error.status == 400) } else { Issue.record("accepted 0xFF") }
    }

    @Test func requestLineLimit() {
        var limits = HTTPLimits()
        limits.maxRequestLine = 100
        let long = "GET /" + String(repeating: "a", count: 200) + " HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(status(long, limits: limits) == 414)
        // Also refused before the line is complete, so nobody can stream an endless line.
        #expect(status("GET /" + String(repeating: "a", count: 200), limits: limits) == 414)
    }

    @Test func headerLimits() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 200
        limits.maxHeaderCount = 5
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 300) + "\r\n\r\n"
        #expect(status(big, limits: limits) == 431)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 300), limits: limits) == 431)
        let many = "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<5).map { "X\($0): v\r\n" }.joined() + "\r\n"
        #expect(status(many, limits: limits) == 431)
        let fine = "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<4).map { "X\($0): v\r\n" }.joined() + "\r\n"
        #expect(status(fine, limits: limits) == nil)
    }

    @Test func needsMoreUntilEmptyLine() {
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\n").0 == .needMore)
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\n\r").0 == .needMore)
    }
}
