import Testing
@testable import OpenAPIGenerator

/// Each model error names the exact spot in the spec.
@Suite struct ErrorTests {
    static let head = """
    openapi: 3.1.0
    info: {title: T, version: "1"}
    paths:

    """

    func error(_ paths: String, components: String = "") -> String? {
        do {
            _ = try Generator.parse(Self.head + paths + components, file: "openapi.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    static let ok = """
      /a:
        get:
          operationId: getA
          responses:
            "200": {description: ok}

    """

    @Test func validSpecParses() {
        #expect(error(Self.ok) == nil)
    }

    @Test func missingOperationId() {
        #expect(error("""
          /a:
            get:
              responses:
                "200": {description: ok}

        """) == "openapi.yaml:5:5: GET /a has no operationId")
    }

    @Test func duplicateOperationId() {
        #expect(error(Self.ok + """
          /b:
            get:
              operationId: getA
              responses:
                "200": {description: ok}

        """) == "openapi.yaml:11:20: duplicate operationId 'getA' (first used at 6:20)")
    }

    @Test func undeclaredPathParameter() {
        #expect(error("""
          /a/{id}:
            get:
              operationId: getA
              responses:
                "200": {description: ok}

        """) == "openapi.yaml:6:20: path parameter 'id' of /a/{id} is not declared")
    }

    @Test func badRef() {
        #expect(error("""
          /a:
            get:
              operationId: getA
              responses:
                "200":
                  $ref: "#/components/responses/Nope"

        """) == "openapi.yaml:9:17: unresolved $ref '#/components/responses/Nope'")
        #expect(error("""
          /a:
            get:
              operationId: getA
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema:
                        $ref: "#/definitions/X"

        """) == "openapi.yaml:13:23: $ref '#/definitions/X' must point into #/components/schemas/")
    }

    @Test func unsupportedConstructs() {
        #expect(error(Self.ok, components: """
        components:
          schemas:
            A:
              oneOf:
                - type: string

        """) == "openapi.yaml:12:7: unsupported key 'oneOf' in a schema")
        #expect(error(Self.ok, components: """
        components:
          schemas:
            A:
              type: string
              const: a

        """) == "openapi.yaml:13:7: unsupported key 'const' in a string schema")
        #expect(error(Self.ok, components: """
        components:
          callbacks: {}

        """) == "openapi.yaml:10:3: unsupported key 'callbacks' in components")
        #expect(error("""
          /a:
            get:
              operationId: getA
              x-rate-limit: 5
              responses:
                "200": {description: ok}

        """) == "openapi.yaml:7:7: unsupported key 'x-rate-limit' in an operation")
    }

    @Test func unknownType() {
        #expect(error(Self.ok, components: """
        components:
          schemas:
            A:
              type: text

        """) == "openapi.yaml:12:13: unsupported type 'text'")
        #expect(error(Self.ok, components: """
        components:
          schemas:
            A:
              type: string
              format: email

        """) == "openapi.yaml:13:15: unsupported string format 'email' (use date-time, date or uuid)")
    }

    @Test func parameterProblems() {
        #expect(error("""
          /a:
            get:
              operationId: getA
              parameters:
                - {name: q, in: query, style: pipeDelimited, schema: {type: string}}
              responses:
                "200": {description: ok}

        """) == "openapi.yaml:8:39: only style 'form' is supported for query parameters")
        #expect(error("""
          /a:
            get:
              operationId: getA
              parameters:
                - {name: c, in: cookie, schema: {type: string}}
              responses:
                "200": {description: ok}

        """) == "openapi.yaml:8:25: parameters in 'cookie' are not supported (use path, query or header)")
    }

    @Test func requiredMustNameAProperty() {
        #expect(error(Self.ok, components: """
        components:
          schemas:
            A:
              type: object
              required: [b]
              properties:
                a: {type: string}

        """) == "openapi.yaml:13:18: required property 'b' is not in 'properties'")
    }

    @Test func yamlErrorsKeepTheirPosition() {
        #expect(error("  /a: [\n") != nil)
        #expect(error("  /a: [\n")?.hasPrefix("openapi.yaml:") == true)
    }
}

@Suite struct RawBodySchemaTests {
    static func spec(_ mediaType: String, _ schema: String) -> String {
        """
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /doc:
            get:
              operationId: getDoc
              responses:
                "200":
                  description: d
                  content:
                    \(mediaType):
                      schema: \(schema)
        """
    }

    @Test func yamlBodiesMayDescribeTheirDocument() throws {
        let files = try Generator().generate(Self.spec("application/yaml", "{type: object}"), file: "openapi.yaml")
        #expect(files.contains { $0.contents.contains("case ok([UInt8])") })
    }

    @Test func textBodiesMustBeStrings() {
        #expect(throws: GeneratorError.self) {
            try Generator().generate(Self.spec("text/csv", "{type: object}"), file: "openapi.yaml")
        }
    }
}

@Suite struct PatternTests {
    static func spec(_ pattern: String) -> String {
        """
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /x:
            get:
              operationId: getX
              parameters:
                - name: code
                  in: query
                  schema:
                    type: string
                    pattern: \(pattern)
              responses:
                "204":
                  description: d
        """
    }

    @Test func patternsAreEmittedAsRawStrings() throws {
        let files = try Generator().generate(Self.spec(##"'^a"#b\d+$'"##), file: "openapi.yaml")
        #expect(files.contains { $0.contents.contains(###"pattern: ##"^a"#b\d+$"##"###) })
    }

    @Test func invalidPatternsFailWithTheirPosition() {
        #expect(throws: GeneratorError.self) { try Generator().generate(Self.spec("'a(b'"), file: "openapi.yaml") }
    }

    @Test func eventStreamsAreResponsesOnly() {
        let request = ErrorTests().error("""
          /a:
            post:
              operationId: postA
              requestBody:
                content:
                  text/event-stream:
                    schema: {type: string}
              responses:
                "200": {description: ok}

        """)
        #expect(request?.hasSuffix("a text/event-stream body is only supported in responses") == true)
        let integer = ErrorTests().error("""
          /a:
            get:
              operationId: getA
              responses:
                "200":
                  description: ok
                  content:
                    text/event-stream:
                      schema: {type: integer}

        """)
        #expect(integer?.hasSuffix("a text/event-stream body must have a string schema") == true)
    }
}
