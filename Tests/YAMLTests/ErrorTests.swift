import Testing
@testable import OpenAPIGenerator

/// Every rejection, with its exact position and message.
@Suite struct ErrorTests {
    static let nested = YAMLReader.Parser.nestedMappingMessage

    @Test(arguments: [
        // Indentation
        ("a:\n\tb: 1", "2:1: tab characters must not be used for indentation"),
        ("a:\n  b: 1\n \tc: 2", "3:2: tab characters must not be used for indentation"),
        ("- a\n\t- b", "2:1: tab characters must not be used for indentation"),
        ("a:\n  b: 1\n   c: 2", "3:4: bad indentation of a mapping entry: expected 2 spaces, found 3"),
        ("a:\n  b: 1\n c: 2", "3:2: bad indentation of a mapping entry: expected 0 spaces, found 1"),
        ("a: 1\n  b: 2", "2:3: bad indentation of a mapping entry: expected 0 spaces, found 2"),
        ("- a: 1\n   b: 2", "2:4: bad indentation of a mapping entry: expected 2 spaces, found 3"),
        ("-\tx", "1:2: a tab must not follow '-'; use spaces"),
        ("- a\n-  \t- b", "2:4: a tab must not follow '-'; use spaces"),
        ("- [a]\n  - b", "2:3: bad indentation of a sequence entry: expected 0 spaces, found 2"),
        ("a: |\n    x\n  y\n", "3:3: bad indentation of a mapping entry: expected 0 spaces, found 2"),
        ("  a: 1\nb: 2", "2:1: unexpected content after the document's root node (check the indentation)"),
        ("[a]\nb", "2:1: unexpected content after the document's root node (check the indentation)"),
        // Wrong kind of entry
        ("- a\nb: 1", "2:1: expected a sequence entry ('- ') at this indentation"),
        ("a:\n  - x\n  b: 1", "3:3: expected a sequence entry ('- ') at this indentation"),
        ("a: 1\n- b", "2:1: expected a mapping key at this indentation, found a sequence entry ('- ')"),
        ("a: 1\nfoo\n", "2:1: expected a mapping key followed by ':'"),
        ("x: 1\n\"a\":b", "2:4: expected ': ' after the mapping key"),
        ("a: b: c", "1:5: \(nested)"),
        ("- a: b: c", "1:7: \(nested)"),
        ("a: \"b\": c", "1:7: \(nested)"),
        ("a: - b", "1:4: a block sequence cannot start on the same line as its key; start it on the next line"),
        ("--- a: b", "1:6: \(nested)"),
        // Unsupported features
        ("a: &x 1", "1:4: anchors ('&') are not supported"),
        ("a: *x", "1:4: aliases ('*') are not supported"),
        ("a: !!str 1", "1:4: tags ('!') are not supported"),
        ("- !local x", "1:3: tags ('!') are not supported"),
        ("[&a x]", "1:2: anchors ('&') are not supported"),
        ("&a\nb: 1", "1:1: anchors ('&') are not supported"),
        ("a: 1\n---\nb: 2", "2:1: multiple documents are not supported"),
        ("a: 1\n...\n---\nb: 2", "3:1: multiple documents are not supported"),
        ("---\n---\n", "2:1: multiple documents are not supported"),
        ("a: 1\n...\nb: 2", "3:1: unexpected content after the document end marker '...'"),
        ("a: 1\n... x", "2:5: unexpected content after the document end marker '...'"),
        ("%YAML 1.2\n---\na: 1", "1:1: directives ('%YAML', '%TAG') are not supported"),
        ("a: 1\n%TAG ! x", "2:1: directives ('%YAML', '%TAG') are not supported"),
        ("? a\n: b", "1:1: complex mapping keys ('? ') are not supported"),
        ("{? a: b}", "1:2: complex mapping keys ('? ') are not supported"),
        (": a", "1:1: a mapping key is missing before ':'"),
        ("[a]: b", "1:1: only scalar mapping keys are supported"),
        ("{[a]: b}", "1:2: only scalar mapping keys are supported"),
        ("a: 1\n{b: c}: d", "2:1: only scalar mapping keys are supported"),
        ("\"a\n b\": c", "1:1: a mapping key must be on a single line"),
        ("{a\n  b}", "1:2: a mapping key must be on a single line"),
        ("{a\n  b: c}", "2:3: expected ':' after the flow mapping key"),
        ("a: @x", "1:4: '@' cannot start a plain scalar; quote the value"),
        ("a: `x`", "1:4: '`' cannot start a plain scalar; quote the value"),
        ("a: %x", "1:4: '%' cannot start a plain scalar; quote the value"),
        ("a: ]", "1:4: ']' cannot start a plain scalar; quote the value"),
        // Duplicate keys
        ("a: 1\nb: 2\na: 3", "3:1: duplicate key 'a' (first defined on line 1)"),
        ("a: 1\n\"a\": 2", "2:1: duplicate key 'a' (first defined on line 1)"),
        ("x:\n  k: 1\n  k: 2", "3:3: duplicate key 'k' (first defined on line 2)"),
        ("{a: 1, a: 2}", "1:8: duplicate key 'a' (first defined on line 1)"),
        // Block scalars
        ("a: | text", "1:6: unexpected text after the block scalar indicator; the content must start on the next line"),
        ("a: |#x\n  y", "1:5: unexpected text after the block scalar indicator; the content must start on the next line"),
        ("a: |-+\n  y", "1:6: unexpected text after the block scalar indicator; the content must start on the next line"),
        ("a: |\n  x\n \t\n  y", "3:2: tab characters must not be used for indentation"),
        ("a: |0\n  x", "1:5: the indentation indicator of a block scalar must be 1 to 9"),
        ("a: |\n      \n  x", "2:3: a leading empty line of the block scalar is indented more than its first content line"),
        // Quoted scalars
        ("a: \"abc", "1:4: unterminated double-quoted scalar"),
        ("a: 'abc\n  def", "1:4: unterminated single-quoted scalar"),
        ("a: 'abc\nb: 1", "1:4: unterminated single-quoted scalar: line 2 is not indented enough to continue it"),
        ("\"abc\n---\n\"", "1:1: unterminated double-quoted scalar"),
        ("a: \"x\" y", "1:8: unexpected content after a quoted scalar"),
        ("a: \"\\q\"", "1:5: invalid escape sequence '\\q'"),
        ("a: \"\\x4\"", "1:5: invalid escape sequence: '\\x' needs 2 hexadecimal digits"),
        ("a: \"\\u12G4\"", "1:5: invalid escape sequence: '\\u' needs 4 hexadecimal digits"),
        ("a: \"\\U00110000\"", "1:5: invalid escape sequence: 110000 is not a Unicode scalar value"),
        ("a: \"\\ud800\"", "1:5: invalid escape sequence: unpaired UTF-16 surrogate"),
        ("a: \"\\ud800\\u0041\"", "1:5: invalid escape sequence: unpaired UTF-16 surrogate"),
        ("a: \"\\udc00\"", "1:5: invalid escape sequence: DC00 is not a Unicode scalar value"),
        // Flow collections
        ("a: [x, y", "1:4: unterminated flow sequence: missing ']'"),
        ("a: {x: 1", "1:4: unterminated flow mapping: missing '}'"),
        ("[a,\n---\n]", "1:1: unterminated flow sequence: missing ']'"),
        ("a: [x,\nb: 1", "2:1: unterminated flow sequence or bad indentation: its lines must be indented more than 0 spaces"),
        ("a:\n  b: {\n    c: 1\n  }", "4:3: unterminated flow mapping or bad indentation: its lines must be indented more than 2 spaces"),
        ("a: [x] y", "1:8: unexpected content after a flow collection"),
        ("[a: b]", "1:3: 'key: value' pairs inside a flow sequence are not supported; write {key: value}"),
        ("[\"a\": b]", "1:5: 'key: value' pairs inside a flow sequence are not supported; write {key: value}"),
        ("[a [b]]", "1:4: expected ',' or ']' in the flow sequence"),
        ("{a: b c: d}", "1:8: expected ',' or '}' in the flow mapping"),
        ("{\"a\" 1}", "1:6: expected ':' after the flow mapping key"),
        ("[a,,b]", "1:4: unexpected ','"),
        ("[,]", "1:2: unexpected ','"),
        ("{a: ]}", "1:5: unexpected ']'"),
        ("{a:[]}", "1:4: expected a space after ':' in the flow mapping"),
        ("{a:}", "1:4: expected a space after ':' in the flow mapping"),
        ("{a:,b: 1}", "1:4: expected a space after ':' in the flow mapping"),
        ("[:x]", "1:2: a plain scalar inside a flow collection cannot start with ':'; quote it"),
        ("{a: ?x}", "1:5: a plain scalar inside a flow collection cannot start with '?'; quote it"),
        ("[a:]", "1:3: 'key: value' pairs inside a flow sequence are not supported; write {key: value}"),
        ("{k: a:}", "1:6: expected ',' or '}' in the flow mapping"),
        ("[a,#b]", "1:4: a comment must be preceded by whitespace"),
        ("[|]", "1:2: block scalars ('|', '>') are not allowed inside flow collections"),
        ("[- a]", "1:2: block sequence entries ('- ') are not allowed here"),
        ("[a]]", "1:4: unexpected content after a flow collection"),
        // Characters
        ("a: \u{1}", "1:4: invalid character U+0001 in the input"),
        ("a: x\nb: \u{7F}", "2:4: invalid character U+007F in the input"),
        ("é: \u{FFFE}", "1:4: invalid character U+FFFE in the input"),
    ])
    func rejected(_ yaml: String, _ expected: String) {
        #expect(tree(yaml) == "error \(expected)")
    }

    @Test func errorDescriptionIsLineColonColumn() {
        #expect(YAMLError(message: "boom", mark: YAMLMark(3, 7)).description == "3:7: boom")
    }

    /// Columns count characters as an editor shows them, not scalars or bytes.
    @Test func columnsCountCharacters() {
        #expect(tree("e\u{301}: &x") == "error 1:4: anchors ('&') are not supported")
        #expect(tree("🇩🇰: &x") == "error 1:4: anchors ('&') are not supported")
        #expect(tree("名前: *x") == "error 1:5: aliases ('*') are not supported")
        #expect(tree("a: 'ø\n\tb") == "error 1:4: unterminated single-quoted scalar: line 2 is not indented enough to continue it")
    }

    @Test func nestingIsCapped() {
        let limit = YAMLReader.maxDepth
        #expect(tree(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)).hasPrefix("[[["))
        #expect(tree(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1))
            == "error 1:\(limit + 1): collections nested more than \(limit) levels deep are not supported")
        #expect(tree(String(repeating: "{a: ", count: 1000)).hasPrefix("error 1:\(4 * limit + 1): collections nested"))
        var block = ""
        for level in 0...limit { block += String(repeating: " ", count: level) + "k:\n" }
        #expect(tree(block) == "error \(limit + 1):\(limit + 1): collections nested more than \(limit) levels deep are not supported")
        var sequences = ""
        for level in 0...limit { sequences += String(repeating: " ", count: 2 * level) + "-\n" }
        #expect(tree(sequences).hasPrefix("error \(limit + 1):\(2 * limit + 1): collections nested"))
    }
}
