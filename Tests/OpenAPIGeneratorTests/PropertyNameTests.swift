import Testing
@testable import OpenAPIGenerator

/// Properties named like the JSON decoder's own locals (`start`, `object`) still compile: the
/// decoder's locals cannot collide with a property's `_name`.
@Suite struct PropertyNameTests {
    @Test func decoderLocalsNeverShadowProperties() throws {
        let spec = """
            openapi: 3.1.0
            info: {title: t, version: "1"}
            paths: {}
            components:
              schemas:
                Bucket:
                  type: object
                  required: [start, object]
                  properties:
                    start: {type: string, format: date-time}
                    object: {type: string}
            """
        let files = try Generator().generate(spec, file: "openapi.yaml")
        let all = files.map(\.contents).joined(separator: "\n")
        #expect(all.contains("let _start: Date? = __object.required(\"start\", &errors)"))
        #expect(all.contains("let _object: String? = __object.required(\"object\", &errors)"))
        #expect(all.contains("guard errors.count == __errorCount, let _start, let _object else { return nil }"))
    }
}
