import Testing
@testable import OpenAPIGenerator

/// A response that comes in several raw media types (a report as CSV or as SVG): the handler
/// names the one it wrote through a generated enum, and the encoder sends that Content-Type.
@Suite struct RawChoiceTests {
    static func spec(_ content: String) -> String {
        """
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /report:
            get:
              operationId: getReport
              responses:
                "200":
                  description: d
                  content:
        \(content)
        """
    }

    /// Media types at the indentation `content:` needs.
    static func content(_ types: [(String, String)]) -> String {
        types.map { "            \($0.0):\n              schema: \($0.1)" }.joined(separator: "\n")
    }

    static let csvOrSVG = content([("text/csv", "{type: string}"), ("image/svg+xml", "{type: string}")])

    @Test func severalRawMediaTypesBecomeAChoice() throws {
        let files = try Generator().generate(Self.spec(Self.csvOrSVG), file: "openapi.yaml")
        let all = files.map(\.contents).joined(separator: "\n")
        #expect(all.contains("case ok([UInt8], contentType: OkContentType)"))
        #expect(all.contains("public enum OkContentType: String"))
        #expect(all.contains(#"case textCsv = "text/csv""#))
        #expect(all.contains(#"case imageSvgXml = "image/svg+xml""#))
        #expect(all.contains("case .ok(let body, let contentType):"))
        #expect(all.contains("ResponseEncoding.raw(200, body, contentType: contentType.rawValue)"))
    }

    @Test func aSingleRawMediaTypeStaysPlainBytes() throws {
        let files = try Generator().generate(Self.spec(Self.content([("image/svg+xml", "{type: string}")])),
                                             file: "openapi.yaml")
        let all = files.map(\.contents).joined(separator: "\n")
        #expect(all.contains("case ok([UInt8])"))
        #expect(all.contains(#"ResponseEncoding.raw(200, body, contentType: "image/svg+xml")"#))
    }

    @Test func jsonCannotBeOneOfTheChoices() {
        #expect(throws: GeneratorError.self) {
            try Generator().generate(Self.spec(Self.content([("text/csv", "{type: string}"),
                                                             ("application/json", "{type: object}")])),
                                     file: "openapi.yaml")
        }
    }

    @Test func requestBodiesStayOneMediaType() {
        let spec = """
            openapi: 3.1.0
            info: {title: t, version: "1"}
            paths:
              /upload:
                post:
                  operationId: upload
                  requestBody:
                    content:
                      text/csv:
                        schema: {type: string}
                      text/plain:
                        schema: {type: string}
                  responses:
                    "204":
                      description: d
            """
        #expect(throws: GeneratorError.self) { try Generator().generate(spec, file: "openapi.yaml") }
    }
}
