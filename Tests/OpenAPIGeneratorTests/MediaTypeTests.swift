import Testing
@testable import OpenAPIGenerator

/// GeoJSON responses are JSON under their own media type; requests stay application/json.
@Suite struct MediaTypeTests {
    static func spec(_ content: String, requestBody: String = "") -> String {
        """
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths:
          /map:
            post:
              operationId: getMap
        \(requestBody)
              responses:
                "200":
                  description: ok
                  content:
                    \(content):
                      schema:
                        type: object
                        additionalProperties: false
                        required: [type]
                        properties:
                          type: {type: string}

        """
    }

    @Test func geoJSONResponseIsWrittenWithItsContentType() throws {
        let files = try Generator().generate(Self.spec("application/geo+json"), file: "openapi.yaml")
        let routes = try #require(files.first { $0.name == "Routes.swift" }?.contents)
        #expect(routes.contains(#"ResponseEncoding.json(200, body, contentType: "application/geo+json")"#))
        let plain = try Generator().generate(Self.spec("application/json"), file: "openapi.yaml")
        #expect(plain.first { $0.name == "Routes.swift" }?.contents.contains("ResponseEncoding.json(200, body)") == true)
    }

    @Test func geoJSONRequestBodyIsRefused() {
        let body = """
                  requestBody:
                    content:
                      application/geo+json:
                        schema: {type: object}
            """
        #expect(throws: GeneratorError.self) { try Generator().generate(Self.spec("application/json", requestBody: body), file: "openapi.yaml") }
    }
}
