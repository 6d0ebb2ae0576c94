import Testing
@testable import OpenAPIGenerator

@Suite struct AccessorTests {
    private func plain(_ text: String) -> YAMLNode { .scalar(text, .plain, YAMLMark(1, 1)) }
    private func quoted(_ text: String) -> YAMLNode { .scalar(text, .doubleQuoted, YAMLMark(1, 1)) }

    @Test func nulls() {
        for text in ["", "~", "null", "Null", "NULL"] { #expect(plain(text).isNull, "\(text)") }
        for text in ["nUll", "none", "0", "false"] { #expect(!plain(text).isNull, "\(text)") }
        #expect(!quoted("null").isNull)
        #expect(!YAMLNode.sequence([], YAMLMark(1, 1)).isNull)
        #expect(parsed("a:\nb: ~")["a"]?.isNull == true)
    }

    @Test func bools() {
        for text in ["true", "True", "TRUE"] { #expect(plain(text).bool == true) }
        for text in ["false", "False", "FALSE"] { #expect(plain(text).bool == false) }
        for text in ["yes", "on", "tRUE", "1", ""] { #expect(plain(text).bool == nil, "\(text)") }
        #expect(quoted("true").bool == nil)
    }

    @Test func ints() {
        let cases: [(String, Int?)] = [
            ("0", 0), ("42", 42), ("-17", -17), ("+3", 3), ("007", 7), ("0x1F", 31), ("0xff", 255), ("0o17", 15),
            ("9223372036854775807", Int.max), ("9223372036854775808", nil), ("-9223372036854775808", Int.min),
            ("1_000", nil), ("1.0", nil), ("0x", nil), ("0o8", nil), ("-0x1", nil), ("0b1", nil), ("", nil),
            ("+", nil), (" 1", nil), ("١٢", nil), ("1e3", nil),
        ]
        for (text, expected) in cases { #expect(plain(text).int == expected, "\(text)") }
        #expect(quoted("42").int == nil)
    }

    @Test func doubles() {
        let cases: [(String, Double?)] = [
            ("1.5", 1.5), ("-.5", -0.5), ("+.5", 0.5), ("1.", 1), ("1e3", 1000), ("2.5E-1", 0.25), ("42", 42),
            ("0x10", 16), ("0o10", 8), ("-7", -7), (".inf", .infinity), ("+.Inf", .infinity), ("-.INF", -.infinity),
            ("99999999999999999999", 1e20), ("0xFFFFFFFFFFFFFFFFF", 0x1p68),
            ("abc", nil), ("1e", nil), (".", nil), ("e3", nil), ("1.2.3", nil), ("inf", nil), ("nan", nil),
            ("0x1p3", nil), ("1_0.0", nil), ("", nil), ("- 1", nil), (".e1", nil),
        ]
        for (text, expected) in cases { #expect(plain(text).double == expected, "\(text)") }
        for text in [".nan", ".NaN", ".NAN"] { #expect(plain(text).double?.isNaN == true) }
        #expect(quoted("1.5").double == nil)
    }

    @Test func strings() {
        #expect(plain("x").string == "x")
        #expect(quoted("x").string == "x")
        #expect(YAMLNode.scalar("x\n", .literal, YAMLMark(1, 1)).string == "x\n")
        #expect(YAMLNode.sequence([], YAMLMark(1, 1)).string == nil)
        #expect(parsed("a:")["a"]?.string == "")
    }

    @Test func collections() {
        let root = parsed("m: {a: 1}\ns: [x, y]\nv: z")
        #expect(root["m"]?["a"]?.int == 1)
        #expect(root["m"]?["missing"] == nil)
        #expect(root["s"]?["a"] == nil)
        #expect(root["v"]?["a"] == nil)
        #expect(root["s"]?.items?.count == 2)
        #expect(root["m"]?.items == nil)
        #expect(root["s"]?.pairs == nil)
        #expect(root["v"]?.pairs == nil && root["v"]?.items == nil)
        #expect(root.pairs?.map(\.key) == ["m", "s", "v"])
    }
}
