import Testing
@testable import HTTPServer
@Test func problemRendersJSON() {
    let p = ProblemDetails(status: 400, detail: "a \"b\"", errors: [.init(pointer: "/x", detail: "bad")])
    #expect(String(decoding: p.jsonBytes(), as: UTF8.self) == #"{"type":"about:blank","title":"Bad Request","status":400,"detail":"a \"b\"","errors":[{"pointer":"/x","detail":"bad"}]}"#)
}
