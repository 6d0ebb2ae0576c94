import Testing
@testable import OpenAPIGenerator

@Suite struct RealWorldTests {
    static let fragment = """
        openapi: 3.1.0
        info:
          title: Meter API
          version: "1.2"
          description: |
            Reads meters.

            Errors are `application/problem+json`.
        servers:
          - url: http://127.0.0.1:8080
            description: local
        paths:
          /v1/meters/{id}:
            parameters:
            - name: id
              in: path
              required: true
              schema: {type: string, pattern: "^[0-9a-f]{16}$"}
            get:
              operationId: getMeter
              tags: [meters]
              responses:
                "200":
                  description: The meter.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Meter"
                "404":
                  $ref: '#/components/responses/NotFound'
        components:
          schemas:
            Meter:
              type: object
              required: [id, medium]
              properties:
                id: {type: string}
                medium:
                  type: string
                  enum: [heat, cooling, water, electricity]
                  description: >-
                    What the meter
                    measures.
                factor:
                  type: number
                  default: 1.5
                  minimum: 0
        """

    @Test func openAPIFragment() throws {
        let root = try YAMLReader.parse(Self.fragment)
        #expect(root["openapi"]?.string == "3.1.0")
        #expect(root["info"]?["version"]?.string == "1.2")
        #expect(root["info"]?["description"]?.string == "Reads meters.\n\nErrors are `application/problem+json`.\n")
        #expect(root["servers"]?.items?[0]["url"]?.string == "http://127.0.0.1:8080")
        let path = root["paths"]?["/v1/meters/{id}"]
        #expect(path?["parameters"]?.items?[0]["required"]?.bool == true)
        #expect(path?["parameters"]?.items?[0]["schema"]?["pattern"]?.string == "^[0-9a-f]{16}$")
        #expect(path?["get"]?["tags"].map(render) == "[meters]")
        let responses = path?["get"]?["responses"]
        #expect(responses?.pairs?.map(\.key) == ["200", "404"])
        #expect(responses?["200"]?["content"]?["application/json"]?["schema"]?["$ref"]?.string == "#/components/schemas/Meter")
        #expect(responses?["404"]?["$ref"]?.string == "#/components/responses/NotFound")
        let meter = root["components"]?["schemas"]?["Meter"]
        #expect(meter?["required"]?.items?.compactMap(\.string) == ["id", "medium"])
        #expect(meter?["properties"]?["medium"]?["enum"]?.items?.count == 4)
        #expect(meter?["properties"]?["medium"]?["description"]?.string == "What the meter measures.")
        #expect(meter?["properties"]?["factor"]?["default"]?.double == 1.5)
        #expect(meter?["properties"]?["factor"]?["minimum"]?.int == 0)
        #expect(meter?["properties"]?["medium"]?["enum"]?.items?[3].mark == YAMLMark(40, 40))
    }

    @Test func projectSpec() throws {
        let root = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let text = try #require(readTextFile(root + "/openapi.yaml"))
        let spec = try YAMLReader.parse(text)
        #expect(spec.pairs != nil)
        #expect(spec["openapi"]?.string == "3.1.0")
        #expect(spec["paths"]?["/v1/info"] != nil)
        #expect(spec["paths"]?["/v1/info"]?["get"]?["operationId"]?.string == "getInfo")
        #expect(spec["paths"]?["/healthz"]?["get"]?["responses"]?["200"]?["headers"]?["X-Request-Id"]?["$ref"]?.string
            == "#/components/headers/RequestId")
        #expect(spec["servers"]?.items?[0]["url"]?.string == "http://127.0.0.1:8080")
        #expect(spec["security"]?.items?[0]["bearerAuth"]?.items?.isEmpty == true)
        #expect(spec["components"]?["schemas"]?["Problem"]?["properties"]?["status"]?["maximum"]?.int == 599)
        #expect(spec["info"]?["description"]?.string?.hasPrefix("Fjern receives wireless and wired M-Bus telegrams") == true)
    }
}
