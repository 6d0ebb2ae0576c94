import Testing
import FoundationEssentials
import HTTPServer
@testable import API

@Suite struct JSONWriterTests {
    func text(_ value: some JSONWritable) -> String { String(decoding: value.jsonBytes(), as: UTF8.self) }

    @Test func writesScalars() {
        #expect(text(Int.min) == "-9223372036854775808")
        #expect(text(Int.max) == "9223372036854775807")
        #expect(text(0) == "0")
        #expect(text(0.1) == "0.1")
        #expect(text(1e-7) == "1e-07")
        #expect(text(5.0) == "5.0")
        #expect(text(Double.nan) == "null")
        #expect(text("a\"\\\n\u{1}é") == #""a\"\\\n\u0001é""#)
        #expect(text([true, false]) == "[true,false]")
        #expect(text(["b": 1, "a": 2]) == #"{"a":2,"b":1}"#)
        #expect(text(Optional<Int>.none) == "null")
    }

    @Test(arguments: [0.1, 1.0 / 3, 123456789.123, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, -2.5e-10])
    func doublesRoundTrip(_ value: Double) throws {
        #expect(try JSONParser.parse(value.jsonBytes()) == .double(value))
    }

    @Test func jsonValueRoundTrips() throws {
        let text = #"{"a":[1,-2,3.5,true,false,null],"b":{"c":"d\n😀"},"e":""}"#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(String(decoding: value.jsonBytes(), as: UTF8.self) == text)
    }

    @Test func writesDatesInUTCWithMilliseconds() {
        #expect(text(Date(timeIntervalSince1970: 0)) == #""1970-01-01T00:00:00.000Z""#)
        #expect(text(Date(timeIntervalSince1970: 1_700_000_000.1239)) == #""2023-11-14T22:13:20.124Z""#)
        #expect(text(Date(timeIntervalSince1970: -0.5)) == #""1969-12-31T23:59:59.500Z""#)
        #expect(text(CalendarDate(year: 2024, month: 2, day: 29)!) == #""2024-02-29""#)
    }

    @Test func writesLowercaseUUIDs() {
        let uuid = UUID.parseCanonical("E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!
        #expect(text(uuid) == #""e621e1f8-c36c-495a-93fc-0c247a3e6e5f""#)
    }
}

@Suite struct FormatTests {
    @Test(arguments: [
        ("2025-01-31T12:00:00Z", 1_738_324_800.0),
        ("2025-01-31t12:00:00z", 1_738_324_800.0),
        ("2025-01-31T13:30:00+01:30", 1_738_324_800.0),
        ("2025-01-31T07:00:00-05:00", 1_738_324_800.0),
        ("2025-01-31T12:00:00.250Z", 1_738_324_800.25),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("1969-12-31T23:59:59Z", -1.0),
    ])
    func parsesDateTimes(_ text: String, _ seconds: Double) {
        #expect(RFC3339.parseDateTime(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["2025-01-31", "2025-01-31T12:00:00", "2025-02-29T00:00:00Z", "2025-01-31T24:00:00Z",
                      "2025-01-31T12:00:00.Z", "2025-01-31T12:00:00+0100", "2025-01-31 12:00:00Z", "x"])
    func rejectsBadDateTimes(_ text: String) {
        #expect(RFC3339.parseDateTime(text) == nil)
    }

    @Test func parsesDatesAndUUIDs() {
        #expect(CalendarDate("2024-02-29") == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2023-2-01") == nil)
        #expect(UUID.parseCanonical("e621e1f8-c36c-495a-93fc-0c247a3e6e5f") != nil)
        #expect(UUID.parseCanonical("e621e1f8c36c495a93fc0c247a3e6e5f") == nil)
        #expect(UUID.parseCanonical("g621e1f8-c36c-495a-93fc-0c247a3e6e5f") == nil)
    }

    @Test func decodesPercentEncoding() {
        #expect(PercentDecoding.decode("a%20b+c", plusAsSpace: true) == "a b c")
        #expect(PercentDecoding.decode("a%20b+c", plusAsSpace: false) == "a b+c")
        #expect(PercentDecoding.decode("%C3%A9", plusAsSpace: false) == "é")
        #expect(PercentDecoding.decode("%C3", plusAsSpace: false) == nil)
        #expect(PercentDecoding.decode("%2", plusAsSpace: false) == nil)
        #expect(PercentDecoding.decode("%zz", plusAsSpace: false) == nil)
    }

    @Test func parsesQueries() {
        var errors: [FieldError] = []
        let query = QueryParameters("a=1&b=x+y&a=2&&c&d=%E2%82%AC", &errors)
        #expect(errors.isEmpty)
        #expect(query.values("a") == ["1", "2"])
        #expect(query.single("b", required: true, &errors) == "x y")
        #expect(query.single("c", required: true, &errors) == "")
        #expect(query.single("d", required: false, &errors) == "€")
        #expect(query.single("a", required: false, &errors) == nil)
        #expect(errors == [FieldError(pointer: "#/query/a", detail: "must not be repeated")])
        var more: [FieldError] = []
        _ = QueryParameters("x=%FF", &more)
        #expect(more == [FieldError(pointer: "#/query/x", detail: "is not valid percent-encoded UTF-8")])
    }
}
