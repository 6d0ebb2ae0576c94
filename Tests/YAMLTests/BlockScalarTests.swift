import Testing
@testable import OpenAPIGenerator

@Suite struct BlockScalarTests {
    @Test(arguments: [
        ("a: |\n  line1\n  line2\n\n  line4\nb: 1", "line1\nline2\n\nline4\n"),
        ("a: |-\n  x\n\n", "x"),
        ("a: |+\n  x\n\n\nb: 1", "x\n\n\n"),
        ("a: |\n  x\n\n\nb: 1", "x\n"),
        ("a: |\n  x", "x"),
        ("a: |+\n  x", "x"),
        ("a: |\n\n  x\n", "\nx\n"),
        ("a: | # comment\n  x\n", "x\n"),
        ("a: |\n  # not a comment\n  k: v\n", "# not a comment\nk: v\n"),
        ("a: |2\n    indented\n  normal\n", "  indented\nnormal\n"),
        ("a: |-2\n    x\n", "  x"),
        ("a: |2-\n    x\n", "  x"),
        ("a: |\nb: 1", ""),
        ("a: |+\n\nb: 1", "\n"),
        ("a: |-\nb: 1", ""),
        ("a: |\n  x\n   \n  y\n", "x\n \ny\n"),
        ("a: |\n  trailing  \n", "trailing  \n"),
        ("a:\n  b: |\n    x\n  c: 1", "x\n"),
        ("a: |\r\n  x\r\n  y\r\n", "x\ny\n"),
        ("a: |\n  \ttab\n", "\ttab\n"),
    ])
    func literal(_ yaml: String, _ expected: String) {
        let node = parsed(yaml)["a"]
        let text = node?["b"]?.string ?? node?.string
        #expect(text == expected, "\(tree(yaml))")
    }

    @Test(arguments: [
        ("a: >\n  one\n  two\n\n  three\n    indented\n  four\n", "one two\nthree\n  indented\nfour\n"),
        ("a: >-\n  What the meter\n  measures.\n", "What the meter measures."),
        ("a: >+\n  x\n  y\n\n", "x y\n\n"),
        ("a: >\n  x\n\n\n  y\n", "x\n\ny\n"),
        ("a: >\n\n  x\n  y", "\nx y"),
    ])
    func folded(_ yaml: String, _ expected: String) {
        #expect(parsed(yaml)["a"]?.string == expected, "\(tree(yaml))")
    }

    /// YAML 1.2 spec example 8.10.
    @Test func specFoldedExample() {
        let yaml = ">\n\n folded\n line\n\n next\n line\n   * bullet\n\n   * list\n   * lines\n\n last\n line\n\n# Comment\n"
        #expect(parsed(yaml).string == "\nfolded line\nnext line\n  * bullet\n\n  * list\n  * lines\n\nlast line\n")
    }

    @Test func inSequencesAndAtTheTop() {
        #expect(tree("- |\n  x\n- >-\n  y\n  z\n- last") == #"[|"x\n", >"y z", last]"#)
        #expect(tree("--- |\ntext\n") == #"|"text\n""#)
        #expect(tree("|\n  top\n") == #"|"top\n""#)
        #expect(tree("- |2\n   x\n") == #"[|" x\n"]"#)
    }

    @Test func markIsTheIndicator() {
        #expect(parsed("key: |\n  x\n")["key"]?.mark == YAMLMark(1, 6))
    }
}
