import Testing
@testable import OpenAPIGenerator

@Suite struct ScalarTests {
    @Test(arguments: [
        ("url: http://127.0.0.1:8080", "{url: http://127.0.0.1:8080}"),
        ("a: b#c", "{a: b#c}"),
        ("a: b #c", "{a: b}"),
        ("a: b\t#c", "{a: b}"),
        ("a: -1\nb: :x\nc: ?x\nd: x:y\ne: -x", "{a: -1, b: :x, c: ?x, d: x:y, e: -x}"),
        ("a: x[y]{z},w", "{a: x[y]{z},w}"),
        ("a: it's \"fine\"", "{a: it's \"fine\"}"),
        ("a: b   \nc: d  ", "{a: b, c: d}"),
        ("a: one\n  two\n\n  three\n\n\n  four\nb: x", "{a: one two\\nthree\\n\\nfour, b: x}"),
        ("a: one\n  two # c\nb: 1", "{a: one two, b: 1}"),
        ("a: one\n  - two", "{a: one - two}"),
        ("- one\n  two\n- three", "[one two, three]"),
        ("one\ntwo", "one two"),
        ("a:\n  one\n  two", "{a: one two}"),
        ("a: x\n  # comment\nb: y", "{a: x, b: y}"),
    ])
    func plain(_ yaml: String, _ expected: String) {
        #expect(tree(yaml) == expected)
    }

    @Test(arguments: [
        ("a: 'it''s'", "{a: 'it's'}"),
        ("a: ''\nb: \"\"", "{a: '', b: \"\"}"),
        ("a: \"x # y\"\nb: 'x #y' # real", "{a: \"x # y\", b: 'x #y'}"),
        ("a: 'one   \n  two'", "{a: 'one two'}"),
        ("a: 'x\n\n  y'", "{a: 'x\\ny'}"),
        ("a: \"one\n  two\n\n  three\"", "{a: \"one two\\nthree\"}"),
        ("a: \"one\\\n   two\"", "{a: \"onetwo\"}"),
        ("a: \"one \\\n  two\"", "{a: \"one two\"}"),
        ("a: \"one\\t\n  two\"", "{a: \"one\\t two\"}"),
        ("a: \"  lead and trail  \"", "{a: \"  lead and trail  \"}"),
        ("- \"a\"\n- 'b'", "[\"a\", 'b']"),
        ("'key: x': \"v: y\"", "{key: x: \"v: y\"}"),
        ("\"multi\n  line\"", "\"multi line\""),
    ])
    func quoted(_ yaml: String, _ expected: String) {
        #expect(tree(yaml) == expected)
    }

    @Test func doubleQuotedEscapes() throws {
        let yaml = #"x: "\\ \" \/ \n \t \r \0 \b \f \e \a \v \N \_ \L \P \x41 \u00e9 \U0001F600 \"# + "\t" + #" \  .""#
        let text = try #require(parsed(yaml)["x"]?.string)
        let expected: [UInt32] = [0x5C, 0x22, 0x2F, 0x0A, 0x09, 0x0D, 0x00, 0x08, 0x0C, 0x1B, 0x07, 0x0B,
                                  0x85, 0xA0, 0x2028, 0x2029, 0x41, 0xE9, 0x1F600, 0x09, 0x20]
        let decoded = text.unicodeScalars.map(\.value)
        // Escapes are separated by spaces in the input; drop those.
        var values: [UInt32] = []
        for (index, value) in decoded.enumerated() where index % 2 == 0 { values.append(value) }
        #expect(values == expected + [0x2E])
    }

    @Test func surrogatePairsFromJSON() {
        #expect(parsed(#"a: "\ud83d\ude00!""#)["a"]?.string == "😀!")
    }

    @Test func scalarStyles() throws {
        let root = try YAMLReader.parse("a: x\nb: 'x'\nc: \"x\"\nd: |\n  x\ne: >\n  x\n")
        var styles: [YAMLScalarStyle] = []
        for pair in root.pairs ?? [] {
            if case .scalar(_, let style, _) = pair.value { styles.append(style) }
        }
        #expect(styles == [.plain, .singleQuoted, .doubleQuoted, .literal, .folded])
    }

    @Test func nonASCII() throws {
        let root = try YAMLReader.parse("navn: Blåbærgrød ✓\n名前: \"値\"\nemoji: 🇩🇰 'x'\n")
        #expect(render(root) == "{navn: Blåbærgrød ✓, 名前: \"値\", emoji: 🇩🇰 'x'}")
        #expect(root["emoji"]?.mark == YAMLMark(3, 8))
    }
}
