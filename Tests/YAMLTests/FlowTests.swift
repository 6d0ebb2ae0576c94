import Testing
@testable import OpenAPIGenerator

@Suite struct FlowTests {
    @Test(arguments: [
        ("a: [x, \"y\", {c: d}]", "{a: [x, \"y\", {c: d}]}"),
        ("a: {b: 1, c: [x]}", "{a: {b: 1, c: [x]}}"),
        ("a: []\nb: {}\nc: [ ]", "{a: [], b: {}, c: []}"),
        ("a: [\n    x,\n    y,\n  ]", "{a: [x, y]}"),
        ("[http://x:80/y, a:b, 'c']", "[http://x:80/y, a:b, 'c']"),
        ("{a, b: 1}", "{a: (), b: 1}"),
        ("{a: , b: }", "{a: (), b: ()}"),
        ("{a:1}", "{a:1: ()}"),
        ("{\"a\":1,\"b\":[1,2],'c':x}", "{a: 1, b: [1, 2], c: x}"),
        ("[a, # comment\n  b]", "[a, b]"),
        ("[a\n  b, c]", "[a b, c]"),
        ("[[a, [b]], {c: {d: e}}, []]", "[[a, [b]], {c: {d: e}}, []]"),
        ("a: ['x\n    y', \"z\"]", "{a: ['x y', \"z\"]}"),
        ("a: [x] # comment", "{a: [x]}"),
        ("- [a, b]\n- {c: d}", "[[a, b], {c: d}]"),
        ("[a#b, 'c#d']", "[a#b, 'c#d']"),
        ("{a: [b, {c: d}], e: f,}", "{a: [b, {c: d}], e: f}"),
        ("[-1, -x, .5]", "[-1, -x, .5]"),
        ("[\ta ,\tb\t]", "[a, b]"),
    ])
    func collections(_ yaml: String, _ expected: String) {
        #expect(tree(yaml) == expected)
    }

    @Test func jsonDocument() throws {
        let json = """
            {
              "openapi": "3.1.0",
              "paths": {
                "/x": {"get": {"tags": ["a"], "summary": "Say \\"hi\\"\\n"}}
              },
            \t"numbers": [1, -2.5e3, true, null]
            }
            """
        let root = try YAMLReader.parse(json)
        #expect(root["openapi"]?.string == "3.1.0")
        #expect(root["paths"]?["/x"]?["get"]?["summary"]?.string == "Say \"hi\"\n")
        let numbers = try #require(root["numbers"]?.items)
        #expect(numbers[0].int == 1)
        #expect(numbers[1].double == -2500)
        #expect(numbers[2].bool == true)
        #expect(numbers[3].isNull)
    }

    @Test func marks() throws {
        let root = try YAMLReader.parse("k: {a: [x, 'y'], b: }\n")
        #expect(root["k"]?.mark == YAMLMark(1, 4))
        #expect(root["k"]?.pairs?[1].keyMark == YAMLMark(1, 18))
        #expect(root["k"]?["a"]?.mark == YAMLMark(1, 8))
        #expect(root["k"]?["a"]?.items?[1].mark == YAMLMark(1, 12))
        #expect(root["k"]?["b"]?.mark == YAMLMark(1, 20))
    }
}
