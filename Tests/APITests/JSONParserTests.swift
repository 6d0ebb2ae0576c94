import Testing
@testable import API

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    func error(_ text: String) -> JSONParseError? {
        do { _ = try JSONParser.parse(Array(text.utf8)); return nil } catch { return error }
    }

    @Test func parsesEveryKind() throws {
        let value = try parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "d\n\u00e9\ud83d\ude00"}} "#)
        #expect(value == .object([
            JSONMember(key: "a", value: .array([.int(1), .int(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null])),
            JSONMember(key: "b", value: .object([JSONMember(key: "c", value: .string("d\né😀"))])),
        ]))
    }

    @Test func keepsInt64Exact() throws {
        #expect(try parse("9223372036854775807") == .int(Int.max))
        #expect(try parse("-9223372036854775808") == .int(Int.min))
        #expect(try parse("9223372036854775808") == .double(9223372036854775808))
        #expect(try parse("0.1") == .double(0.1))
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        ("[1,]", 3, "unexpected character"),
        ("{\"a\":1,\"a\":2}", 7, "duplicate key \"a\""),
        ("[1] x", 4, "unexpected data after the document"),
        ("01", 0, "leading zero in number"),
        ("1e400", 0, "number out of range"),
        ("\"\\ud800\"", 1, "lone surrogate in \\u escape"),
        ("\"\\udc00x\"", 1, "lone surrogate in \\u escape"),
        ("\"a\u{01}\"", 2, "unescaped control character in string"),
        ("NaN", 0, "unexpected character"),
        ("{'a':1}", 1, "expected a string key"),
        ("\"abc", 0, "unterminated string"),
        ("[1 2]", 3, "expected ',' or ']'"),
    ])
    func rejects(_ text: String, offset: Int, message: String) {
        #expect(error(text) == JSONParseError(offset: offset, message: message))
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")]
        #expect(throws: JSONParseError(offset: 0, message: "invalid UTF-8 in string")) { try JSONParser.parse(bytes) }
        let overlong: [UInt8] = [UInt8(ascii: "\""), 0xC0, 0xAF, UInt8(ascii: "\"")]
        #expect(throws: JSONParseError.self) { try JSONParser.parse(overlong) }
    }

    @Test func limitsDepth() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(error(deep)?.message == "nesting deeper than 64")
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(ok)
    }

    @Test func detectsDuplicatesInLargeObjects() {
        let members = (0..<40).map { "\"k\($0)\":\($0)" } + ["\"k17\":0"]
        #expect(error("{" + members.joined(separator: ",") + "}")?.message == "duplicate key \"k17\"")
    }

    @Test func hugeNumbersOfDigitsStayFinite() throws {
        let digits = String(repeating: "9", count: 300)
        #expect(try parse(digits) == .double(Double(digits)!))
        #expect(error("-" + digits + "e400")?.message == "number out of range")
    }
}
