import Testing
@testable import HTTPServer
@Test func problemRendersJSON() {
    let p = ProblemDetails(status: 400, detail: "a \"b\"", errors: [.init(pointer: "/x", detail: "bad")])
    #expect(String(decoding: p.jsonBytes(), as: UTF8.self) == #"{"type":"about:blank","title":"Bad Request","status":400,"detail":"a \"b\"","errors":[{"pointer":"/x","detail":"bad"}]}"#)
}

@Test func jsonStringEscaping() {
    var out: [UInt8] = []
    appendJSONString("plain \"quoted\" back\\slash\n\r\t\u{1}\u{7F} caf\u{E9} \u{1F600}", to: &out)
    #expect(String(decoding: out, as: UTF8.self) == #""plain \"quoted\" back\\slash\n\r\t\u0001\u007f caf\#u{E9} \#u{1F600}""#)
    out = []
    appendJSONString("", to: &out)
    #expect(out == Array(#""""#.utf8))
}

@Test func headerNamesCompareCaseInsensitively() {
    #expect("Content-Length".asciiCaseInsensitiveEquals("content-length"))
    #expect("X-REQUEST-ID".asciiCaseInsensitiveEquals("x-request-id"))
    #expect(!"Content-Type".asciiCaseInsensitiveEquals("Content-Length"))
    #expect(!"Host".asciiCaseInsensitiveEquals("Hos"))
    // Only letters fold: '@' (0x40) and '`' (0x60) differ by the same bit and must not match.
    #expect(!"a@b".asciiCaseInsensitiveEquals("a`b"))
    #expect("".asciiCaseInsensitiveEquals(""))
}
