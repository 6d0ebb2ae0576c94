/// Stage 1: YAML tree → `Document`. Every key the generator does not understand is an
/// error at its position, so nothing in the contract is silently dropped.
struct SpecParser {
    let root: YAMLNode
    let file: String

    func error(_ message: String, at mark: YAMLMark) -> GeneratorError {
        GeneratorError(file: file, mark: mark, message: message)
    }

    func parseDocument() throws(GeneratorError) -> Document {
        let pairs = try mapping(root, "the document")
        try checkKeys(pairs, ["openapi", "info", "servers", "tags", "security", "paths", "components", "externalDocs"],
                      in: "the document")
        guard let version = root["openapi"] else { throw error("missing 'openapi'", at: root.mark) }
        guard try scalar(version, "openapi").hasPrefix("3.1") else {
            throw error("only OpenAPI 3.1 is supported", at: version.mark)
        }
        if let components = root["components"] {
            try checkKeys(try mapping(components, "components"),
                          ["schemas", "responses", "parameters", "headers", "requestBodies", "securitySchemes"],
                          in: "components")
        }
        var schemas: [NamedSchema] = []
        for pair in try optionalMapping(root["components"]?["schemas"], "components.schemas") {
            try checkTypeName(pair.key, at: pair.keyMark)
            schemas.append(NamedSchema(name: pair.key, schema: try parseSchema(pair.value)))
        }
        let globalSecurity = try root["security"].map { node throws(GeneratorError) in try parseSecurity(node) } ?? false
        var operations: [Operation] = []
        var seen: [String: YAMLMark] = [:]
        guard let paths = root["paths"] else { throw error("missing 'paths'", at: root.mark) }
        for pathPair in try mapping(paths, "paths") {
            for operation in try parsePathItem(pathPair, globalIsPublic: globalSecurity) {
                if let first = seen[operation.id] {
                    throw error("duplicate operationId '\(operation.id)' (first used at \(first.line):\(first.column))",
                                at: operation.mark)
                }
                seen[operation.id] = operation.mark
                operations.append(operation)
            }
        }
        return Document(schemas: schemas, operations: operations)
    }

    /// Names a generated type would shadow inside `Components.Schemas`.
    static let reservedTypeNames: Set<String> = [
        "String", "Int", "Double", "Bool", "Date", "UUID", "Array", "Dictionary", "Optional", "Set", "Data",
        "CalendarDate", "JSONValue", "JSONWriter", "JSONDecode", "TextDecode", "ProblemDetails", "HTTPRequest", "HTTPResponse", "Components", "Operations",
        "Routes", "Type", "Protocol", "Self", "Any", "Error",
    ]

    func checkTypeName(_ name: String, at mark: YAMLMark) throws(GeneratorError) {
        let valid = name.unicodeScalars.first.map { $0.properties.isAlphabetic } ?? false
            && name.unicodeScalars.allSatisfy { ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
        guard valid else { throw error("schema name '\(name)' must be ASCII letters and digits, starting with a letter", at: mark) }
        if Self.reservedTypeNames.contains(name) {
            throw error("schema name '\(name)' would shadow a Swift type the generated code uses; rename it", at: mark)
        }
    }

    /// Returns whether the requirement list makes operations public: `[]` or one `{}` entry.
    func parseSecurity(_ node: YAMLNode) throws(GeneratorError) -> Bool {
        guard case .sequence(let items, _) = node else { throw error("'security' must be a list", at: node.mark) }
        var isPublic = items.isEmpty
        for item in items {
            let requirement = try mapping(item, "a security requirement")
            if requirement.isEmpty { isPublic = true }
            for pair in requirement where root["components"]?["securitySchemes"]?[pair.key] == nil {
                throw error("security scheme '\(pair.key)' is not defined in #/components/securitySchemes", at: pair.keyMark)
            }
        }
        return isPublic
    }
}
