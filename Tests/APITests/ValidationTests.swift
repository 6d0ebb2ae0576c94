import Testing
import HTTPServer
@testable import API

/// Request validation through the fixture API: one 400 listing every invalid part.
@Suite struct ValidationTests {
    let responder = APIResponder(handler: FixtureHandler())

    func send(_ method: HTTPMethod, _ path: String, query: String? = nil, headers: HTTPHeaders = [:],
              body: String? = nil) async throws -> HTTPResponse {
        try await responder.respond(to: HTTPRequest(method: method, path: path, query: query, headers: headers,
                                                    body: body.map { Array($0.utf8) } ?? []))
    }

    @Test func decodesEveryParameterKind() async throws {
        let response = try await send(.get, "/meters",
                                      query: "limit=10&status=stock&status=removed&installedAfter=2025-01-31T13:00:00%2B01:00&day=2025-01-31&ratio=0.5&verbose=true",
                                      headers: ["x-tenant": "acme"])
        #expect(response.status == 200)
        #expect(response.headers["X-Total-Count"] == "1")
        #expect(response.route == "/meters")
        #expect(response.text.contains(#""nextCursor":"Optional(10)|Optional([\"stock\", \"removed\"])|Optional(\"2025-01-31T12:00:00.000Z\")|Optional(2025-01-31)|Optional(0.5)|Optional(true)|acme""#))
    }

    @Test func reportsEveryParameterErrorAtOnce() async throws {
        let response = try await send(.get, "/meters",
                                      query: "limit=0&status=lost&installedAfter=yesterday&day=2025-02-30&ratio=0&verbose=yes&limit2=1&status=a&status=b&status=c",
                                      headers: ["X-Tenant": "a"])
        #expect(response.status == 400)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(response.route == "/meters")
        let pointers = try errors(response)
        #expect(pointers == [
            "#/query/limit2: is not a known query parameter",
            "#/query/limit: must be at least 1",
            "#/query/status: must have at most 3 items",
            "#/query/status: must be one of: stock, installed, removed",
            "#/query/status: must be one of: stock, installed, removed",
            "#/query/status: must be one of: stock, installed, removed",
            "#/query/status: must be one of: stock, installed, removed",
            "#/query/installedAfter: must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z",
            "#/query/day: must be a date such as 2025-02-31".replacingFirst("2025-02-31", "2025-01-31"),
            "#/query/ratio: must be greater than 0.0",
            "#/query/verbose: must be true or false",
            "#/header/X-Tenant: must be at least 2 characters long",
        ])
    }

    @Test func missingRequiredHeaderAndRepeatedScalar() async throws {
        let response = try await send(.get, "/meters", query: "limit=1&limit=2")
        #expect(try errors(response) == ["#/query/limit: must not be repeated", "#/header/X-Tenant: is required"])
    }

    @Test func bodyErrorsUseJSONPointers() async throws {
        let body = #"{"serial":"","medium":"gas","tags":["a",1],"telegrams":[{"hex":"00"},{"hex":"1"},{"hx":"2"}],"extra":true}"#
        let response = try await send(.post, "/meters", headers: ["Content-Type": "application/json"], body: body)
        #expect(response.status == 400)
        #expect(try errors(response) == [
            "/extra: is not a known property",
            "/serial: must be at least 1 character long",
            "/medium: must be one of: heat, cooling, water, electricity, hot-water",
            "/tags/1: must be a string, not number",
            "/telegrams/1/hex: must be at least 2 characters long",
            "/telegrams/2/hx: is not a known property",
            "/telegrams/2/hex: is required",
        ])
    }

    @Test func validBodyReachesHandler() async throws {
        let response = try await send(.post, "/meters", headers: ["Content-Type": "application/json; charset=utf-8", "Idempotency-Key": "k"],
                                      body: #"{"serial":"S9","medium":"water","telegrams":[{"hex":"0011"}]}"#)
        #expect(response.status == 201)
        #expect(response.headers["Location"] == "/meters/e621e1f8-c36c-495a-93fc-0c247a3e6e5f")
        #expect(response.headers["ETag"] == nil)
        #expect(response.text == #"{"id":"e621e1f8-c36c-495a-93fc-0c247a3e6e5f","serial":"S9","medium":"water","installedAt":"2023-11-14T22:13:20.000Z","tags":["x"],"location":null,"registers":[{"name":"E1","value":5,"default":true}]}"#)
    }

    @Test func malformedJSONAndMissingBody() async throws {
        let malformed = try await send(.post, "/meters", headers: ["Content-Type": "application/json"], body: #"{"serial":"#)
        #expect(try errors(malformed) == [": invalid JSON at byte 10: unexpected end of input"])
        let missing = try await send(.post, "/meters")
        #expect(try errors(missing) == [": a request body is required"])
        let notObject = try await send(.post, "/meters", headers: ["Content-Type": "application/json"], body: "[]")
        #expect(try errors(notObject) == [": must be an object, not array"])
    }

    @Test func wrongContentTypeIs415() async throws {
        let response = try await send(.post, "/meters", headers: ["Content-Type": "text/plain"], body: "{}")
        #expect(response.status == 415)
        let csv = try await send(.post, "/imports", headers: ["Content-Type": "application/json"], body: "{}")
        #expect(csv.status == 415)
    }

    @Test func rawBodiesPassThrough() async throws {
        let response = try await send(.post, "/imports", headers: ["Content-Type": "text/csv"], body: "a,b\n1,2\n")
        #expect(response.status == 202)
        #expect(response.headers["Content-Type"] == "text/plain")
        #expect(response.text == "8 bytes")
        let export = try await send(.get, "/export.csv")
        #expect(export.headers["Content-Type"] == "text/csv")
        #expect(export.text == "a,b\n1,2\n")
    }

    @Test func streamedBodiesReachTheServerAsStreams() async throws {
        let response = try await send(.get, "/ticks")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/event-stream")
        #expect(response.body.isEmpty)
        let stream = try #require(response.stream)
        var text = ""
        while let chunk = await stream.next() { text += String(decoding: chunk, as: UTF8.self) }
        #expect(text == "data: 1\n\ndata: 2\n\n")
    }

    @Test func pathParametersAreDecodedAndValidated() async throws {
        let bad = try await send(.get, "/meters/not-a-uuid")
        #expect(try errors(bad) == ["#/path/id: must be a UUID"])
        let reading = try await send(.get, "/meters/a%2Fb%20c/readings/3")
        #expect(reading.text == #"{"seq":3,"values":{"id:a/b c":1.5}}"#)
        #expect(reading.route == "/meters/{id}/readings/{seq}")
        let negative = try await send(.get, "/meters/x/readings/-1")
        #expect(try errors(negative) == ["#/path/seq: must be at least 0"])
        let badEscape = try await send(.get, "/meters/%ZZ/readings/1")
        #expect(try errors(badEscape) == ["#/path/id: is not valid percent-encoded UTF-8"])
    }

    @Test func headersAndNoContent() async throws {
        let uuid = "e621e1f8-c36c-495a-93fc-0c247a3e6e5f"
        let ok = try await send(.delete, "/meters/\(uuid)", headers: ["If-Match": "\"1\""])
        #expect(ok.status == 204 && ok.body.isEmpty)
        let stale = try await send(.delete, "/meters/\(uuid)", headers: ["If-Match": "\"2\""])
        #expect(stale.status == 412)
        #expect(stale.headers["Content-Type"] == "application/problem+json")
        let missing = try await send(.delete, "/meters/\(uuid)")
        #expect(try errors(missing) == ["#/header/If-Match: is required"])
    }

    /// "pointer: detail" for each error in a 400 problem body.
    func errors(_ response: HTTPResponse) throws -> [String] {
        #expect(response.status == 400)
        guard case .array(let items)? = try JSONParser.parse(response.body)["errors"] else { return [] }
        return items.map { item in
            guard case .string(let pointer)? = item["pointer"], case .string(let detail)? = item["detail"] else { return "?" }
            return pointer + ": " + detail
        }
    }
}

extension String {
    func replacingFirst(_ target: String, _ replacement: String) -> String { replacing(target, with: replacement, maxReplacements: 1) }
}

@Suite struct PatternValidationTests {
    @Test func patternsAreSearchedAndAnchorsRespected() {
        var errors: [FieldError] = []
        #expect(TextDecode.string("c1z", at: "#/query/cursor", &errors, pattern: "^c[0-9a-z]{1,13}$") == "c1z")
        #expect(TextDecode.string("xc1z", at: "#/query/cursor", &errors, pattern: "^c[0-9a-z]{1,13}$") == nil)
        #expect(errors.map(\.pointer) == ["#/query/cursor"])
        // Unanchored patterns match anywhere, as JSON Schema says.
        #expect(TextDecode.string("abc-123", at: "#/query/q", &errors, pattern: #"\d+"#) == "abc-123")
        #expect(JSONDecode.string(.string("ann@example.com"), at: "/email", &errors,
                                  pattern: #"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s.]+$"#) == "ann@example.com")
        #expect(JSONDecode.string(.string("ann@example"), at: "/email", &errors,
                                  pattern: #"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s.]+$"#) == nil)
    }

    /// Schemathesis found this: "@" followed by an emoji modifier is one grapheme cluster, so a
    /// grapheme-stepping regex saw no "@" at all. JSON Schema patterns step through code points.
    @Test func patternsStepThroughCodePointsNotGraphemeClusters() {
        var errors: [FieldError] = []
        let email = "\u{F2}@\u{1F3FB}\u{69164}\u{DE}.\u{2693E}"
        #expect(JSONDecode.string(.string(email), at: "/email", &errors,
                                  pattern: #"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s.]+$"#) == email)
        // A combining accent after the dot is its own code point, so "[^@\s.]+" still sees the dot.
        #expect(JSONDecode.string(.string("a@b.\u{301}c"), at: "/email", &errors,
                                  pattern: #"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s.]+$"#) == "a@b.\u{301}c")
        #expect(errors.isEmpty)
    }

    /// Schemathesis found this too: ECMA-262's `\s` does not include U+0085, Swift's does.
    @Test func classesFollowECMA262() {
        var errors: [FieldError] = []
        let email = "0@6\u{D5325}o.\u{85}"
        #expect(JSONDecode.string(.string(email), at: "/email", &errors,
                                  pattern: #"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s.]+$"#) == email)
        #expect(errors.isEmpty)
        #expect(SchemaPattern.matches("a\u{A0}b", #"^a\sb$"#))        // NBSP is ECMA whitespace
        #expect(!SchemaPattern.matches("\u{0663}", #"^\d$"#))         // Arabic-Indic three is no ECMA digit
        #expect(SchemaPattern.matches("x_9", #"^\w+$"#) && !SchemaPattern.matches("é", #"^\w$"#))
        #expect(SchemaPattern.matches("a.b", #"^a\.b$"#) && !SchemaPattern.matches("axb", #"^a\.b$"#))
        #expect(SchemaPattern.ecma(#"[^@\s.]\d\\s"#) == #"[^@\t\n\u{0B}\f\r \u{A0}\u{1680}\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}\u{2007}\u{2008}\u{2009}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}.][0-9]\\s"#)
    }
}
