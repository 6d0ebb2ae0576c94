import Testing
@testable import OpenAPIGenerator

@Suite struct BlockTests {
    @Test(arguments: [
        ("a: 1\nb: two\n", "{a: 1, b: two}"),
        ("a:\n  b:\n    c: d\n  e: f\ng: h", "{a: {b: {c: d}, e: f}, g: h}"),
        ("a:\n    b: 1\nc:\n  d: 2", "{a: {b: 1}, c: {d: 2}}"),
        ("- a\n- b\n", "[a, b]"),
        ("- - a\n  - b\n- c", "[[a, b], c]"),
        ("- name: a\n  in: query\n- name: b\n", "[{name: a, in: query}, {name: b}]"),
        ("-   a: 1\n    b: 2", "[{a: 1, b: 2}]"),
        ("tags:\n- a\n- b\nnext: 1", "{tags: [a, b], next: 1}"),
        ("tags:\n  - a\n  - b", "{tags: [a, b]}"),
        ("params:\n- name: a\n  in: query\n- name: b\nnext: 1", "{params: [{name: a, in: query}, {name: b}], next: 1}"),
        ("- a:\n  - b\n  c: d", "[{a: [b], c: d}]"),
        ("a:\nb: ~\nc:\n# c\nd: 1", "{a: (), b: ~, c: (), d: 1}"),
        ("a:\n  b:\nc: 1", "{a: {b: ()}, c: 1}"),
        ("-\n- \n- # c\n-   a", "[(), (), (), a]"),
        ("-\n  a: 1", "[{a: 1}]"),
        ("- \n  - x", "[[x]]"),
        ("\"200\": ok\n'x y': z\n\"a: b\": c", "{200: ok, x y: z, a: b: c}"),
        ("a  : b\n'c' : d", "{a: b, c: d}"),
        ("\"\": empty key", "{: empty key}"),
        ("# head\na: 1 # tail\n  # indented comment\nb:\n  # inner\n  c: 2\n# end", "{a: 1, b: {c: 2}}"),
        ("\n\na: 1\n\n\nb:\n\n  c: 2\n\n", "{a: 1, b: {c: 2}}"),
        ("a:\tb\nc:\t\t[x]", "{a: b, c: [x]}"),
        ("hello", "hello"),
        ("a:\n  - b:\n      - c\n    d: e", "{a: [{b: [c], d: e}]}"),
    ])
    func structure(_ yaml: String, _ expected: String) {
        #expect(tree(yaml) == expected)
    }

    @Test(arguments: [
        ("---\na: 1\n...\n", "{a: 1}"),
        ("--- # comment\na: 1", "{a: 1}"),
        ("# c\n---\na: 1\n...\n# after", "{a: 1}"),
        ("--- text", "text"),
        ("--- [a, b]", "[a, b]"),
        ("--- 'q'", "'q'"),
        ("---\n...\n", "()"),
        ("---", "()"),
        ("a: 1\n...", "{a: 1}"),
        ("a: ---x\nb: ...y", "{a: ---x, b: ...y}"),
    ])
    func documentMarkers(_ yaml: String, _ expected: String) {
        #expect(tree(yaml) == expected)
    }

    @Test func marks() throws {
        let root = try YAMLReader.parse("a:\n  b: 1\n  c: [x, 'y']\nd:\ne:\n  - z\n")
        #expect(root.mark == YAMLMark(1, 1))
        #expect(root["a"]?.mark == YAMLMark(2, 3))
        #expect(root["a"]?["b"]?.mark == YAMLMark(2, 6))
        #expect(root["a"]?.pairs?[1].keyMark == YAMLMark(3, 3))
        #expect(root["a"]?["c"]?.mark == YAMLMark(3, 6))
        #expect(root["a"]?["c"]?.items?[0].mark == YAMLMark(3, 7))
        #expect(root["a"]?["c"]?.items?[1].mark == YAMLMark(3, 10))
        #expect(root["d"]?.mark == YAMLMark(4, 3))     // empty value: just after the ':'
        #expect(root["e"]?.mark == YAMLMark(6, 3))
        #expect(root["e"]?.items?[0].mark == YAMLMark(6, 5))
    }

    @Test func crlfLineEndings() throws {
        let root = try YAMLReader.parse("a: 1\r\nb:\r\n  - x\r\nc: |\r\n  one\r\n  two\r\n")
        #expect(render(root) == #"{a: 1, b: [x], c: |"one\ntwo\n"}"#)
        #expect(root["b"]?.items?[0].mark == YAMLMark(3, 5))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let root = try YAMLReader.parse("\u{FEFF}a: 1")
        #expect(render(root) == "{a: 1}")
        #expect(root.mark == YAMLMark(1, 1))
    }

    @Test func pairsKeepDocumentOrder() throws {
        let root = try YAMLReader.parse("z: 1\na: 2\nm: 3")
        #expect(root.pairs?.map(\.key) == ["z", "a", "m"])
    }
}
