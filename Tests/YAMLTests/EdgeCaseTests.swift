import Testing
@testable import OpenAPIGenerator

@Suite struct EdgeCaseTests {
    @Test(arguments: [
        ("", "()"),
        ("# only\n# comments\n", "()"),
        ("\n\n   \n\t\n", "()"),
        ("  # indented comment", "()"),
        ("a: 1 # c\n\n\n", "{a: 1}"),
        ("\"a: b\": \"c: d\"", "{a: b: \"c: d\"}"),
        ("a: 'x'   # c", "{a: 'x'}"),
        ("k: v\t", "{k: v}"),
        ("'#': \"#\"\n\"#x\": a#b", "{#: \"#\", #x: a#b}"),
        ("a: ' # '", "{a: ' # '}"),
        ("a: b:c", "{a: b:c}"),
        ("a: b:\n", "error 1:5: \(YAMLReader.Parser.nestedMappingMessage)"),
        ("a:b", "a:b"),
        ("a: \"\"\"", "error 1:6: unexpected content after a quoted scalar"),
        ("- - - x", "[[[x]]]"),
        ("\r\n\r\na: 1\r\n", "{a: 1}"),
        ("a: 1\rb: 2\r", "{a: 1, b: 2}"),
    ])
    func edges(_ yaml: String, _ expected: String) {
        #expect(tree(yaml) == expected)
    }

    @Test func emptyDocumentIsNull() {
        #expect(parsed("").isNull)
        #expect(parsed("").mark == YAMLMark(1, 1))
        #expect(parsed("--- # c").isNull)
    }

    @Test func veryLongLines() {
        let long = String(repeating: "abc def ", count: 20_000)
        #expect(parsed("k: \(long)\nn: 1")["k"]?.string?.count == long.count - 1)
        #expect(parsed("k: [\(Array(repeating: "x", count: 10_000).joined(separator: ", "))]")["k"]?.items?.count == 10_000)
        let key = String(repeating: "k", count: 5000)
        #expect(parsed("\(key): v")[key]?.string == "v")
    }

    @Test func manyLines() {
        var yaml = ""
        for i in 0..<5000 { yaml += "key\(i):\n  - a: \(i)\n    b: [x, 'y']\n" }
        let root = parsed(yaml)
        #expect(root.pairs?.count == 5000)
        #expect(root["key4999"]?.items?[0]["a"]?.int == 4999)
    }

    @Test func nonASCIIKeysAndValues() {
        let root = parsed("ÆØÅ: æøå\n\"ключ\": 'значение'\nemoji: \"\\u2603 ☃\"")
        #expect(root["ÆØÅ"]?.string == "æøå")
        #expect(root["ключ"]?.string == "значение")
        #expect(root["emoji"]?.string == "☃ ☃")
    }
}

/// Random edits of a realistic document must give a tree or an error, never a
/// crash or a hang. (During development the same idea ran against libyaml as a
/// differential oracle; that harness is not part of the package.)
@Suite struct MutationTests {
    private struct SplitMix {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test func randomEditsNeverCrash() {
        let tokens: [String] = [":", " ", "\n", "- ", "#", "'", "\"", "[", "]", "{", "}", ",", "\t", "|", ">", "\\",
                                "?", "&", "*", "!", "%", "---", "...", "|+2", "\r\n", "é", "\u{301}", "\\u", "\\x", "  "]
        let seed = Array(RealWorldTests.fragment.unicodeScalars)
        var random = SplitMix(state: 42)
        var accepted = 0
        for _ in 0..<1500 {
            var text = seed
            for _ in 0...random.next(3) {
                let i = random.next(text.count)
                switch random.next(3) {
                case 0: text.removeSubrange(i..<min(text.count, i + 1 + random.next(4)))
                case 1: text.insert(contentsOf: tokens[random.next(tokens.count)].unicodeScalars, at: i)
                default: text.insert(contentsOf: text[i..<min(text.count, i + 1 + random.next(8))], at: i)
                }
            }
            var string = ""
            string.unicodeScalars.append(contentsOf: text)
            if (try? YAMLReader.parse(string)) != nil { accepted += 1 }
        }
        #expect(accepted > 100)
    }
}
